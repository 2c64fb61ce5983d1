namespace CxrQa.Training.FineTuning;

/// <summary>A batch ready for the network: N x 3 x S x S floats 0..255 (gray replicated) and N labels (0/1).</summary>
public sealed record Batch(float[] Inputs, float[] Labels, int Count);
