namespace CxrQa.Server.Pacs;

/// <summary>Exponential back-off for outbox rows: pure, so it is tested as a function.</summary>
public static class RetrySchedule
{
    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt (1-based): first, 2 x first, 4 x first,
    /// ..., never more than <paramref name="max"/>.</summary>
    public static TimeSpan Delay(int attempts, TimeSpan first, TimeSpan max)
    {
        if (attempts < 1 || first <= TimeSpan.Zero || max < first)
            throw new ArgumentOutOfRangeException(nameof(attempts), "attempts >= 1, first > 0 and max >= first");
        // 2^(attempts-1) overflows long ticks well before 63 doublings; anything past the cap is the cap.
        var doublings = Math.Min(attempts - 1, 62);
        var ratio = max.Ticks / first.Ticks;
        return doublings >= 63 || (1L << doublings) >= ratio ? max : TimeSpan.FromTicks(first.Ticks << doublings);
    }
}
