namespace CxrQa.Core.Model.Quantization;

/// <summary>
/// Distribution of one activation tensor over the calibration films: exact minimum and maximum, and a histogram
/// over a fixed range (known from a first pass) from which quantiles are read. Bins are uniform; a quantile is
/// interpolated linearly inside its bin, so it is exact to within one bin width.
/// </summary>
public sealed class ActivationHistogram
{
    public const int DefaultBins = 4096;

    private readonly long[] _counts;
    private readonly float _lo;
    private readonly float _width;

    public ActivationHistogram(float lo, float hi, int bins = DefaultBins)
    {
        if (!float.IsFinite(lo) || !float.IsFinite(hi) || lo > hi) throw new ArgumentException($"not a finite range: [{lo}, {hi}]");
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        _counts = new long[bins];
        _lo = lo;
        _width = hi > lo ? (hi - lo) / bins : 1f;
        Min = float.PositiveInfinity;
        Max = float.NegativeInfinity;
    }

    public long Count { get; private set; }
    public float Min { get; private set; }
    public float Max { get; private set; }

    public void Add(ReadOnlySpan<float> values)
    {
        var last = _counts.Length - 1;
        var min = Min;
        var max = Max;
        foreach (var v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
            var bin = (int)((v - _lo) / _width);
            _counts[Math.Clamp(bin, 0, last)]++;
        }
        Min = min;
        Max = max;
        Count += values.Length;
    }

    /// <summary>The value below which a fraction <paramref name="q"/> (0..1) of the observations lie.</summary>
    public float Quantile(double q)
    {
        if (Count == 0) throw new InvalidOperationException("no values observed");
        if (q is < 0 or > 1 || double.IsNaN(q)) throw new ArgumentOutOfRangeException(nameof(q), q, "must be within 0..1");
        var target = q * Count;
        double below = 0;
        for (var b = 0; b < _counts.Length; b++)
        {
            if (_counts[b] > 0 && below + _counts[b] >= target)
            {
                var inside = (target - below) / _counts[b];
                var value = _lo + (float)((b + inside) * _width);
                return Math.Clamp(value, Min, Max);
            }
            below += _counts[b];
        }
        return Max;
    }
}
