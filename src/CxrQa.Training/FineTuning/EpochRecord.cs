using System.Globalization;

namespace CxrQa.Training.FineTuning;

/// <summary>One line of the training log (training_log.csv). Epochs are 1-based; Seconds covers the epoch with its
/// validation, TrainSeconds the training steps alone.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double ValAuc, double ValLoss, double LearningRate, double Seconds,
    int Steps, bool Partial, double TrainSeconds)
{
    public const string CsvHeader = "epoch,train_loss,val_auc,val_loss,lr,seconds,steps,partial,train_seconds";

    public string ToCsv() => string.Join(',',
        Epoch.ToString(CultureInfo.InvariantCulture), F(TrainLoss), F(ValAuc), F(ValLoss),
        LearningRate.ToString("G6", CultureInfo.InvariantCulture), Seconds.ToString("F1", CultureInfo.InvariantCulture),
        Steps.ToString(CultureInfo.InvariantCulture), Partial ? "1" : "0",
        TrainSeconds.ToString("F1", CultureInfo.InvariantCulture));

    public static void Append(string path, EpochRecord record)
    {
        if (!File.Exists(path))
            File.WriteAllText(path, CsvHeader + "\n");
        File.AppendAllText(path, record.ToCsv() + "\n");
    }

    private static string F(double v) => v.ToString("F6", CultureInfo.InvariantCulture);
}
