namespace CxrQa.Core.Explain;

/// <summary>Colour maps for heatmaps.</summary>
public static class Colormaps
{
    /// <summary>
    /// MATLAB/OpenCV "jet": dark blue (0) -> blue -> cyan -> green-yellow (0.5) -> yellow -> red -> dark red (1).
    /// Each channel is the tent <c>clamp(1.5 - |4v - c|, 0, 1)</c> centred at c = 1 (blue), 2 (green), 3 (red),
    /// so v = 0 is (0, 0, 128), v = 0.5 is (128, 255, 128) and v = 1 is (128, 0, 0). OpenCV's table differs by at
    /// most a few levels because it resamples MATLAB's 64-entry table; the continuous form needs no table.
    /// </summary>
    /// <param name="v">Position on the map; values outside [0, 1] (and NaN) are clamped (NaN to 0).</param>
    public static (byte R, byte G, byte B) Jet(double v)
    {
        v = double.IsNaN(v) ? 0.0 : Math.Clamp(v, 0.0, 1.0);
        return (Tent(v, 3.0), Tent(v, 2.0), Tent(v, 1.0));
    }

    private static byte Tent(double v, double centre)
        => (byte)Math.Round(255.0 * Math.Clamp(1.5 - Math.Abs(4.0 * v - centre), 0.0, 1.0), MidpointRounding.AwayFromZero);
}
