namespace CxrQa.Storage;

/// <summary>Exponential back-off for PACS outbox rows: pure, so it is tested as a function.</summary>
public static class RetrySchedule
{
    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt (1-based): first, 2 x first, 4 x first,
    /// ..., never more than <paramref name="max"/>.</summary>
    public static TimeSpan Delay(int attempts, TimeSpan first, TimeSpan max)
    {
        if (attempts < 1 || first <= TimeSpan.Zero || max < first)
            throw new ArgumentOutOfRangeException(nameof(attempts), "attempts >= 1, first > 0 and max >= first");
        // Compared as a ratio so that 2^(attempts-1) x first never overflows: past the cap is the cap.
        var doublings = Math.Min(attempts - 1, 62);
        var ratio = max.Ticks / first.Ticks;
        return (1L << doublings) >= ratio ? max : TimeSpan.FromTicks(first.Ticks << doublings);
    }
}
