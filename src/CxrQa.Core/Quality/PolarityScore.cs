using CxrQa.Core.Imaging;

namespace CxrQa.Core.Quality;

/// <summary>Which way round the gray scale is. On a frontal chest film with normal polarity the air-filled lung
/// fields are darker than the mediastinum and spine between them; inverting the film (air white) flips that. The
/// score is linear in the levels with weights summing to zero, so inverting a film (255 - v) exactly negates it.</summary>
public static class PolarityScore
{
    // Regions as fractions of the (squashed) film: x from, x to, y from, y to.
    private static readonly (double X0, double X1, double Y0, double Y1) Mediastinum = (0.44, 0.56, 0.20, 0.75);
    private static readonly (double X0, double X1, double Y0, double Y1) RightLung = (0.15, 0.35, 0.25, 0.60);
    private static readonly (double X0, double X1, double Y0, double Y1) LeftLung = (0.65, 0.85, 0.25, 0.60);

    /// <summary>(mean of the mediastinum - mean of both lung fields) / standard deviation of the image: positive for
    /// normal polarity. 0 for an image with no variation.</summary>
    public static double Measure(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var std = LevelHistogram.Of(image).StandardDeviation();
        if (std <= 0)
            return 0;
        var lungs = (RegionMean(image, RightLung) + RegionMean(image, LeftLung)) / 2;
        return (RegionMean(image, Mediastinum) - lungs) / std;
    }

    private static double RegionMean(GrayImage image, (double X0, double X1, double Y0, double Y1) region)
    {
        int x0 = (int)(region.X0 * image.Width), x1 = Math.Max(x0 + 1, (int)(region.X1 * image.Width));
        int y0 = (int)(region.Y0 * image.Height), y1 = Math.Max(y0 + 1, (int)(region.Y1 * image.Height));
        double sum = 0;
        for (var y = y0; y < y1; y++)
        for (var x = x0; x < x1; x++)
            sum += image[x, y];
        return sum / ((x1 - x0) * (y1 - y0));
    }
}
