using CxrQa.Core.Evaluation;
using ScottPlot;

namespace CxrQa.Cli.Reports;

/// <summary>Precision-recall curve as a PNG, drawn as the steps average precision sums, with the prevalence line
/// (what a score that knows nothing would get).</summary>
public static class PrecisionRecallPlot
{
    public static void Write(string path, PrecisionRecallCurve pr, string? title = null,
        int width = PlotWriter.DefaultWidth, int height = PlotWriter.DefaultHeight)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(pr);
        using var plot = new Plot();

        var baseline = plot.Add.Line(0, pr.Prevalence, 1, pr.Prevalence);
        baseline.LinePattern = LinePattern.Dashed;
        baseline.Color = Colors.Gray;
        baseline.LegendText = $"prevalence {PlotWriter.F(pr.Prevalence, "0.000")}";

        var curve = plot.Add.Scatter(pr.Recall, pr.Precision);
        curve.MarkerSize = 0;
        curve.LineWidth = 2;
        curve.Color = Colors.DarkGreen;
        curve.ConnectStyle = ConnectStyle.StepVertical;
        curve.LegendText = "precision-recall";

        plot.Title(PlotWriter.Prefix(title) + "Precision-recall, AP = " + PlotWriter.F(pr.AveragePrecision, "0.0000"));
        plot.XLabel("Recall (sensitivity)");
        plot.YLabel("Precision (PPV)");
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.LowerLeft);
        PlotWriter.Save(plot, path, width, height);
    }
}
