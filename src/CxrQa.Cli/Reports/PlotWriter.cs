using System.Globalization;
using CxrQa.Core.Evaluation;
using ScottPlot;

namespace CxrQa.Cli.Reports;

/// <summary>Writes the evaluation figures as PNG files.</summary>
public static class PlotWriter
{
    public const int DefaultWidth = 640;
    public const int DefaultHeight = 600;

    /// <summary>ROC curve with the AUC in the title and the chance diagonal.</summary>
    public static void Roc(string path, RocCurve roc, string? title = null, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(roc);
        using var plot = new Plot();

        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LinePattern = LinePattern.Dashed;
        chance.Color = Colors.Gray;
        chance.LegendText = "chance";

        var curve = plot.Add.Scatter(roc.FalsePositiveRates, roc.TruePositiveRates);
        curve.MarkerSize = 0;
        curve.LineWidth = 2;
        curve.Color = Colors.Navy;
        curve.LegendText = "ROC";

        plot.Title(Prefix(title) + "ROC, AUC = " + F(roc.Auc, "0.0000"));
        plot.XLabel("False positive rate (1 - specificity)");
        plot.YLabel("True positive rate (sensitivity)");
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, width, height);
    }

    /// <summary>Reliability diagram: accuracy per confidence bin as bars, mean confidence vs accuracy as points,
    /// the diagonal of perfect calibration and each bin's film count above its bar.</summary>
    public static void Reliability(string path, ReliabilityBins bins, string? title = null, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(bins);
        using var plot = new Plot();

        var filled = bins.Bins.Where(b => b.Count > 0).ToList();
        var bars = plot.Add.Bars(filled.Select(b => (b.Lower + b.Upper) / 2).ToArray(), filled.Select(b => b.Accuracy).ToArray());
        foreach (var (bar, bin) in bars.Bars.Zip(filled))
        {
            bar.Size = (bin.Upper - bin.Lower) * 0.9;
            bar.FillColor = Colors.SteelBlue.WithAlpha(0.6);
        }
        bars.LegendText = "accuracy per bin";

        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        diagonal.LegendText = "perfect calibration";

        if (filled.Count > 0)
        {
            var points = plot.Add.ScatterPoints(filled.Select(b => b.MeanConfidence).ToArray(), filled.Select(b => b.Accuracy).ToArray());
            points.MarkerSize = 7;
            points.Color = Colors.DarkOrange;
            points.LegendText = "mean confidence vs accuracy";
        }
        foreach (var bin in filled)
        {
            var label = plot.Add.Text("n=" + bin.Count.ToString(CultureInfo.InvariantCulture), (bin.Lower + bin.Upper) / 2, Math.Min(bin.Accuracy, 1) + 0.01);
            label.LabelFontSize = 9;
            label.LabelAlignment = Alignment.LowerCenter;
        }

        var what = bins.View == ReliabilityView.TopLabel ? "confidence of the predicted class" : "predicted pneumonia probability";
        plot.Title(Prefix(title) + $"Reliability, ECE = {F(bins.Ece, "0.0000")} ({bins.Bins.Count} bins, n = {bins.Count})");
        plot.XLabel("Mean " + what);
        plot.YLabel(bins.View == ReliabilityView.TopLabel ? "Accuracy" : "Observed pneumonia fraction");
        plot.Axes.SetLimits(0, 1, 0, 1.08);
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path, width, height);
    }

    internal static void Save(Plot plot, string path, int width, int height)
    {
        PlotFont.Apply(plot);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        plot.SavePng(path, width, height);
    }

    internal static string Prefix(string? title) => string.IsNullOrWhiteSpace(title) ? "" : title + ": ";

    internal static string F(double v, string format) => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);
}
