using System.Buffers.Binary;
using System.Text;
using CxrQa.Tests.Dicom;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests.Support;

/// <summary>Real films from the shared data, and hand-made bad inputs.</summary>
public static class Films
{
    public static string Pneumonia => First("kermany-224", "val", "PNEUMONIA");
    public static string Normal => First("kermany-224", "val", "NORMAL");
    public static string NormalSecond => Directory.GetFiles(TestData.Path("kermany-224", "val", "NORMAL"), "*.jpeg").Order(StringComparer.Ordinal).Skip(1).First();
    public static string FullResolution => First("kermany-fullres-sample", "NORMAL");
    public static string ChestDicom => TestData.Path("dicom", "chest", "CR-MONO1-10-chest");

    private static string First(params string[] parts) =>
        Directory.GetFiles(TestData.Path(parts), "*.jpeg").Order(StringComparer.Ordinal).First();

    /// <summary>A valid PNG signature and IHDR that claims 60000 x 60000 pixels, and nothing else.</summary>
    public static byte[] HugePngHeader()
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, 60000);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), 60000);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // gray
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        PngChunks.Write(ms, "IHDR", ihdr);
        PngChunks.Write(ms, "IDAT", new byte[16]);
        return ms.ToArray();
    }

    /// <summary>A DICOM preamble and magic followed by noise.</summary>
    public static byte[] GarbageDicom()
    {
        var bytes = new byte[2048];
        new Random(7).NextBytes(bytes);
        Array.Clear(bytes, 0, 128);
        "DICM"u8.CopyTo(bytes.AsSpan(128));
        return bytes;
    }

    /// <summary>A small 8-bit Secondary Capture with the given Manufacturer and Series Number: with ours ("CxrQa",
    /// 9701-9703) it looks like one of our result objects coming back from the PACS.</summary>
    public static byte[] ResultLookalikeDicom(string manufacturer, int seriesNumber)
    {
        const int side = 64;
        var w = new DicomTestWriter(TestSyntax.ExplicitLittle)
            .String(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7")
            .String(0x0008, 0x0018, "UI", $"2.25.{(uint)HashCode.Combine(manufacturer, seriesNumber)}")
            .String(0x0008, 0x0060, "CS", "OT")
            .String(0x0008, 0x0070, "LO", manufacturer)
            .String(0x0020, 0x0011, "IS", seriesNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .PixelModule(rows: side, columns: side, bitsAllocated: 8, bitsStored: 8, signed: false);
        var pixels = new byte[side * side];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(i % side * 4);
        return w.Element(0x7FE0, 0x0010, "OB", pixels).ToFile();
    }

    /// <summary>Identifiers planted in <see cref="IdentifiedDicom"/>: none may reach a reader without identified-data rights.</summary>
    public static IReadOnlyList<string> PatientIdentifiers { get; } = ["DOE^JANE", "MRN-4242", "19500101"];

    /// <summary>A square 12-bit chest CR film with a patient name, id and birth date (<see cref="PatientIdentifiers"/>),
    /// a smooth gradient as pixels; deflated (a few KB however large) or explicit VR little endian.</summary>
    public static byte[] IdentifiedDicom(int side, bool deflated)
    {
        var w = new DicomTestWriter(deflated ? TestSyntax.DeflatedExplicitLittle : TestSyntax.ExplicitLittle)
            .String(0x0008, 0x0060, "CS", "CR")
            .String(0x0010, 0x0010, "PN", PatientIdentifiers[0])
            .String(0x0010, 0x0020, "LO", PatientIdentifiers[1])
            .String(0x0010, 0x0030, "DA", PatientIdentifiers[2])
            .String(0x0018, 0x0015, "CS", "CHEST")
            .String(0x0018, 0x5101, "CS", "PA")
            .PixelModule(rows: side, columns: side, bitsAllocated: 16, bitsStored: 12, signed: false);
        var pixels = new byte[2 * side * side];
        for (var y = 0; y < side; y++)
        for (var x = 0; x < side; x++)
            BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(2 * (y * side + x)), (ushort)((x + y) * 4095L / (2 * side - 2)));
        return w.Element(0x7FE0, 0x0010, "OW", pixels).ToFile();
    }

    public static byte[] TruncatedJpeg() => File.ReadAllBytes(Pneumonia)[..1000];

    /// <summary>An 8-bit grey PNG of uniform noise, different for every seed: a valid film that no radiograph looks
    /// like, so the screening routes it to review (quality or out-of-distribution reasons).</summary>
    public static byte[] NoisePng(int seed, int width = 256, int height = 256)
    {
        var random = new Random(seed);
        using var raw = new MemoryStream();
        var row = new byte[width];
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            random.NextBytes(row);
            raw.Write(row);
        }
        using var compressed = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            z.Write(raw.ToArray());
        return GrayPng(width, height, compressed.ToArray());
    }

    /// <summary>An 8-bit grey PNG around already deflated scanlines (filter byte + pixels per row).</summary>
    private static byte[] GrayPng(int width, int height, byte[] idat)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // gray
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        PngChunks.Write(ms, "IHDR", ihdr);
        PngChunks.Write(ms, "IDAT", idat);
        PngChunks.Write(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>An 8-bit grey PNG whose pixels are all zero: a few KB on the wire for tens of megapixels once decoded
    /// (issue 16's "PNG bomb" films are 7000 x 7000, 49 MP).</summary>
    public static byte[] ZeroPng(int width, int height)
    {
        using var compressed = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[width + 1]; // filter byte 0 + zero pixels
            for (var y = 0; y < height; y++)
                z.Write(row);
        }
        return GrayPng(width, height, compressed.ToArray());
    }

    /// <summary>Width, height, bit depth and colour type from a PNG's IHDR.</summary>
    /// <summary>Width and height from a JPEG's first SOF0/1/2 marker segment.</summary>
    public static (int Width, int Height) JpegSize(byte[] jpeg)
    {
        for (var i = 2; i + 9 < jpeg.Length; i += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2)))
        {
            Assert.Equal(0xFF, jpeg[i]);
            if (jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
                return (BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 7)), BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 5)));
        }
        throw new InvalidDataException("no SOF marker");
    }

    public static (int Width, int Height, int BitDepth, int ColourType) PngHeader(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", Encoding.ASCII.GetString(png, 12, 4));
        return ((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)), (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20)), png[24], png[25]);
    }
}
