namespace CxrQa.Domain;

/// <summary>Stable reason codes for routing a case to a radiologist. Clients match on these strings.</summary>
public static class ReasonCodes
{
    /// <summary>The predicted class has no certified threshold, or the confidence is below it.</summary>
    public const string LowConfidence = "low_confidence";

    // Quality gate: the film is not one the model was built to read, whatever its confidence says.
    public const string TooSmall = "too_small";
    public const string BlankOrSaturated = "blank_or_saturated";
    public const string LowContrast = "low_contrast";
    public const string ColourImage = "colour_image";
    public const string NotChestModality = "not_chest_modality";
    public const string LateralView = "lateral_view";
    public const string PossiblyInverted = "possibly_inverted";

    /// <summary>The film's embedding lies far from every class seen in training (Mahalanobis score above threshold).</summary>
    public const string OutOfDistribution = "out_of_distribution";

    /// <summary>The backbone's features at several depths (texture and exposure early, anatomy and framing late) lie far
    /// from the training films' (<c>FeatureShiftDetector</c> score above its threshold).</summary>
    public const string FeatureShift = "feature_shift";

    /// <summary>The ensemble's independently trained members disagree on this film more than on held-out training-like
    /// films.</summary>
    public const string EnsembleDisagreement = "ensemble_disagreement";

    /// <summary>The film would have been automated, but the site's monitors paused automation (drift or audit breaker).</summary>
    public const string AutomationPaused = "automation_paused";

    /// <summary>Every code above, for validation and documentation.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        LowConfidence, TooSmall, BlankOrSaturated, LowContrast, ColourImage, NotChestModality, LateralView,
        PossiblyInverted, OutOfDistribution, FeatureShift, EnsembleDisagreement, AutomationPaused,
    ];
}
