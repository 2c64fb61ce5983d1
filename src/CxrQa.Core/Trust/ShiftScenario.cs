using CxrQa.Core.Augmentation;

namespace CxrQa.Core.Trust;

/// <summary>
/// A fixed, named acquisition shift applied to the network's 224 px (CLAHE-enhanced) input, to ask "would the routing
/// promise still hold if the films came from a different machine?". Applied after CLAHE, like training augmentation.
/// </summary>
public sealed record ShiftScenario(string Name, AugmentationParameters Parameters)
{
    /// <summary>The scenarios the default trust layer is certified against, besides the clean calibration films.
    /// Each is within or just beyond the training augmentation's range, so a robust model should shrug them off.</summary>
    public static IReadOnlyList<ShiftScenario> Defaults { get; } =
    [
        new("darker", AugmentationParameters.Identity with { Gamma = 1.35 }),
        new("brighter", AugmentationParameters.Identity with { Gamma = 0.75 }),
        new("low_contrast", AugmentationParameters.Identity with { Contrast = 0.75 }),
        new("blur_and_noise", AugmentationParameters.Identity with { BlurSigma = 1.2, NoiseSigma = 6 }),
        new("repositioned", AugmentationParameters.Identity with { RotationDegrees = 5, Scale = 1.08, TranslateX = 0.04, TranslateY = 0.03 }),
    ];

    /// <summary>The shifted copy of a size x size image; deterministic (the noise seed is fixed per scenario and film).</summary>
    public byte[] Apply(ReadOnlySpan<byte> pixels, int size, int filmIndex) =>
        FilmAugmenter.Apply(pixels, size, Parameters, new Random(unchecked(filmIndex * 7919 + Name.Length * 104729)));
}
