namespace CxrQa.Core.Augmentation;

/// <summary>
/// Ranges of the random jitter applied to each training film, chosen to simulate acquisition shift (exposure,
/// detector response, positioning, sharpness, noise) rather than to invent anatomy. Applied to the 224x224
/// CLAHE-enhanced image (see <see cref="FilmAugmenter"/>). Every parameter is drawn uniformly from its range.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>Rotation, degrees: drawn from [-RotationDegrees, +RotationDegrees].</summary>
    public double RotationDegrees { get; init; } = 7;
    public double ScaleMin { get; init; } = 0.9;
    public double ScaleMax { get; init; } = 1.1;
    /// <summary>Translation as a fraction of the side, each axis: [-Translation, +Translation].</summary>
    public double Translation { get; init; } = 0.06;
    /// <summary>Additive brightness on the 0..1 scale: [-Brightness, +Brightness].</summary>
    public double Brightness { get; init; } = 0.1;
    public double ContrastMin { get; init; } = 0.8;
    public double ContrastMax { get; init; } = 1.25;
    public double GammaMin { get; init; } = 0.8;
    public double GammaMax { get; init; } = 1.25;
    /// <summary>Chance that a film gets a Gaussian blur (else additive noise, see <see cref="NoiseProbability"/>).</summary>
    public double BlurProbability { get; init; } = 0.35;
    public double BlurSigmaMax { get; init; } = 1.0;
    /// <summary>Chance that a film (not blurred) gets additive Gaussian noise.</summary>
    public double NoiseProbability { get; init; } = 0.35;
    /// <summary>Largest noise standard deviation, in gray levels (0..255).</summary>
    public double NoiseSigmaMax { get; init; } = 6;
    /// <summary>Chance that a film is cropped towards the thorax (<see cref="FramingCrop.Draw"/>) before CLAHE, so
    /// chest-filling framing is seen in training; 0 turns framing crops off.</summary>
    public double FramingProbability { get; init; } = 0.6;
    /// <summary>Smallest crop area as a fraction of the film (0.45: the chest fills the frame; smaller crops start to cut
    /// the lung bases off a pediatric film, which would make the label wrong).</summary>
    public double FramingAreaMin { get; init; } = 0.45;
    /// <summary>Largest crop aspect distortion (width/height and its inverse).</summary>
    public double FramingAspectMax { get; init; } = 1.3;
    /// <summary>Off by default: the heart and the mediastinum are not symmetric and real films are not mirrored.</summary>
    public bool HorizontalFlip { get; init; }

    public static AugmentationOptions Default { get; } = new();

    /// <summary>No jitter at all: every film passes through unchanged.</summary>
    public static AugmentationOptions None { get; } = new()
    {
        RotationDegrees = 0, ScaleMin = 1, ScaleMax = 1, Translation = 0, Brightness = 0, ContrastMin = 1, ContrastMax = 1,
        GammaMin = 1, GammaMax = 1, FramingProbability = 0, BlurProbability = 0, BlurSigmaMax = 0, NoiseProbability = 0, NoiseSigmaMax = 0,
    };

    /// <summary>A short human-readable list for the model card.</summary>
    public IReadOnlyList<string> Describe() =>
    [
        FramingProbability > 0
            ? $"framing crop (p {FramingProbability:0.##}): area {FramingAreaMin:0.##}-1, aspect up to {FramingAspectMax:0.##}, before CLAHE"
            : "no framing crop",
        $"rotation ±{RotationDegrees:0.#}°", $"scale {ScaleMin:0.##}-{ScaleMax:0.##}", $"translation ±{Translation:P0}",
        $"brightness ±{Brightness:0.##}", $"contrast {ContrastMin:0.##}-{ContrastMax:0.##}", $"gamma {GammaMin:0.##}-{GammaMax:0.##}",
        $"gaussian blur sigma 0-{BlurSigmaMax:0.##} (p {BlurProbability:0.##})",
        $"gaussian noise sigma 0-{NoiseSigmaMax:0.#} levels (p {NoiseProbability:0.##} when not blurred)",
        HorizontalFlip ? "horizontal flip (p 0.5)" : "no horizontal flip",
        "applied after CLAHE on the 224x224 enhanced film; bilinear resampling, edge pixels replicated",
    ];
}
