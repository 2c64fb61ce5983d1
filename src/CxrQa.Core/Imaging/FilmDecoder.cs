using CxrQa.Core.Dicom;

namespace CxrQa.Core.Imaging;

/// <summary>STUB — to be replaced: detects the format from the bytes and decodes JPEG/PNG/DICOM to gray.</summary>
public sealed class FilmDecoder(DicomFilmReader dicom)
{
    public DicomFilmReader Dicom { get; } = dicom;

    public static ImageFormat? Sniff(ReadOnlySpan<byte> bytes) => throw new NotImplementedException();

    public DecodedFilm Decode(ReadOnlyMemory<byte> bytes, DecodeLimits limits) => throw new NotImplementedException();
}
