namespace CxrQa.Training.FineTuning;

/// <summary>Progress of a fine-tuning run. <paramref name="Stage"/> names a task (e.g. "epoch 3/12"); the other
/// fields are filled where known.</summary>
public sealed record FineTuneProgress(string Stage, int Done, int Total, double? Loss = null, double? ValAuc = null,
    double? LearningRate = null, string? Message = null);
