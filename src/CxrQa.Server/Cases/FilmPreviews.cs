using System.Runtime.InteropServices;
using CxrQa.Core.Imaging;
using CxrQa.Storage;
using SkiaSharp;

namespace CxrQa.Server.Cases;

/// <summary>A browser-friendly picture of a stored film: its file name in the case folder and its long side.</summary>
public sealed record PreviewSize(string FileName, int LongSide)
{
    public static PreviewSize Display { get; } = new("display.png", 1024);
    public static PreviewSize Thumbnail { get; } = new("thumbnail.png", 160);
}

/// <summary>
/// Browser-friendly pictures of a stored film: decoded with Core's own decoder (so DICOM, which browsers cannot show,
/// works like JPEG and PNG), shrunk with the area filter to a long side, written as an 8-bit grey PNG. Made once and
/// kept in the case folder, at most <see cref="ServerOptions.PreviewConcurrency"/> at a time (<see cref="CaseRenderings"/>),
/// each full decode within the preview pixel budget (<see cref="FilmLimits.Preview"/>).
/// </summary>
public sealed class FilmPreviews(CaseRenderings renderings, FilmDecoder decoder, FilmLimits limits)
{
    /// <summary>The preview file's path, made first when needed; null when the case's film is missing. Throws a film
    /// error (image_too_large over the budget; the film's own error if it no longer decodes, e.g. gdcmconv removed).</summary>
    public Task<string?> PathAsync(CaseRecord record, PreviewSize size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(size);
        // A JPEG preview decodes DCT-scaled (at most 1/2 of a side for display, so at most a quarter of the pixels the
        // upload limit allows); DICOM and PNG decode in full, so they are held to the preview budget.
        var scaledDecode = record.ContentType == CaseService.StoredFilm(ImageFormat.Jpeg).ContentType;
        if (!scaledDecode)
            limits.CheckPreviewBudget(record);
        return renderings.PathAsync(record, size.FileName,
            film => RenderPng(film, size.LongSide, scaledDecode ? limits.Screening : limits.Preview(film.Length)), cancellationToken);
    }

    public byte[] RenderPng(ReadOnlyMemory<byte> film, int longSide, DecodeLimits decodeLimits)
    {
        // The preview fits in longSide x longSide, so a large JPEG may decode DCT-scaled (a queue page asks for dozens
        // of thumbnails); the shared rule keeps at least twice that on each side for the area resize below.
        var image = decoder.Decode(film, new DecodeOptions { Limits = decodeLimits, ShrinkTarget = new DecodeTarget(longSide, longSide) }).Image;
        var scale = Math.Min(1.0, (double)longSide / Math.Max(image.Width, image.Height));
        var width = Math.Max(1, (int)Math.Round(image.Width * scale));
        var height = Math.Max(1, (int)Math.Round(image.Height * scale));
        var small = AreaResize.Resize(image, width, height);

        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var target = bitmap.GetPixels();
        for (var y = 0; y < height; y++)
            Marshal.Copy(small.Pixels, y * width, target + y * bitmap.RowBytes, width);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("PNG encoding failed");
        return data.ToArray();
    }
}
