using CxrQa.Core.Imaging;

namespace CxrQa.Core.Quality;

/// <summary>How left-right symmetric a film is: a frontal (PA/AP) chest is roughly its own mirror image about the
/// spine, a lateral one is not (spine on one side, sternum on the other).</summary>
public static class MirrorSymmetry
{
    /// <summary>The highest Pearson correlation between the image and its mirror about any vertical axis within
    /// <paramref name="axisSearch"/> x width of the centre. The axis is searched because patients, children
    /// especially, are rarely centred on the film. Only columns that have a mirror partner inside the image
    /// count. 0 for an image with no variation.</summary>
    public static double BestCorrelation(GrayImage image, double axisSearch)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(axisSearch, 0);
        var width = image.Width;
        // Mirror partner of column x is (width - 1 + shift) - x: shift 0 is the centre axis, each unit moves it half a column.
        var maxShift = (int)Math.Round(2 * axisSearch * width);
        var best = double.NegativeInfinity;
        for (var shift = -maxShift; shift <= maxShift; shift++)
            best = Math.Max(best, Correlation(image, shift));
        return double.IsNegativeInfinity(best) ? 0 : best;
    }

    private static double Correlation(GrayImage image, int shift)
    {
        var width = image.Width;
        var reach = width - 1 + shift;
        int from = Math.Max(0, reach - (width - 1)), to = Math.Min(width - 1, reach);
        if (to - from < 1)
            return 0;
        double n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        for (var y = 0; y < image.Height; y++)
        for (var x = from; x <= to; x++)
        {
            double a = image[x, y], b = image[reach - x, y];
            n++;
            sa += a;
            sb += b;
            saa += a * a;
            sbb += b * b;
            sab += a * b;
        }
        var cov = sab - sa * sb / n;
        var va = saa - sa * sa / n;
        var vb = sbb - sb * sb / n;
        return va <= 0 || vb <= 0 ? 0 : cov / Math.Sqrt(va * vb);
    }
}
