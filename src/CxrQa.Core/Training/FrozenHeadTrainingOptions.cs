namespace CxrQa.Core.Training;

/// <summary>How <c>train-head</c> builds the frozen-backbone bundle.</summary>
public sealed record FrozenHeadTrainingOptions
{
    public required string Name { get; init; }
    public string Version { get; init; } = "1.0.0";
    /// <summary>Patients held out of head training for calibration and the routing thresholds (never trained on).</summary>
    public double CalibrationFraction { get; init; } = 0.30;
    public int Seed { get; init; } = 42;
    public int Folds { get; init; } = 5;
    public int BatchSize { get; init; } = 8;
    /// <summary>Routing threshold of the seed's fixed rule, written into the card.</summary>
    public double ConfidenceThreshold { get; init; } = 0.80;
    /// <summary>Where backbone embeddings are cached between runs (null: no cache).</summary>
    public string? CacheDirectory { get; init; }
    public string? GitCommit { get; init; }
    public string? Command { get; init; }
}
