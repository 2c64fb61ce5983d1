using System.Globalization;
using System.Text.RegularExpressions;

namespace CxrQa.Core.Dicom;

/// <summary>
/// Whether one value (already split at backslashes, padding removed) is valid for its VR under PS3.5 6.2: length,
/// character repertoire and syntax (DA as YYYYMMDD, TM, AS as nnnD/W/M/Y, UI, DS, IS, PN groups and components).
/// Used to decide which attributes of a received film may be copied into the objects we write: an invalid value is
/// never copied. Characters beyond ASCII are accepted only in the VRs that may use a character set.
/// </summary>
internal static partial class DicomValueRules
{
    public static bool IsValid(string vr, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxLength(vr))
            return false;
        if (!ValueRepresentation.UsesCharacterSet(vr) && value.Any(c => c > 0x7E))
            return false;
        return vr switch
        {
            "AS" => AgeString().IsMatch(value),
            "CS" => CodeString().IsMatch(value),
            "DA" => DateTime.TryParseExact(value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "TM" => TimeString().IsMatch(value),
            "DT" => DateTimeString().IsMatch(value),
            "UR" => value.All(c => c > ' ' && c < 0x7F),
            "DS" => DecimalString().IsMatch(value.Trim(' ')),
            "IS" => IntegerString().IsMatch(value.Trim(' ')) && int.TryParse(value.Trim(' '), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            "UI" => UidString().IsMatch(value),
            "PN" => IsPersonName(value),
            "LO" or "SH" or "UC" or "AE" => value.All(c => IsGraphic(c) && c != '\\'),
            "ST" or "LT" or "UT" => value.All(c => IsGraphic(c) || c is '\r' or '\n' or '\f' or '\t'),
            _ => false,
        };
    }

    /// <summary>Maximum characters of one value (PS3.5 Table 6.2-1); for PN, of the whole value (each of its three
    /// component groups is checked against 64 separately).</summary>
    public static int MaxLength(string vr) => vr switch
    {
        "AE" => 16,
        "AS" => 4,
        "CS" => 16,
        "DA" => 8,
        "DS" => 16,
        "IS" => 12,
        "LO" => 64,
        "LT" => 10240,
        "PN" => 3 * 64 + 2,
        "SH" => 16,
        "ST" => 1024,
        "TM" => 14,
        "DT" => 26,
        "UI" => 64,
        "UC" or "UT" or "UR" => int.MaxValue,
        _ => 0,
    };

    /// <summary>At most three component groups (alphabetic, ideographic, phonetic), each of at most 64 characters and
    /// five '^'-separated components, with no backslash or control character.</summary>
    private static bool IsPersonName(string value)
    {
        var groups = value.Split('=');
        if (groups.Length > 3)
            return false;
        foreach (var g in groups)
        {
            if (g.Length > 64 || g.Split('^').Length > 5)
                return false;
            if (g.Any(c => !IsGraphic(c) || c == '\\'))
                return false;
        }
        return true;
    }

    /// <summary>A printable character: not a C0 or C1 control character and not DEL (ESC is not accepted either:
    /// values are re-encoded as UTF-8, so ISO 2022 escape sequences have no place in them).</summary>
    private static bool IsGraphic(char c) => c >= ' ' && !(c >= 0x7F && c <= 0x9F);

    [GeneratedRegex(@"^[0-9]{3}[DWMY]\z")]
    private static partial Regex AgeString();

    [GeneratedRegex(@"^[A-Z0-9_ ]*\z")]
    private static partial Regex CodeString();

    // HH, HHMM, HHMMSS, HHMMSS.F{1,6}; 60 seconds allows a leap second.
    [GeneratedRegex(@"^([01][0-9]|2[0-3])([0-5][0-9](([0-5][0-9]|60)(\.[0-9]{1,6})?)?)?\z")]
    private static partial Regex TimeString();

    // YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&ZZXX]
    [GeneratedRegex(@"^[0-9]{4}([0-9]{2}([0-9]{2}([0-9]{2}([0-9]{2}([0-9]{2}(\.[0-9]{1,6})?)?)?)?)?)?([+-][0-9]{4})?\z")]
    private static partial Regex DateTimeString();

    [GeneratedRegex(@"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\z")]
    private static partial Regex DecimalString();

    [GeneratedRegex(@"^[+-]?[0-9]+\z")]
    private static partial Regex IntegerString();

    [GeneratedRegex(@"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+\z")]
    private static partial Regex UidString();
}
