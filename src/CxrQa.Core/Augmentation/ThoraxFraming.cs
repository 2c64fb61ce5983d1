namespace CxrQa.Core.Augmentation;

/// <summary>
/// The framing probe's deterministic windows: the film cropped towards the thorax at a given tightness, so the chest
/// fills more of the frame while the labels stay true (nothing of the lungs is cut at the levels used).
/// Tightness 0 is the whole film; tightness 1 keeps the central 76 % of the width and 10-84 % of the height
/// (about 56 % of the area: no neck, arms or abdomen on a typical Kermany film). Levels in between interpolate linearly.
/// <para>It is deliberately not the training crop (<see cref="FramingCrop.Draw"/>): a fixed, centred window is what
/// tight collimation produces, and a probe that reused the training draw would measure memorisation of that draw.</para>
/// </summary>
public static class ThoraxFraming
{
    /// <summary>The tightness levels the shift benchmark reports.</summary>
    public static IReadOnlyList<double> ProbeLevels { get; } = [0.5, 0.75, 1.0];

    private const double TightLeft = 0.12;
    private const double TightRight = 0.88;
    private const double TightTop = 0.10;
    private const double TightBottom = 0.84;

    public static FramingCrop Window(double tightness)
    {
        if (tightness is < 0 or > 1 || double.IsNaN(tightness))
            throw new ArgumentOutOfRangeException(nameof(tightness), tightness, "must be in [0, 1]");
        var left = TightLeft * tightness;
        var right = 1 - (1 - TightRight) * tightness;
        var top = TightTop * tightness;
        var bottom = 1 - (1 - TightBottom) * tightness;
        return new FramingCrop(left, top, right - left, bottom - top);
    }
}
