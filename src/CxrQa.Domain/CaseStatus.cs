namespace CxrQa.Domain;

/// <summary>Where a screened case went: answered on its own, or to a radiologist.</summary>
public enum CaseStatus
{
    Automated,
    PendingReview,
}

/// <summary>The wire and database names of <see cref="CaseStatus"/> (clients match on them).</summary>
public static class CaseStatusNames
{
    public const string Automated = "automated";
    public const string PendingReview = "pending_review";

    public static string Name(this CaseStatus status) => status switch
    {
        CaseStatus.Automated => Automated,
        CaseStatus.PendingReview => PendingReview,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown case status"),
    };

    public static CaseStatus Parse(string name) => name switch
    {
        Automated => CaseStatus.Automated,
        PendingReview => CaseStatus.PendingReview,
        _ => throw new FormatException($"unknown case status '{name}'"),
    };
}
