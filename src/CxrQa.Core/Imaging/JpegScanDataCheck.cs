using System.Buffers.Binary;
using CxrQa.Core.Errors;

namespace CxrQa.Core.Imaging;

/// <summary>
/// Refuses a JPEG whose coded image data cannot hold the frame its header declares, such as 224 px of data under a
/// header that says 7000x7000. libjpeg fills the blocks that never come with grey and reports success, so without
/// this check such a file is screened, stored and shown at the size its header claims. The floor is exact, not a
/// heuristic: in a Huffman-coded sequential or progressive frame every 8x8 block of every component costs at least
/// one bit (its DC code, which a DC scan cannot skip), so fewer entropy-coded bytes than blocks / 8 means blocks
/// are missing. Arithmetic-coded and lossless frames have no such floor and are not checked here.
/// </summary>
internal static class JpegScanDataCheck
{
    public static void Check(ReadOnlySpan<byte> jpeg, FilmHeader header)
    {
        var (blocks, entropyBytes) = Measure(jpeg);
        if (blocks is null)
            return;
        var needed = (blocks.Value + 7) / 8;
        if (entropyBytes < needed)
            throw new CxrQaException(ErrorCodes.TruncatedImage,
                $"JPEG header declares {header.Width}x{header.Height} but the file holds {entropyBytes} bytes of image data, " +
                $"fewer than the {needed} that many pixels need at the least: the file is cut short or its header is wrong");
    }

    /// <summary>The frame's 8x8 blocks over all components (null when the frame is not Huffman sequential or
    /// progressive) and the entropy-coded bytes of all its scans.</summary>
    private static (long? Blocks, long EntropyBytes) Measure(ReadOnlySpan<byte> jpeg)
    {
        long? blocks = null;
        long entropy = 0;
        var offset = 2; // after SOI
        while (offset + 4 <= jpeg.Length)
        {
            if (jpeg[offset] != 0xFF)
                return (blocks, entropy); // the header reader has already vouched for the segments it needed
            while (offset < jpeg.Length && jpeg[offset] == 0xFF) offset++;
            if (offset >= jpeg.Length) break;
            var marker = jpeg[offset++];
            if (marker is 0x01 or (>= 0xD0 and <= 0xD8)) continue;
            if (marker == 0xD9 || offset + 2 > jpeg.Length) break;
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[offset..]);
            if (length < 2 || offset + length > jpeg.Length) break;
            var segment = jpeg.Slice(offset + 2, length - 2);
            if (marker is 0xC0 or 0xC1 or 0xC2)
                blocks = FrameBlocks(segment);
            else if (marker is >= 0xC3 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
                return (null, 0); // lossless, hierarchical or arithmetic: no one-bit-per-block floor
            offset += length;
            if (marker == 0xDA)
            {
                var end = EndOfEntropyData(jpeg, offset);
                entropy += end - offset;
                offset = end;
            }
        }
        return (blocks, entropy);
    }

    /// <summary>Blocks of each component: its size scaled by its sampling factors against the largest, in 8x8 units.</summary>
    private static long? FrameBlocks(ReadOnlySpan<byte> sof)
    {
        if (sof.Length < 6) return null;
        long height = BinaryPrimitives.ReadUInt16BigEndian(sof[1..]);
        long width = BinaryPrimitives.ReadUInt16BigEndian(sof[3..]);
        int count = sof[5];
        if (sof.Length < 6 + 3 * count || count == 0) return null;
        int hMax = 1, vMax = 1;
        for (var i = 0; i < count; i++)
        {
            hMax = Math.Max(hMax, sof[6 + 3 * i + 1] >> 4);
            vMax = Math.Max(vMax, sof[6 + 3 * i + 1] & 0x0F);
        }
        long blocks = 0;
        for (var i = 0; i < count; i++)
        {
            int h = Math.Max(1, sof[6 + 3 * i + 1] >> 4), v = Math.Max(1, sof[6 + 3 * i + 1] & 0x0F);
            var componentWidth = (width * h + hMax - 1) / hMax;
            var componentHeight = (height * v + vMax - 1) / vMax;
            blocks += ((componentWidth + 7) / 8) * ((componentHeight + 7) / 8);
        }
        return blocks;
    }

    /// <summary>The offset of the first marker after the entropy-coded data that starts at <paramref name="start"/>:
    /// 0xFF 0x00 is a stuffed data byte and 0xFF 0xD0..D7 a restart marker inside the data.</summary>
    private static int EndOfEntropyData(ReadOnlySpan<byte> jpeg, int start)
    {
        var i = start;
        while (i + 1 < jpeg.Length)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is not (0x00 or 0xFF or (>= 0xD0 and <= 0xD7)))
                return i;
            i++;
        }
        return jpeg.Length;
    }
}
