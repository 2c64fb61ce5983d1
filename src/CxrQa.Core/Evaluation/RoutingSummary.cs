namespace CxrQa.Core.Evaluation;

/// <summary>Where the films went: automated vs pending counts and how often each review reason was given (a film can
/// carry several reasons, so the reason counts may add up to more than the pending count).</summary>
public sealed record RoutingSummary(int Automated, int PendingReview, IReadOnlyList<KeyValuePair<string, int>> Reasons)
{
    public int Total => Automated + PendingReview;

    public static RoutingSummary Compute(IReadOnlyList<ScreenedCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var automated = cases.Count(c => c.Automated);
        var reasons = cases.SelectMany(c => c.Reasons)
            .GroupBy(r => r, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count()))
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        return new RoutingSummary(automated, cases.Count - automated, reasons);
    }
}
