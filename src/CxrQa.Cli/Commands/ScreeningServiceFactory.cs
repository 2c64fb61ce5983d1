using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Pipeline;

namespace CxrQa.Cli.Commands;

/// <summary>Builds the same screening service the server uses, from command-line choices.</summary>
public static class ScreeningServiceFactory
{
    public static (ScreeningService Service, ModelBundle Model) Create(string? modelDirectory, ScreeningOptions options)
    {
        var model = ModelBundle.Load(ModelLocator.Resolve(modelDirectory));
        var decoder = new FilmDecoder(new DicomFilmReader(new DicomReaderOptions()));
        return (new ScreeningService(decoder, model, options), model);
    }
}
