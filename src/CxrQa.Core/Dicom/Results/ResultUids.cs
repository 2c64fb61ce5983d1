namespace CxrQa.Core.Dicom.Results;

/// <summary>
/// Deterministic UIDs of a case's result objects: "2.25." + the decimal of the first 128 bits of
/// SHA-256("cxrqa/" + caseId + "/" + what), at most 44 characters (PS3.5 B.2 UUID-derived form). The same case always
/// gives the same UIDs, so a retried send replaces rather than duplicates.
/// </summary>
public static class ResultUids
{
    /// <summary>SOP Instance UID of the case's object of this kind.</summary>
    public static string SopInstance(string caseId, ResultObjectKind kind) => throw new NotImplementedException();

    /// <summary>Series Instance UID of the case's series of this kind.</summary>
    public static string Series(string caseId, ResultObjectKind kind) => throw new NotImplementedException();

    /// <summary>A UID from any stable name (the "2.25." form above over "cxrqa/" + name).</summary>
    public static string FromName(string name) => throw new NotImplementedException();
}
