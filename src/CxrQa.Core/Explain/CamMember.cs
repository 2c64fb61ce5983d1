namespace CxrQa.Core.Explain;

/// <summary>One ensemble member's input to <see cref="GradCam.Combine"/>: its channels x 7 x 7 (CHW) last-block
/// activations for the film and its linear head's weights (one per channel).</summary>
public readonly record struct CamMember(ReadOnlyMemory<float> FeatureMap, ReadOnlyMemory<float> HeadWeights);
