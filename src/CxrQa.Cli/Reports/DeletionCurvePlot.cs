using CxrQa.Core.Explain;
using ScottPlot;

namespace CxrQa.Cli.Reports;

/// <summary>Grad-CAM deletion test as a PNG: mean pneumonia-logit drop against the deleted share, map-guided vs
/// random blocks, with +-1 standard error bars across films.</summary>
public static class DeletionCurvePlot
{
    public static void Write(string path, DeletionTestResult result, string? title = null,
        int width = PlotWriter.DefaultWidth, int height = PlotWriter.DefaultHeight - 80)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(result);
        using var plot = new Plot();
        var x = result.Levels.Select(l => l.Fraction * 100).ToArray();

        void Line(double[] y, double[] err, Color color, string legend)
        {
            var line = plot.Add.Scatter(x, y);
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LegendText = legend;
            var bars = plot.Add.ErrorBar(x, y, err.Select(e => double.IsNaN(e) ? 0 : e).ToArray());
            bars.Color = color;
        }
        Line(result.Levels.Select(l => l.GuidedDrop).ToArray(), result.Levels.Select(l => l.GuidedStdErr).ToArray(), Colors.Crimson, "Grad-CAM top-k pixels");
        Line(result.Levels.Select(l => l.RandomDrop).ToArray(), result.Levels.Select(l => l.RandomStdErr).ToArray(), Colors.SteelBlue,
            $"random {result.Options.BlockSide}x{result.Options.BlockSide} blocks (mean of {result.Options.RandomRepeats})");
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Gray;
        zero.LinePattern = LinePattern.Dashed;

        plot.Title(PlotWriter.Prefix(title) + $"Deletion test, {result.Films} pneumonia films");
        plot.XLabel("Share of the film blanked (%)");
        plot.YLabel("Mean drop in pneumonia logit");
        plot.ShowLegend(Alignment.UpperLeft);
        PlotWriter.Save(plot, path, width, height);
    }
}
