using System.Text.Json;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using CxrQa.Storage;

namespace CxrQa.Server.Cases;

/// <summary>
/// The decode limits of the server, in one place: uploads are screened under <see cref="Screening"/>
/// (<see cref="ServerOptions.MaxUploadBytes"/>, <see cref="ServerOptions.MaxPixels"/>); what is made later from a
/// stored film for a reader (previews, de-identified copies) under the much smaller preview budget.
/// </summary>
public sealed class FilmLimits(ServerOptions options)
{
    public DecodeLimits Screening { get; } = new() { MaxFileBytes = options.MaxUploadBytes, MaxPixels = options.MaxPixels };

    /// <summary>Limits for a full decode of a stored film of <paramref name="filmBytes"/> bytes for a preview: the
    /// pixel budget, and the film's own size (it is known), which keeps a deflated DICOM's inflate budget at 6 bytes
    /// a budget pixel plus the film instead of plus the 64 MB upload limit.</summary>
    public DecodeLimits Preview(long filmBytes) => new() { MaxFileBytes = filmBytes, MaxPixels = options.PreviewMaxPixels };

    /// <summary>Refuses (413 image_too_large) a film whose stored size is over the preview budget, from the case's
    /// metadata, before its file is read: the decoder would refuse it too, but only after inflating a deflated one.</summary>
    public void CheckPreviewBudget(CaseRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var metadata = JsonDocument.Parse(record.MetadataJson);
        var root = metadata.RootElement;
        if (root.TryGetProperty("width", out var w) && root.TryGetProperty("height", out var h)
            && w.TryGetInt64(out var width) && h.TryGetInt64(out var height) && width * height > options.PreviewMaxPixels)
        {
            throw new CxrQaException(ErrorCodes.ImageTooLarge,
                $"the film has {width * height} pixels, more than previews decode ({options.PreviewMaxPixels}, CxrQa:PreviewMaxPixels)");
        }
    }
}
