using CxrQa.Core.Imaging;

namespace CxrQa.Core.Pipeline;

/// <summary>Settings shared by the CLI and the server.</summary>
public sealed record ScreeningOptions
{
    public DecodeLimits Limits { get; init; } = DecodeLimits.Default;

    /// <summary>When set, overrides the bundle's decision policy with the seed's fixed confidence rule.</summary>
    public double? FixedConfidenceThreshold { get; init; }

    /// <summary>Films decoded and preprocessed in parallel; the network runs them as one batch.</summary>
    public int DecodeParallelism { get; init; } = Environment.ProcessorCount;
}
