namespace CxrQa.Core.Dicom.Results;

/// <summary>
/// Deterministic UIDs of a case's result objects: "2.25." + the decimal of the first 128 bits of
/// SHA-256("cxrqa/" + caseId + "/" + kind ...), at most 44 characters (the UUID-derived form of PS3.5 B.2). The same
/// case always gives the same UIDs, so a retried send replaces rather than duplicates an object.
/// </summary>
public static class ResultUids
{
    /// <summary>SOP Instance UID of the case's object of this kind.</summary>
    public static string SopInstance(string caseId, ResultObjectKind kind) => FromName($"{CheckedId(caseId)}/{Name(kind)}");

    /// <summary>Series Instance UID of the case's series of this kind (each kind has its own series).</summary>
    public static string Series(string caseId, ResultObjectKind kind) => FromName($"{CheckedId(caseId)}/{Name(kind)}/series");

    /// <summary>Study Instance UID for a case whose film carries no valid one of its own (its objects still share a study).</summary>
    public static string FallbackStudy(string caseId) => FromName($"{CheckedId(caseId)}/study");

    /// <summary>A UID from any stable name: "2.25." + 128 bits of SHA-256("cxrqa/" + name).</summary>
    public static string FromName(string name) => NameBasedUid.From(name);

    private static string Name(ResultObjectKind kind) => kind switch
    {
        ResultObjectKind.ScreeningReport => "screening-report",
        ResultObjectKind.HeatmapOverlay => "heatmap-overlay",
        ResultObjectKind.VerifiedReport => "verified-report",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown result object kind"),
    };

    private static string CheckedId(string caseId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        return caseId;
    }
}
