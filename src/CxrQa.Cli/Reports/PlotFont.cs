using ScottPlot;

namespace CxrQa.Cli.Reports;

/// <summary>
/// Gives plots a typeface. The Linux SkiaSharp natives we ship are the no-dependencies build (no fontconfig), so
/// Skia finds no system font and ScottPlot draws every title, label and tick number as nothing. We register a TTF
/// from the usual Debian locations (fonts-dejavu-core, else Liberation) with ScottPlot by file instead.
/// </summary>
internal static class PlotFont
{
    public const string Family = "CxrQa Sans";

    /// <summary>Set <c>CXRQA_PLOT_FONT</c> to a .ttf file to use another font.</summary>
    public const string EnvironmentVariable = "CXRQA_PLOT_FONT";

    private static readonly (string Regular, string Bold)[] Candidates =
    [
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
        ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
        ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
    ];

    // Registration is process-wide in ScottPlot and must happen once; after that the value never changes.
    private static readonly Lazy<bool> Registered = new(Register);

    /// <summary>Uses the registered font for every text of <paramref name="plot"/>; leaves ScottPlot's default when no
    /// font file exists (the PNG then has no text, as before).</summary>
    public static void Apply(Plot plot)
    {
        if (Registered.Value) plot.Font.Set(Family);
    }

    private static bool Register()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var (regular, bold) = !string.IsNullOrWhiteSpace(fromEnv) && File.Exists(fromEnv)
            ? (fromEnv, fromEnv)
            : Candidates.FirstOrDefault(c => File.Exists(c.Regular));
        if (regular is null) return false;
        Fonts.AddFontFile(Family, regular, bold: false, italic: false);
        Fonts.AddFontFile(Family, File.Exists(bold) ? bold : regular, bold: true, italic: false);
        return true;
    }
}
