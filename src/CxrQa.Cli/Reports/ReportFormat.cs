using System.Globalization;
using CxrQa.Core.Evaluation;

namespace CxrQa.Cli.Reports;

/// <summary>Number formatting shared by the report's tables (invariant culture; undefined values print "n/a").</summary>
internal static class ReportFormat
{
    public static string Pct(double v, int decimals = 1) =>
        double.IsNaN(v) ? "n/a" : (v * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + " %";

    public static string Num(double v, string format = "0.0000") =>
        double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);

    public static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);

    public static string Interval(double lower, double upper, Func<double, string> format) =>
        double.IsNaN(lower) ? "n/a" : $"{format(lower)} – {format(upper)}";

    public static string Interval(ConfidenceInterval ci, Func<double, string> format) => Interval(ci.Lower, ci.Upper, format);
}
