using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Imaging;

/// <summary>Shared construction for the decoder tests.</summary>
internal static class Decoders
{
    public static FilmDecoder Create() => new(new DicomFilmReader(new DicomReaderOptions()));

    public static DecodedFilm Decode(byte[] bytes, DecodeLimits? limits = null) =>
        Create().Decode(bytes, limits ?? DecodeLimits.Default);
}
