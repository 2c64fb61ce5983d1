namespace CxrQa.Core.Augmentation;

/// <summary>One film's drawn jitter. <see cref="Identity"/> leaves the film unchanged.</summary>
public sealed record AugmentationParameters(
    double RotationDegrees, double Scale, double TranslateX, double TranslateY, bool Flip,
    double Brightness, double Contrast, double Gamma, double BlurSigma, double NoiseSigma, FramingCrop Framing)
{
    public static AugmentationParameters Identity { get; } = new(0, 1, 0, 0, false, 0, 1, 1, 0, 0, FramingCrop.Full);
}
