using CxrQa.Core.Evaluation;
using ScottPlot;

namespace CxrQa.Cli.Reports;

/// <summary>Risk-coverage curve as a PNG, with the routing policy's realised operating point.</summary>
public static class RiskCoveragePlot
{
    /// <param name="operatingPoint">(coverage, error rate among automated films) of the policy; null when it automated nothing.</param>
    public static void Write(string path, RiskCoverageCurve curve, (double Coverage, double Risk)? operatingPoint, string? title = null,
        int width = PlotWriter.DefaultWidth, int height = PlotWriter.DefaultHeight)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(curve);
        using var plot = new Plot();

        var line = plot.Add.Scatter(curve.Coverage, curve.Risk);
        line.MarkerSize = 0;
        line.LineWidth = 2;
        line.Color = Colors.Navy;
        line.LegendText = "answer the most confident first";

        var overall = curve.Risk[^1];
        var full = plot.Add.Line(0, overall, 1, overall);
        full.LinePattern = LinePattern.Dashed;
        full.Color = Colors.Gray;
        full.LegendText = $"error with no abstention {PlotWriter.F(overall, "0.000")}";

        if (operatingPoint is { } op && !double.IsNaN(op.Risk))
        {
            var point = plot.Add.ScatterPoints(new[] { op.Coverage }, new[] { op.Risk });
            point.MarkerSize = 12;
            point.MarkerShape = MarkerShape.FilledDiamond;
            point.Color = Colors.Crimson;
            point.LegendText = $"policy: coverage {PlotWriter.F(op.Coverage, "0.000")}, error {PlotWriter.F(op.Risk, "0.000")}";
        }

        var top = Math.Max(0.05, curve.Risk.Max() * 1.15);
        plot.Title(PlotWriter.Prefix(title) + $"Risk-coverage, AURC = {PlotWriter.F(curve.Aurc, "0.0000")} (E-AURC {PlotWriter.F(curve.ExcessAurc, "0.0000")})");
        plot.XLabel("Coverage (share of films answered)");
        plot.YLabel("Error rate among answered films");
        plot.Axes.SetLimits(0, 1, 0, top);
        plot.ShowLegend(Alignment.UpperLeft);
        PlotWriter.Save(plot, path, width, height);
    }
}
