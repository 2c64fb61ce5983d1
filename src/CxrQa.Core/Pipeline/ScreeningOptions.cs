using CxrQa.Core.Imaging;

namespace CxrQa.Core.Pipeline;

/// <summary>Settings shared by the CLI and the server.</summary>
public sealed record ScreeningOptions
{
    public DecodeLimits Limits { get; init; } = DecodeLimits.Default;

    /// <summary>DICOM reading, including the optional gdcmconv decoder for compressed transfer syntaxes.</summary>
    public Dicom.DicomReaderOptions Dicom { get; init; } = new();

    /// <summary>Deployment overrides of the bundle's routing policy (a pinned threshold, or other alpha/delta).</summary>
    public Trust.RoutingOverrides Routing { get; init; } = new();

    /// <summary>Thresholds of the input quality and view checks.</summary>
    public Quality.QualityGateOptions Quality { get; init; } = new();

    /// <summary>Films decoded and preprocessed in parallel; the network runs them as one batch.</summary>
    public int DecodeParallelism { get; init; } = Environment.ProcessorCount;
}
