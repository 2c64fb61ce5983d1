using System.Globalization;

namespace CxrQa.Core.Evaluation;

/// <summary>One epoch of a training run (NaN where the log lacks the column or the value).</summary>
public sealed record TrainingEpoch(int Epoch, double TrainLoss, double ValAuc, double ValLoss, double LearningRate, double Seconds);

/// <summary>
/// The fine-tuning trainer's <c>training_log.csv</c> (header <c>epoch,train_loss,val_auc,val_loss,lr,seconds</c>).
/// Columns are found by name so that a reordered or extended log still reads; only <c>epoch</c> is required.
/// </summary>
public static class TrainingLog
{
    public const string FileName = "training_log.csv";

    public static IReadOnlyList<TrainingEpoch> Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var lines = csv.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) return [];
        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        var epochColumn = header.IndexOf("epoch");
        if (epochColumn < 0) throw new FormatException($"{FileName} has no 'epoch' column (header: {lines[0]})");

        var epochs = new List<TrainingEpoch>();
        for (var i = 1; i < lines.Count; i++)
        {
            var cells = lines[i].Split(',');
            double Cell(string name)
            {
                var c = header.IndexOf(name);
                return c >= 0 && c < cells.Length && double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
            }
            var epoch = Cell("epoch");
            if (double.IsNaN(epoch)) throw new FormatException($"{FileName} line {i + 1}: epoch '{lines[i]}' is not a number");
            epochs.Add(new TrainingEpoch((int)epoch, Cell("train_loss"), Cell("val_auc"), Cell("val_loss"), Cell("lr"), Cell("seconds")));
        }
        return epochs;
    }
}
