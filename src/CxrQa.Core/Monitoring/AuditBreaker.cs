namespace CxrQa.Core.Monitoring;

/// <summary>The audit-sample evidence for one predicted class: its promise and its bounds.</summary>
public sealed record ClassAudit(string PredictedClass, double Alpha, ErrorBounds Bounds)
{
    /// <summary>The evidence says, at the sequence's level, that the class's automated error exceeds its promise.</summary>
    public bool Broken => Bounds.Lower > Alpha;
}

/// <summary>
/// The labelled circuit breaker. The audit sample (a hash-drawn share of automated answers, decided by radiologists
/// without seeing the AI's answer) is an unbiased sample of production error; per predicted class an anytime-valid
/// confidence sequence (<see cref="ErrorConfidenceSequence"/>) bounds the automated error, and the breaker opens when a
/// class's lower bound exceeds that class's alpha. Checked after every decision without inflating the error: that is
/// what anytime-valid buys.
/// </summary>
public static class AuditBreaker
{
    /// <param name="counts">Per predicted class: (alpha promised, disagreements, decided samples). Unreadable excluded.</param>
    /// <param name="delta">One minus the confidence of each class's sequence.</param>
    public static IReadOnlyList<ClassAudit> Evaluate(IEnumerable<(string PredictedClass, double Alpha, long Errors, long Samples)> counts, double delta) =>
        counts.Select(c => new ClassAudit(c.PredictedClass, c.Alpha, ErrorConfidenceSequence.Bounds(c.Errors, c.Samples, delta))).ToList();

    /// <summary>The first broken class (the one whose lower bound is furthest above its alpha), or null.</summary>
    public static ClassAudit? Tripped(IEnumerable<ClassAudit> audits) =>
        audits.Where(a => a.Broken).MaxBy(a => a.Bounds.Lower - a.Alpha);
}
