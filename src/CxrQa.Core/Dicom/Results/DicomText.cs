using System.Globalization;
using System.Text;

namespace CxrQa.Core.Dicom.Results;

/// <summary>Our own strings (names, versions, reasons) made to fit a VR: control characters and value delimiters
/// become spaces, and the value is cut at the VR's maximum length. Values copied from a film are never fitted:
/// those are copied only when already valid (<see cref="DicomValueRules"/>).</summary>
internal static class DicomText
{
    public static string Fit(string vr, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var singleText = !ValueRepresentation.IsMultiValuedString(vr);
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            var control = c < ' ' || c is >= (char)0x7F and <= (char)0x9F;
            var allowed = singleText ? !control || c is '\r' or '\n' or '\t' : !control && c != '\\';
            sb.Append(allowed ? c : ' ');
        }
        var text = sb.ToString().Trim();
        var max = DicomValueRules.MaxLength(vr);
        return text.Length <= max ? text : text[..max].TrimEnd();
    }

    /// <summary>A person name from free text: '=' and '\' are not allowed inside a group, and at most five '^'-separated
    /// components and 64 characters are kept.</summary>
    public static string FitPersonName(string value)
    {
        var text = Fit("LO", value.Replace('=', ' '));
        var components = text.Split('^');
        if (components.Length > 5)
            text = string.Join('^', components[..4]) + "^" + string.Join(' ', components[4..]);
        return text;
    }

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("HHmmss", CultureInfo.InvariantCulture);

    /// <summary>A DT in UTC with its offset, e.g. 20261202170509+0000.</summary>
    public static string DateTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + UtcOffset;

    /// <summary>Timezone Offset From UTC: every date and time we write is in UTC.</summary>
    public const string UtcOffset = "+0000";
}
