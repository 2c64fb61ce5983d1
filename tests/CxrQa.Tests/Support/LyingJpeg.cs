using System.Buffers.Binary;

namespace CxrQa.Tests.Support;

/// <summary>A real JPEG whose start-of-frame header is rewritten to declare another size, the data left as it was:
/// the "7000x7000 header over 224 px of data" file of issue 16.</summary>
public static class LyingJpeg
{
    public static byte[] WithDeclaredSize(byte[] jpeg, int width, int height)
    {
        var bytes = jpeg.ToArray();
        var offset = 2;
        while (offset + 4 <= bytes.Length)
        {
            if (bytes[offset] != 0xFF)
                break;
            var marker = bytes[offset + 1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(offset + 2));
            if (marker is >= 0xC0 and <= 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(offset + 5), (ushort)height);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(offset + 7), (ushort)width);
                return bytes;
            }
            offset += 2 + length;
        }
        throw new ArgumentException("no baseline or progressive frame header found", nameof(jpeg));
    }
}
