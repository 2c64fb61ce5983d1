using System.Text.RegularExpressions;

namespace CxrQa.Core.Data;

/// <summary>
/// Reads the patient id that the Kermany file names carry. The three naming schemes number patients
/// independently (person12 and IM-0012 are unrelated), so each id is prefixed with its scheme.
/// </summary>
public static partial class PatientIdParser
{
    /// <summary>
    /// <c>personN_bacteria_M</c> / <c>personN_virus_M</c> (also with a trailing <c>_K</c>) -> "person:N";
    /// <c>IM-XXXX-YYYY[-ZZZZ]</c> -> "im:XXXX"; <c>NORMAL2-IM-XXXX-YYYY[-ZZZZ]</c> -> "normal2:XXXX".
    /// Anything else is its own patient: "file:" + the path without its extension, so that two unknown files
    /// with the same stem in different folders stay two patients (for a bare file name that is its stem).
    /// </summary>
    /// <param name="relativePath">A file name or a path relative to the dataset root ('/' or '\' separated).</param>
    public static string Parse(string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        var normalised = relativePath.Replace('\\', '/');
        var fileName = normalised[(normalised.LastIndexOf('/') + 1)..];
        var stem = Path.GetFileNameWithoutExtension(fileName);

        var m = PersonPattern().Match(stem);
        if (m.Success) return "person:" + m.Groups[1].Value;
        m = Normal2Pattern().Match(stem);
        if (m.Success) return "normal2:" + m.Groups[1].Value;
        m = ImPattern().Match(stem);
        if (m.Success) return "im:" + m.Groups[1].Value;

        var dot = normalised.LastIndexOf('.');
        var withoutExtension = dot > normalised.LastIndexOf('/') ? normalised[..dot] : normalised;
        return "file:" + withoutExtension;
    }

    [GeneratedRegex(@"^person(\d+)_(?:bacteria|virus)_\d+(?:_\d+)*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PersonPattern();

    [GeneratedRegex(@"^NORMAL2-IM-(\d+)(?:-\d+)+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Normal2Pattern();

    [GeneratedRegex(@"^IM-(\d+)(?:-\d+)+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ImPattern();
}
