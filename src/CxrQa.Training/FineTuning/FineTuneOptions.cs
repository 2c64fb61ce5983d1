using CxrQa.Core.Augmentation;

namespace CxrQa.Training.FineTuning;

/// <summary>How class imbalance (about 1 NORMAL : 2.9 PNEUMONIA) is handled.</summary>
public enum ClassBalancing
{
    /// <summary>BCE with pos_weight = n_neg / n_pos over the training part: every film is seen once an epoch.</summary>
    PosWeight,
    /// <summary>Each epoch draws as many films as the training part holds, with replacement, half of each class.</summary>
    Sampler,
}

/// <summary>Everything a fine-tuning run depends on. Torch-free, so the CLI can build it without loading TorchSharp.</summary>
public sealed record FineTuneOptions
{
    public required string DataDirectory { get; init; }
    public required string OutputDirectory { get; init; }
    /// <summary>Checkpoints (last + best); default OutputDirectory/checkpoints (with a .gitignore of '*').</summary>
    public string? CheckpointDirectory { get; init; }
    public string Name { get; init; } = "cxrqa-finetuned";
    public string Version { get; init; } = "1.0.0";
    public int Epochs { get; init; } = 12;
    public int BatchSize { get; init; } = 16;
    /// <summary>Peak learning rate of the backbone layers being trained.</summary>
    public double LearningRate { get; init; } = 1e-4;
    /// <summary>The head (fresh, zero-initialised) learns this many times faster than the backbone.</summary>
    public double HeadLearningRateMultiplier { get; init; } = 10;
    public double WeightDecay { get; init; } = 1e-2;
    /// <summary>Linear warm-up over this fraction of all steps, then cosine decay to <see cref="MinLearningRateFraction"/>.</summary>
    public double WarmupFraction { get; init; } = 0.05;
    public double MinLearningRateFraction { get; init; } = 0.01;
    /// <summary>"layer4", "layer3,layer4", ..., or "all" (stem too). The head always trains.</summary>
    public string TrainLayers { get; init; } = "layer4";
    /// <summary>false (default): every BatchNorm keeps its ImageNet running statistics (eval mode); its affine
    /// weights still train in trainable layers. true: BatchNorms of trainable layers update their statistics.</summary>
    public bool UpdateBatchNormStatistics { get; init; }
    public ClassBalancing Balancing { get; init; } = ClassBalancing.PosWeight;
    /// <summary>Stop when validation AUC has not improved for this many epochs.</summary>
    public int Patience { get; init; } = 4;
    /// <summary>Wall-clock budget for training steps; when reached, the epoch ends early, is validated and the run stops.</summary>
    public double? MaxMinutes { get; init; }
    public int Seed { get; init; } = 42;
    /// <summary>Seed of the patient split only; null: <see cref="Seed"/>. Ensemble members share it so that every
    /// member holds out the same validation and calibration patients.</summary>
    public int? SplitSeed { get; init; }
    public int EffectiveSplitSeed => SplitSeed ?? Seed;
    /// <summary>Use only this many films (both classes alternately): smoke tests.</summary>
    public int? Limit { get; init; }
    public double ValidationFraction { get; init; } = 0.15;
    public double CalibrationFraction { get; init; } = 0.25;
    public AugmentationOptions Augmentation { get; init; } = AugmentationOptions.Default;
    public bool Resume { get; init; }
    /// <summary>Also write an fp16-weight bundle at <see cref="Fp16OutputDirectory"/> and compare it to fp32.</summary>
    public bool WriteFp16 { get; init; } = true;
    /// <summary>Default: OutputDirectory + "-fp16".</summary>
    public string? Fp16Directory { get; init; }
    public int ValidationBatchSize { get; init; } = 32;
    /// <summary>Torch intra-op threads; default Environment.ProcessorCount.</summary>
    public int? Threads { get; init; }
    public string? GitCommit { get; init; }
    public string? Command { get; init; }

    public string CheckpointPath => CheckpointDirectory ?? Path.Combine(OutputDirectory, "checkpoints");
    public string Fp16OutputDirectory => Fp16Directory ?? Path.TrimEndingDirectorySeparator(OutputDirectory) + "-fp16";

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Patience, 1, nameof(Patience));
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be positive");
        if (WarmupFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(WarmupFraction), WarmupFraction, "must be in [0, 1)");
        if (MaxMinutes is <= 0) throw new ArgumentOutOfRangeException(nameof(MaxMinutes), MaxMinutes, "must be positive");
        TrainableLayers.Parse(TrainLayers);
    }
}
