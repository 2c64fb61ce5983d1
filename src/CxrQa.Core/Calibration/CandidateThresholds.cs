namespace CxrQa.Core.Calibration;

/// <summary>Builds the candidate thresholds that <see cref="SelectiveThreshold"/> scans.</summary>
public static class CandidateThresholds
{
    /// <summary>
    /// The distinct observed confidences at or above <paramref name="floor"/>, highest first. With
    /// <paramref name="maxCount"/> &gt; 0 the list is thinned to about that many, keeping every k-th.
    /// </summary>
    /// <remarks>
    /// Thinning trades a little coverage for fewer chances to stop early: fixed-sequence testing halts at the first
    /// candidate whose bound fails, and with one candidate per answer a single unlucky error can be that candidate.
    /// The lowest distinct confidence is always kept so a thinned list can still reach the full range.
    /// </remarks>
    public static double[] FromConfidences(ReadOnlySpan<double> confidences, double floor = double.NegativeInfinity, int maxCount = 0)
    {
        if (maxCount < 0)
            throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "maxCount is 0 (no thinning) or positive");
        var distinct = new SortedSet<double>(Comparer<double>.Create((a, b) => b.CompareTo(a)));
        foreach (var c in confidences)
        {
            if (!double.IsFinite(c))
                throw new ArgumentException("a confidence is not finite", nameof(confidences));
            if (c >= floor)
                distinct.Add(c);
        }
        var all = distinct.ToArray();
        if (maxCount == 0 || all.Length <= maxCount)
            return all;
        var step = (int)Math.Ceiling(all.Length / (double)maxCount);
        var thinned = new List<double>(maxCount + 1);
        for (var i = step - 1; i < all.Length; i += step)
            thinned.Add(all[i]);
        if (thinned[^1] != all[^1])
            thinned.Add(all[^1]);
        return [.. thinned];
    }
}
