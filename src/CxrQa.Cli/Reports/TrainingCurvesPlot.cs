using CxrQa.Core.Evaluation;
using ScottPlot;

namespace CxrQa.Cli.Reports;

/// <summary>Training loss (left axis) and validation AUC (right axis) per epoch, from the bundle's training log.</summary>
public static class TrainingCurvesPlot
{
    public static void Write(string path, IReadOnlyList<TrainingEpoch> epochs, string? title = null,
        int width = PlotWriter.DefaultWidth + 160, int height = PlotWriter.DefaultHeight - 120)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Count == 0) throw new ArgumentException("no epochs to plot", nameof(epochs));
        using var plot = new Plot();

        var withLoss = epochs.Where(e => !double.IsNaN(e.TrainLoss)).ToList();
        if (withLoss.Count > 0)
        {
            var loss = plot.Add.Scatter(withLoss.Select(e => (double)e.Epoch).ToArray(), withLoss.Select(e => e.TrainLoss).ToArray());
            loss.Color = Colors.DarkOrange;
            loss.LineWidth = 2;
            loss.LegendText = "train loss";
        }
        var withAuc = epochs.Where(e => !double.IsNaN(e.ValAuc)).ToList();
        if (withAuc.Count > 0)
        {
            var auc = plot.Add.Scatter(withAuc.Select(e => (double)e.Epoch).ToArray(), withAuc.Select(e => e.ValAuc).ToArray());
            auc.Color = Colors.Navy;
            auc.LineWidth = 2;
            auc.LegendText = "validation AUC (right axis)";
            auc.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "Validation AUC";
        }
        plot.Title(PlotWriter.Prefix(title) + $"Training ({epochs.Count} epochs)");
        plot.XLabel("Epoch");
        plot.YLabel("Train loss");
        plot.ShowLegend(Alignment.MiddleRight);
        PlotWriter.Save(plot, path, width, height);
    }
}
