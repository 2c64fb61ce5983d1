using CxrQa.Core.Imaging;

namespace CxrQa.Core.Pipeline;

/// <summary>Settings shared by the CLI and the server.</summary>
public sealed record ScreeningOptions
{
    public DecodeLimits Limits { get; init; } = DecodeLimits.Default;

    /// <summary>A JPEG at least this many times the network input on each side (after a 1/2, 1/4 or 1/8 reduction) is
    /// decoded reduced by libjpeg-turbo's DCT scaling instead of at full size, then area-resized as usual (a 2340x2431
    /// film decodes at 1/4, about a third faster: the entropy decoding that remains is the same at every scale; the
    /// quality gate and the resize read 4 to 64 times fewer pixels). Null decodes every film at full size. The quality gate's size check and the
    /// case metadata always see the stored size; the effect on answers is bounded in docs/decisions.md.</summary>
    public int? ReducedDecodeOversampling { get; init; } = 2;

    /// <summary>DICOM reading, including the optional gdcmconv decoder for compressed transfer syntaxes.</summary>
    public Dicom.DicomReaderOptions Dicom { get; init; } = new();

    /// <summary>Deployment overrides of the bundle's routing policy (a pinned threshold, or other alpha/delta).</summary>
    public Trust.RoutingOverrides Routing { get; init; } = new();

    /// <summary>Thresholds of the input quality and view checks.</summary>
    public Quality.QualityGateOptions Quality { get; init; } = new();

    /// <summary>Films decoded and preprocessed in parallel; the network runs them as one batch.</summary>
    public int DecodeParallelism { get; init; } = Environment.ProcessorCount;
}
