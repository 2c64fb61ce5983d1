using CxrQa.Core.Imaging;

namespace CxrQa.Core.Quality;

/// <summary>Counts of each of the 256 gray levels of a film; every intensity statistic of the gate reads it, so a
/// multi-megapixel film is walked once.</summary>
public sealed class LevelHistogram
{
    private readonly long[] _counts;

    private LevelHistogram(long[] counts, long total)
    {
        _counts = counts;
        Total = total;
    }

    public long Total { get; }

    public long this[int level] => _counts[level];

    public static LevelHistogram Of(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var counts = new long[256];
        foreach (var level in image.Pixels)
            counts[level]++;
        return new LevelHistogram(counts, image.Pixels.Length);
    }

    /// <summary>Fraction of pixels at or below <paramref name="black"/> or at or above <paramref name="white"/>.</summary>
    public double ExtremeFraction(int black, int white)
    {
        long extreme = 0;
        for (var level = 0; level < 256; level++)
            if (level <= black || level >= white)
                extreme += _counts[level];
        return (double)extreme / Total;
    }

    public double Mean()
    {
        double sum = 0;
        for (var level = 0; level < 256; level++)
            sum += (double)level * _counts[level];
        return sum / Total;
    }

    public double StandardDeviation()
    {
        var mean = Mean();
        double squares = 0;
        for (var level = 0; level < 256; level++)
            squares += _counts[level] * (level - mean) * (level - mean);
        return Math.Sqrt(squares / Total);
    }

    /// <summary>The lowest level at or below which at least <paramref name="percent"/> % of the pixels lie
    /// (nearest-rank; no interpolation, levels are integers anyway).</summary>
    public int Percentile(double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var rank = Math.Max(1, (long)Math.Ceiling(percent / 100 * Total));
        long cumulative = 0;
        for (var level = 0; level < 256; level++)
        {
            cumulative += _counts[level];
            if (cumulative >= rank)
                return level;
        }
        return 255;
    }
}
