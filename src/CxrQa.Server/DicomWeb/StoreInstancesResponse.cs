using System.Text.Json.Nodes;

namespace CxrQa.Server.DicomWeb;

/// <summary>One instance the server stored (screened into a case): Referenced SOP Sequence item.</summary>
public sealed record ReferencedSop(string SopClassUid, string SopInstanceUid, string RetrieveUrl);

/// <summary>One instance it did not store: Failed SOP Sequence item. The UIDs are null when the part was not DICOM
/// enough to have them.</summary>
public sealed record FailedSop(string? SopClassUid, string? SopInstanceUid, ushort FailureReason);

/// <summary>
/// The Store Instances Response Module (PS3.18 Annex I) of a STOW-RS answer, in the DICOM JSON Model (PS3.18 F.2):
/// Referenced SOP Sequence (0008,1199) and Failed SOP Sequence (0008,1198), and the HTTP status the standard gives the
/// mix (Table 10.5.3-1): 200 all stored, 202 some failed, 409 none stored.
/// </summary>
public sealed record StoreInstancesResponse(IReadOnlyList<ReferencedSop> Referenced, IReadOnlyList<FailedSop> Failed)
{
    public const string MediaType = "application/dicom+json";

    public int HttpStatus => Failed.Count == 0 ? StatusCodes.Status200OK
        : Referenced.Count == 0 ? StatusCodes.Status409Conflict
        : StatusCodes.Status202Accepted;

    public JsonObject ToJson()
    {
        var root = new JsonObject();
        if (Failed.Count > 0)
            root[Tags.FailedSopSequence] = Sequence(Failed.Select(f => new JsonObject
            {
                [Tags.ReferencedSopClassUid] = Element("UI", f.SopClassUid),
                [Tags.ReferencedSopInstanceUid] = Element("UI", f.SopInstanceUid),
                [Tags.FailureReason] = new JsonObject { ["vr"] = "US", ["Value"] = new JsonArray((int)f.FailureReason) },
            }));
        if (Referenced.Count > 0)
            root[Tags.ReferencedSopSequence] = Sequence(Referenced.Select(r => new JsonObject
            {
                [Tags.ReferencedSopClassUid] = Element("UI", r.SopClassUid),
                [Tags.ReferencedSopInstanceUid] = Element("UI", r.SopInstanceUid),
                [Tags.RetrieveUrl] = Element("UR", r.RetrieveUrl),
            }));
        return root;
    }

    /// <summary>An attribute; without a value it is present and empty (PS3.18 F.2.5).</summary>
    private static JsonObject Element(string vr, string? value) =>
        value is null ? new JsonObject { ["vr"] = vr } : new JsonObject { ["vr"] = vr, ["Value"] = new JsonArray(value) };

    private static JsonObject Sequence(IEnumerable<JsonObject> items) =>
        new() { ["vr"] = "SQ", ["Value"] = new JsonArray(items.Cast<JsonNode>().ToArray()) };

    /// <summary>The attributes' tags as the DICOM JSON Model writes them (eight upper-case hex digits).</summary>
    public static class Tags
    {
        public const string RetrieveUrl = "00081190";
        public const string FailedSopSequence = "00081198";
        public const string ReferencedSopSequence = "00081199";
        public const string ReferencedSopClassUid = "00081150";
        public const string ReferencedSopInstanceUid = "00081155";
        public const string FailureReason = "00081197";
    }
}
