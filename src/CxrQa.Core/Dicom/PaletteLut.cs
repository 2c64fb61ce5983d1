using CxrQa.Core.Errors;

namespace CxrQa.Core.Dicom;

/// <summary>The three PALETTE COLOR lookup tables (red, green, blue), reduced to 8 bits per entry.</summary>
internal sealed class PaletteLut
{
    private readonly byte[][] _channels;
    private readonly int _firstMapped;

    private PaletteLut(byte[][] channels, int firstMapped)
    {
        _channels = channels;
        _firstMapped = firstMapped;
    }

    /// <summary>Expands palette indices to interleaved RGB. Indices outside the table clamp to its ends.</summary>
    public byte[] Expand(int[] indices)
    {
        var rgb = new byte[indices.Length * 3];
        var last = _channels[0].Length - 1;
        for (var i = 0; i < indices.Length; i++)
        {
            var k = Math.Clamp(indices[i] - _firstMapped, 0, last);
            rgb[3 * i] = _channels[0][k];
            rgb[3 * i + 1] = _channels[1][k];
            rgb[3 * i + 2] = _channels[2][k];
        }

        return rgb;
    }

    public static PaletteLut From(DicomDataset ds)
    {
        (DicomTag Descriptor, DicomTag Data)[] tags =
        [
            (DicomTag.RedPaletteDescriptor, DicomTag.RedPaletteData),
            (DicomTag.GreenPaletteDescriptor, DicomTag.GreenPaletteData),
            (DicomTag.BluePaletteDescriptor, DicomTag.BluePaletteData),
        ];
        var channels = new byte[3][];
        var firstMapped = 0;
        for (var c = 0; c < 3; c++)
        {
            var descriptor = ds.GetUInt16Array(tags[c].Descriptor);
            var data = ds.Find(tags[c].Data);
            if (descriptor.Length < 3 || data is null || data.Length == 0)
                throw Unsupported();
            var entries = descriptor[0] == 0 ? 65536 : descriptor[0];
            firstMapped = descriptor[1];
            channels[c] = ToEightBit(ds.Value(data).Span, data.BigEndian, entries, descriptor[2])
                ?? throw Unsupported();
        }

        if (channels[1].Length != channels[0].Length || channels[2].Length != channels[0].Length)
            throw Unsupported();
        return new PaletteLut(channels, firstMapped);
    }

    /// <summary>16-bit entries keep their high byte, unless every entry is below 256 (a common writer mistake of
    /// storing 8-bit values in 16-bit words); 8-bit entries are packed bytes or low bytes of words.</summary>
    private static byte[]? ToEightBit(ReadOnlySpan<byte> data, bool bigEndian, int entries, int bits)
    {
        var table = new byte[entries];
        if (data.Length >= 2 * entries)
        {
            var words = new ushort[entries];
            var max = 0;
            for (var i = 0; i < entries; i++)
                max = Math.Max(max, words[i] = DicomDataset.ReadUInt16(data[(2 * i)..], bigEndian));
            var shift = bits > 8 && max > 255 ? 8 : 0;
            for (var i = 0; i < entries; i++)
                table[i] = (byte)(words[i] >> shift);
            return table;
        }

        if (bits <= 8 && data.Length >= entries)
        {
            data[..entries].CopyTo(table);
            return table;
        }

        return null;
    }

    private static CxrQaException Unsupported() => new(ErrorCodes.UnsupportedPhotometric,
        "PALETTE COLOR image without complete palette lookup tables (segmented palettes are not supported)");
}
