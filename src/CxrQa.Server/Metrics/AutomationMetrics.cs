using System.Globalization;
using System.Text;
using CxrQa.Admin.Automation;

namespace CxrQa.Server.Metrics;

/// <summary>The monitors' series: the switch, each drift statistic against its alarm level, and the audit sample's
/// anytime-valid bounds per predicted class against its promise. Labels are bounded (signal names come from the
/// bundle's reference, classes are two).</summary>
internal static class AutomationMetrics
{
    public static void Write(StringBuilder sb, AutomationStatusView a)
    {
        var site = Escape(a.Site);
        Header(sb, "cxrqa_automation_paused", "1 while automated answers are paused at this site (every film goes to review).", "gauge");
        Line(sb, "cxrqa_automation_paused", $"site=\"{site}\",cause=\"{Escape(a.Cause ?? "none")}\"", a.Paused ? 1 : 0);
        Header(sb, "cxrqa_drift_films_observed", "Films in the drift monitor's stream since its last reset.", "gauge");
        Line(sb, "cxrqa_drift_films_observed", $"site=\"{site}\"", a.FilmsObserved);
        if (a.Drift is { } d)
        {
            Header(sb, "cxrqa_drift_statistic", "CUSUM statistic of each drift signal; automation pauses when one reaches cxrqa_drift_threshold.", "gauge");
            foreach (var s in d.Signals)
                Line(sb, "cxrqa_drift_statistic", $"site=\"{site}\",signal=\"{Escape(s.Name)}\"", s.Statistic);
            Header(sb, "cxrqa_drift_threshold", "Alarm level of the drift CUSUMs, set for the stated false-alarm rate over the stated horizon.", "gauge");
            Line(sb, "cxrqa_drift_threshold", $"site=\"{site}\",false_alarm_rate=\"{Num(d.FalseAlarmRate)}\",horizon=\"{d.HorizonFilms}\"", d.Threshold);
        }
        if (a.Audit.Count > 0)
        {
            Header(sb, "cxrqa_audit_error_bound", "Anytime-valid bounds on the automated error rate per predicted class, from the decided audit sample.", "gauge");
            foreach (var c in a.Audit)
            {
                Line(sb, "cxrqa_audit_error_bound", $"class=\"{Escape(c.PredictedClass)}\",bound=\"lower\"", c.Lower);
                Line(sb, "cxrqa_audit_error_bound", $"class=\"{Escape(c.PredictedClass)}\",bound=\"upper\"", c.Upper);
            }
            Header(sb, "cxrqa_audit_error_alpha", "The promised automated error rate per predicted class (the breaker opens when the lower bound passes it).", "gauge");
            foreach (var c in a.Audit)
                Line(sb, "cxrqa_audit_error_alpha", $"class=\"{Escape(c.PredictedClass)}\"", c.Alpha);
            Header(sb, "cxrqa_audit_samples", "Decided audit samples per predicted class (Unreadable excluded).", "gauge");
            foreach (var c in a.Audit)
                Line(sb, "cxrqa_audit_samples", $"class=\"{Escape(c.PredictedClass)}\"", c.Samples);
        }
    }

    private static void Header(StringBuilder sb, string name, string help, string type) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder sb, string name, string labels, double value) =>
        sb.Append(name).Append('{').Append(labels).Append("} ").Append(Num(value)).Append('\n');

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
