using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Pipeline;

namespace CxrQa.Cli.Commands;

/// <summary>Builds the same screening service the server uses, from command-line choices, and the one film decoder
/// of the CLI: screening, calibration, train-head and quantize all decode with <see cref="Decoder"/>, so a film reads
/// the same (DICOM options, gdcmconv fallback) whichever command meets it.</summary>
public static class ScreeningServiceFactory
{
    public static (ScreeningService Service, ModelBundle Model) Create(string? modelDirectory, ScreeningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The same cache of optimized graphs as the server's default (~/.cache/cxrqa): a second run skips optimization.
        var model = ModelBundle.Load(ModelLocator.Resolve(modelDirectory),
            new ModelRuntimeOptions { OptimizedGraphCache = OptimizedGraphCache.Under(OptimizedGraphCache.DefaultRoot()) });
        return (new ScreeningService(Decoder(options), model, options), model);
    }

    /// <summary>The decoder the CLI's screening services use, with the DICOM options of <paramref name="options"/>
    /// (default: the standard ones).</summary>
    public static FilmDecoder Decoder(ScreeningOptions? options = null) =>
        new(new DicomFilmReader((options ?? new ScreeningOptions()).Dicom));
}
