using System.Globalization;
using CxrQa.Core.Evaluation;
using ScottPlot;

namespace CxrQa.Cli.Reports;

/// <summary>The confusion matrix as a 2x2 heatmap: truth in rows, prediction in columns, counts and row shares in
/// each cell. Shading is by row share, so the rarer class is as readable as the common one.</summary>
public static class ConfusionMatrixPlot
{
    public static void Write(string path, ConfusionMatrix cm, string? title = null, int width = 560, int height = 520)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(cm);
        using var plot = new Plot();

        // Row 1 (top) = truth Normal, row 0 = truth Pneumonia; column 0 = predicted Normal, 1 = predicted Pneumonia.
        (int Count, int RowTotal, double X, double Y, bool Correct)[] cells =
        [
            (cm.TrueNegatives, cm.TrueNegatives + cm.FalsePositives, 0, 1, true),
            (cm.FalsePositives, cm.TrueNegatives + cm.FalsePositives, 1, 1, false),
            (cm.FalseNegatives, cm.FalseNegatives + cm.TruePositives, 0, 0, false),
            (cm.TruePositives, cm.FalseNegatives + cm.TruePositives, 1, 0, true),
        ];
        foreach (var cell in cells)
        {
            var share = cell.RowTotal == 0 ? 0 : (double)cell.Count / cell.RowTotal;
            var box = plot.Add.Rectangle(cell.X - 0.5, cell.X + 0.5, cell.Y - 0.5, cell.Y + 0.5);
            box.FillColor = (cell.Correct ? Colors.SteelBlue : Colors.Crimson).WithAlpha(0.15 + 0.75 * share);
            box.LineColor = Colors.White;
            box.LineWidth = 2;
            var text = plot.Add.Text(cell.Count.ToString(CultureInfo.InvariantCulture) + "\n" +
                                     share.ToString("0.0%", CultureInfo.InvariantCulture), cell.X, cell.Y);
            text.LabelFontSize = 22;
            text.LabelBold = true;
            text.LabelAlignment = Alignment.MiddleCenter;
            text.LabelFontColor = share > 0.5 ? Colors.White : Colors.Black;
        }

        plot.Axes.Bottom.SetTicks([0, 1], ["Normal", "Pneumonia"]);
        plot.Axes.Left.SetTicks([0, 1], ["Pneumonia", "Normal"]);
        plot.Title(PlotWriter.Prefix(title) + $"Confusion matrix (n = {cm.Total})");
        plot.XLabel("Predicted");
        plot.YLabel("Truth");
        plot.Axes.SetLimits(-0.5, 1.5, -0.5, 1.5);
        plot.HideGrid();
        PlotWriter.Save(plot, path, width, height);
    }
}
