using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

using CxrQa.Tests.Support;

namespace CxrQa.Browser.Tests.Support;

/// <summary>
/// A made-up chest film: an 8-bit grey PNG of a body outline, two lung fields with ribs, spine and heart shadow, in a
/// deliberately narrow grey range (96..143). Never a patient film, so its screenshot can be committed. The model answers
/// it pending_review (out_of_distribution: no training film looks like it), which is what the review page needs, and
/// its low contrast is what window/level is for.
/// </summary>
public static class SyntheticFilm
{
    public const int Size = 512;

    public static byte[] Png()
    {
        var raw = new byte[Size * (Size + 1)];
        for (var y = 0; y < Size; y++)
        {
            raw[y * (Size + 1)] = 0; // PNG filter: none
            for (var x = 0; x < Size; x++)
                raw[y * (Size + 1) + 1 + x] = Pixel(x, y);
        }
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, Size);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), Size);
        ihdr[8] = 8; // bit depth; colour type 0 (grey), default compression, filter and interlace
        PngChunks.Write(png, "IHDR", ihdr);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
                z.Write(raw);
            PngChunks.Write(png, "IDAT", compressed.ToArray());
        }
        PngChunks.Write(png, "IEND", []);
        return png.ToArray();
    }

    private static byte Pixel(int x, int y)
    {
        var u = (x + 0.5) / Size * 2 - 1;
        var v = (y + 0.5) / Size * 2 - 1;
        var value = 96.0; // air around the body
        var body = Math.Pow(u / 0.92, 2) + Math.Pow((v - 0.05) / 1.05, 2);
        if (body < 1)
            value = 122;
        foreach (var cx in new[] { -0.42, 0.42 })
        {
            var d = Math.Pow((u - cx) / 0.3, 2) + Math.Pow((v + 0.02) / 0.62, 2);
            if (d < 1)
            {
                value = 104 + 6 * d;
                if (Math.Sin((v + 0.3 * Math.Pow(u - cx, 2)) * 37) > 0.75)
                    value += 7; // a rib
            }
        }
        if (Math.Abs(u) < 0.09 && body < 1)
            value = 136; // spine
        if (Math.Pow((u - 0.12) / 0.28, 2) + Math.Pow((v - 0.35) / 0.25, 2) < 1)
            value = Math.Max(value, 130); // heart
        return (byte)Math.Clamp(Math.Round(value), 0, 255);
    }
}
