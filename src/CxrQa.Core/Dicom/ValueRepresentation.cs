namespace CxrQa.Core.Dicom;

/// <summary>Value-representation rules the parser needs: which two-letter codes are VRs, and which use the long
/// (reserved + 32-bit) length form in explicit VR encodings.</summary>
internal static class ValueRepresentation
{
    /// <summary>VR used for elements whose VR is not in the stream (implicit VR, item tags).</summary>
    public const string Implicit = "--";

    private static readonly HashSet<string> Known =
    [
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW",
        "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
    ];

    private static readonly HashSet<string> LongLength =
        ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UR", "UT", "UN", "SV", "UV"];

    /// <summary>True when the two bytes are a VR this parser knows. Unknown codes are rejected rather than guessed:
    /// guessing the length form of an unknown VR desynchronises the parser silently.</summary>
    public static bool IsKnown(byte a, byte b) =>
        a is >= (byte)'A' and <= (byte)'Z' && b is >= (byte)'A' and <= (byte)'Z' && Known.Contains(ToCode(a, b));

    public static bool HasLongLength(string vr) => LongLength.Contains(vr);

    public static string ToCode(byte a, byte b) => string.Create(2, (a, b), static (s, v) =>
    {
        s[0] = (char)v.a;
        s[1] = (char)v.b;
    });
}
