namespace CxrQa.Core.Dicom;

/// <summary>The Modality LUT stage: stored value to modality units (e.g. Hounsfield), either linear
/// (RescaleSlope/Intercept) or a lookup table from the Modality LUT Sequence, which takes precedence.</summary>
internal sealed class ModalityTransform
{
    private readonly double _slope;
    private readonly double _intercept;
    private readonly ushort[]? _lut;
    private readonly int _firstMapped;

    private ModalityTransform(double slope, double intercept, ushort[]? lut, int firstMapped)
    {
        _slope = slope;
        _intercept = intercept;
        _lut = lut;
        _firstMapped = firstMapped;
    }

    /// <summary>Stored values are the modality values (no rescale, no LUT): what a PNG sample is.</summary>
    public static ModalityTransform Identity { get; } = new(1, 0, null, 0);

    public double Apply(int stored)
    {
        if (_lut is null)
            return stored * _slope + _intercept;
        // Values outside the table map to its first/last entry (PS3.3 C.11.1).
        var index = Math.Clamp(stored - _firstMapped, 0, _lut.Length - 1);
        return _lut[index];
    }

    public static ModalityTransform From(DicomDataset ds, PixelModule m)
    {
        if (ds.Find(DicomTag.ModalityLutSequence) is { Items.Count: > 0 } seq && FromLutItem(seq.Items[0], m) is { } lut)
            return lut;

        var slope = ds.GetNumber(DicomTag.RescaleSlope) ?? 1;
        if (slope == 0)
            slope = 1; // a zero slope would flatten the film; it is always a writer error
        return new ModalityTransform(slope, ds.GetNumber(DicomTag.RescaleIntercept) ?? 0, null, 0);
    }

    /// <summary>Reads LUT Descriptor (entries, first mapped, bits) and LUT Data; null when they are unusable, in which
    /// case the linear rescale is used instead.</summary>
    private static ModalityTransform? FromLutItem(DicomDataset item, PixelModule m)
    {
        var descriptor = item.GetUInt16Array(DicomTag.LutDescriptor);
        if (descriptor.Length < 3)
            return null;
        var entries = descriptor[0] == 0 ? 65536 : descriptor[0];
        var data = item.GetUInt16Array(DicomTag.LutData);
        if (data.Length < entries)
            return null;
        return new ModalityTransform(1, 0, data[..entries], StoredSamples.FromAttribute(descriptor[1], m));
    }
}
