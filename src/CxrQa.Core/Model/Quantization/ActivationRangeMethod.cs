using System.Globalization;

namespace CxrQa.Core.Model.Quantization;

/// <summary>
/// How an activation's quantization range is read from its calibration distribution: the observed minimum and
/// maximum, or central percentiles (clipping the rare extremes buys resolution for the bulk of the values).
/// Written and parsed as <c>minmax</c> or <c>percentile:99.99</c>.
/// </summary>
public sealed record ActivationRangeMethod
{
    public const string MinMaxName = "minmax";
    public const string PercentileName = "percentile";

    private ActivationRangeMethod(double? percentile) => Percentile = percentile;

    /// <summary>Upper percentile (e.g. 99.99; the lower one is 100 - it); null for min-max.</summary>
    public double? Percentile { get; }

    public static ActivationRangeMethod MinMax { get; } = new((double?)null);

    public static ActivationRangeMethod OfPercentile(double percentile)
    {
        if (percentile is <= 50 or > 100 || double.IsNaN(percentile))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "must be above 50 and at most 100");
        return new ActivationRangeMethod(percentile);
    }

    public static ActivationRangeMethod Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Equals(MinMaxName, StringComparison.OrdinalIgnoreCase)) return MinMax;
        var prefix = PercentileName + ":";
        if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && double.TryParse(text.AsSpan(prefix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var p)
            && p is > 50 and <= 100)
            return OfPercentile(p);
        throw new FormatException($"'{text}' is not a range method: use '{MinMaxName}' or '{PercentileName}:P' with 50 < P <= 100 (e.g. percentile:99.99)");
    }

    public (float Min, float Max) RangeOf(ActivationHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (Percentile is not { } p) return (histogram.Min, histogram.Max);
        return (histogram.Quantile(1 - p / 100), histogram.Quantile(p / 100));
    }

    public override string ToString() => Percentile is { } p
        ? PercentileName + ":" + p.ToString("0.#####", CultureInfo.InvariantCulture)
        : MinMaxName;
}
