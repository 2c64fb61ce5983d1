using System.Text.Json;
using System.Text.Json.Serialization;

namespace CxrQa.Training.FineTuning;

/// <summary>
/// What <c>--resume</c> needs besides the weights: where the run stood after its last completed epoch. Written as
/// <c>last.json</c> next to <c>last.pt</c> (model state dict) and <c>last.optim</c> (AdamW state). The random state
/// is not stored because there is none to store: augmentation and epoch order are drawn from (seed, epoch, index).
/// </summary>
public sealed record CheckpointState
{
    [JsonPropertyName("epoch")] public required int Epoch { get; init; }
    [JsonPropertyName("global_step")] public required int GlobalStep { get; init; }
    [JsonPropertyName("best_epoch")] public required int BestEpoch { get; init; }
    [JsonPropertyName("best_val_auc")] public required double BestValAuc { get; init; }
    [JsonPropertyName("best_val_loss")] public required double BestValLoss { get; init; }
    [JsonPropertyName("epochs_without_improvement")] public required int EpochsWithoutImprovement { get; init; }
    [JsonPropertyName("seed")] public required int Seed { get; init; }
    /// <summary>Everything that must match for a resumed run to continue the same run (data, split, model, schedule).</summary>
    [JsonPropertyName("run_key")] public required string RunKey { get; init; }
    [JsonPropertyName("stopped_early")] public bool StoppedEarly { get; init; }

    public const string LastModel = "last.pt";
    public const string LastOptimizer = "last.optim";
    public const string LastState = "last.json";
    public const string BestModel = "best.pt";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public void Save(string directory)
    {
        var path = Path.Combine(directory, LastState);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    public static CheckpointState? TryLoad(string directory)
    {
        var path = Path.Combine(directory, LastState);
        return File.Exists(path) ? JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(path), Json) : null;
    }
}
