namespace CxrQa.Core.Dicom;

/// <summary>Value-representation rules the parser and the writer need: which two-letter codes are VRs, which use the
/// long (reserved + 32-bit) length form in explicit VR encodings, which are character strings and how values pad.</summary>
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

    /// <summary>Character-string VRs (PS3.5 6.2): padded to even length with a space, UI with a NUL.</summary>
    private static readonly HashSet<string> Strings =
        ["AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"];

    /// <summary>String VRs whose characters may come from the Specific Character Set beyond the default repertoire
    /// (PS3.5 6.1.2.3); every other string VR is plain ASCII.</summary>
    private static readonly HashSet<string> CharacterSetText = ["LO", "LT", "PN", "SH", "ST", "UC", "UT"];

    /// <summary>Single-valued text VRs in which a backslash is an ordinary character, not a value delimiter.</summary>
    private static readonly HashSet<string> SingleValuedText = ["LT", "ST", "UT", "UR"];

    public static bool HasLongLength(string vr) => LongLength.Contains(vr);

    public static bool IsString(string vr) => Strings.Contains(vr);

    public static bool UsesCharacterSet(string vr) => CharacterSetText.Contains(vr);

    public static bool IsMultiValuedString(string vr) => Strings.Contains(vr) && !SingleValuedText.Contains(vr);

    /// <summary>The byte an odd-length value is padded with (PS3.5 6.2, 7.1.1): NUL for UI and binary VRs, a space
    /// for the other strings.</summary>
    public static byte PaddingByte(string vr) => vr != "UI" && Strings.Contains(vr) ? (byte)' ' : (byte)0;

    public static string ToCode(byte a, byte b) => string.Create(2, (a, b), static (s, v) =>
    {
        s[0] = (char)v.a;
        s[1] = (char)v.b;
    });
}
