namespace CxrQa.Core.Calibration;

/// <summary>The knobs of <see cref="ClassConditionalRiskControl"/>. The defaults certify; they do not add shift headroom.</summary>
public sealed record RiskControlOptions
{
    /// <summary>Largest error rate allowed among automated "Normal" answers (missed pneumonia: the costly error).</summary>
    public double AlphaNormal { get; init; } = 0.01;

    /// <summary>Largest error rate allowed among automated "Pneumonia" answers.</summary>
    public double AlphaPneumonia { get; init; } = 0.02;

    /// <summary>Allowed probability that a class's certificate is wrong because the calibration sample was unlucky.</summary>
    public double Delta { get; init; } = 0.05;

    /// <summary>
    /// In (0, 1]: thresholds are certified at alpha x margin. The guarantee only covers data like the calibration
    /// split; a margin of 0.5 keeps the promised alpha if deployment error rates above each threshold double.
    /// </summary>
    public double SafetyMargin { get; init; } = 1.0;

    /// <summary>No threshold below this confidence is considered, whatever the calibration data say.</summary>
    public double ThresholdFloor { get; init; } = 0.5;

    /// <summary>0: every distinct observed confidence is a candidate; otherwise thinned to about this many per class.</summary>
    public int MaxCandidates { get; init; }

    /// <summary>
    /// When true each class is tested at delta / 2, so both certificates hold together with probability 1 - delta
    /// (union bound). When false each holds separately with probability 1 - delta.
    /// </summary>
    public bool JointAcrossClasses { get; init; }

    public void Validate()
    {
        CheckOpenUnit(AlphaNormal, nameof(AlphaNormal));
        CheckOpenUnit(AlphaPneumonia, nameof(AlphaPneumonia));
        CheckOpenUnit(Delta, nameof(Delta));
        if (!(SafetyMargin > 0 && SafetyMargin <= 1))
            throw new ArgumentOutOfRangeException(nameof(SafetyMargin), SafetyMargin, "the safety margin lies in (0, 1]");
        if (!(ThresholdFloor >= 0 && ThresholdFloor <= 1))
            throw new ArgumentOutOfRangeException(nameof(ThresholdFloor), ThresholdFloor, "the threshold floor lies in [0, 1]");
        if (MaxCandidates < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxCandidates), MaxCandidates, "0 (all) or positive");
    }

    private static void CheckOpenUnit(double value, string name)
    {
        if (!(value > 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} lies in (0, 1)");
    }
}
