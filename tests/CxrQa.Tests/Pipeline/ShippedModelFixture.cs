using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Pipeline;

namespace CxrQa.Tests.Pipeline;

/// <summary>The shipped bundle and a screening service over it, loaded once for a test class.</summary>
public sealed class ShippedModelFixture : IDisposable
{
    public ShippedModelFixture()
    {
        Model = ModelBundle.Load(ModelLocator.Resolve(null));
        Decoder = new FilmDecoder(new DicomFilmReader(new DicomReaderOptions()));
        Service = new ScreeningService(Decoder, Model, new ScreeningOptions());
    }

    public ModelBundle Model { get; }
    public FilmDecoder Decoder { get; }
    public ScreeningService Service { get; }

    public ScreeningOutcome Screen(string name, byte[] bytes) => Service.Screen([new FilmInput(name, bytes)])[0];

    public void Dispose() => Model.Dispose();
}
