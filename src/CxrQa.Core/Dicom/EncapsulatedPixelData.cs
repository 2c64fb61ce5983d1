using System.Buffers.Binary;
using CxrQa.Core.Errors;

namespace CxrQa.Core.Dicom;

/// <summary>Assembles the first frame's compressed bitstream from encapsulated Pixel Data fragments.</summary>
internal static class EncapsulatedPixelData
{
    /// <summary>
    /// The first fragment item is the Basic Offset Table. When it lists two or more frames, the first frame is every
    /// fragment that starts before the second offset. Without a usable table, one fragment per frame is assumed when
    /// the counts match; otherwise all fragments are joined (a JPEG decoder stops at the first frame's EOI).
    /// </summary>
    public static byte[] FirstFrame(DicomDataset ds, DicomElement pixelData, int frames)
    {
        var fragments = pixelData.Fragments ?? [];
        if (fragments.Count < 2)
            throw new CxrQaException(ErrorCodes.DicomNoPixelData, "DICOM encapsulated pixel data holds no fragments");

        var buffer = ds.Buffer.Span;
        var table = fragments[0];
        var data = fragments.Skip(1).ToList();
        var selected = data;

        var offsets = ReadOffsets(buffer.Slice(table.Offset, table.Length));
        if (offsets.Length >= 2 && offsets[0] == 0 && offsets[1] > 0)
        {
            // Offsets count from the first byte of the first fragment's item tag.
            var origin = data[0].Offset - 8L;
            selected = data.Where(f => f.Offset - 8L - origin < offsets[1]).ToList();
        }
        else if (frames > 1 && data.Count == frames)
        {
            selected = [data[0]];
        }

        var total = selected.Sum(f => (long)f.Length);
        if (total == 0)
            throw new CxrQaException(ErrorCodes.DicomNoPixelData, "DICOM encapsulated pixel data fragments are empty");
        var bitstream = new byte[total];
        var at = 0;
        foreach (var f in selected)
        {
            buffer.Slice(f.Offset, f.Length).CopyTo(bitstream.AsSpan(at));
            at += f.Length;
        }

        return bitstream;
    }

    private static uint[] ReadOffsets(ReadOnlySpan<byte> table)
    {
        if (table.Length == 0 || table.Length % 4 != 0)
            return [];
        var offsets = new uint[table.Length / 4];
        for (var i = 0; i < offsets.Length; i++)
            offsets[i] = BinaryPrimitives.ReadUInt32LittleEndian(table[(4 * i)..]);
        return offsets;
    }
}
