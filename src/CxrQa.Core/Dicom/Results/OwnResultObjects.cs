namespace CxrQa.Core.Dicom.Results;

/// <summary>
/// Recognises a result object CxrQa wrote, coming back in: a PACS that forwards everything it stores (an auto-routing
/// rule rather than our Lua hook, which forwards only what arrived over DICOM) would send the overlay back to be
/// screened, whose new report and overlay it would send back again, without end. Ours carry our Manufacturer in the
/// General Equipment module and one of our three series numbers.
/// </summary>
public static class OwnResultObjects
{
    private static readonly int[] SeriesNumbers =
        [ScreeningReportDocument.SeriesNumber, HeatmapOverlayImage.SeriesNumber, ScreeningReportDocument.VerifiedSeriesNumber];

    /// <summary>True when the instance <paramref name="identity"/> names was written by a builder with these options.</summary>
    public static bool IsOwn(DicomInstanceIdentity identity, ResultObjectsOptions options)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        return identity.Manufacturer == options.Manufacturer && identity.SeriesNumber is { } series && SeriesNumbers.Contains(series);
    }

    /// <summary>True when <paramref name="part10"/> parses as a dataset written by a builder with these options; false
    /// for anything else, unreadable bytes included (the screening says what is wrong with those).</summary>
    public static bool IsOwn(ReadOnlyMemory<byte> part10, ResultObjectsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return DicomInstanceIdentity.TryRead(part10, options.Limits) is { } identity && IsOwn(identity, options);
    }
}
