using System.Buffers.Binary;
using System.IO.Compression;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Imaging;

/// <summary>16-bit grey PNGs (colour types 0 and 4) are decoded at full depth by our own reader and windowed from the
/// film's own range, like a DICOM film without a VOI window; everything else still goes through Skia.</summary>
public class Png16DecoderTests
{
    private const int W = 37, H = 23; // odd sizes catch stride mistakes

    [Fact]
    public void Twelve_bit_ramp_in_16_bits_uses_the_full_range_and_is_monotone()
    {
        var samples = Enumerable.Range(0, 64 * 64).Select(i => (ushort)i).ToArray(); // 0..4095
        var decoded = Decoders.Decode(TestImageEncoder.Png(64, 64, channels: 1, bitDepth: 16, samples));

        var pixels = decoded.Image.Pixels;
        Assert.Equal(0, pixels.Min());
        Assert.Equal(255, pixels.Max());
        for (var i = 1; i < pixels.Length; i++)
            Assert.True(pixels[i] >= pixels[i - 1], $"not monotone at {i}");
        Assert.Equal(256, pixels.Distinct().Count());
        // The min-max stretch of the DICOM reader: round((v - min) / (max - min) * 255).
        Assert.Equal(samples.Select(v => Stretch(v, 0, 4095)).ToArray(), pixels);
        Assert.Equal((ImageFormat.Png, 64, 64, 16, 1), (decoded.Metadata.Format, decoded.Metadata.OriginalWidth,
            decoded.Metadata.OriginalHeight, decoded.Metadata.BitsStored, decoded.Metadata.Channels));
        Assert.Equal(0, decoded.Metadata.Colourfulness);
        Assert.Null(decoded.Metadata.Dicom);
    }

    [Fact]
    public void Significant_bits_from_sbit_are_reported()
    {
        var samples = Enumerable.Range(0, W * H).Select(i => (ushort)(i * 3 % 4096)).ToArray();
        var png = Write(W, H, 1, samples, _ => 0, extraChunks: [("sBIT", [12])]);
        var decoded = Decoders.Decode(png);
        Assert.Equal(12, decoded.Metadata.BitsStored);
        Assert.Equal(samples.Select(v => Stretch(v, samples.Min(), samples.Max())).ToArray(), decoded.Image.Pixels);
    }

    [Fact]
    public void Eight_bit_png_still_goes_through_skia_unstretched()
    {
        var pixels = Enumerable.Range(0, W * H).Select(i => (byte)(50 + i % 51)).ToArray(); // 50..100, not stretched
        var decoded = Decoders.Decode(TestImageEncoder.Png(new GrayImage(W, H, pixels)));
        Assert.Equal(pixels, decoded.Image.Pixels);
        Assert.Equal(8, decoded.Metadata.BitsStored);
    }

    public static TheoryData<int, int> FilterCases()
    {
        var data = new TheoryData<int, int>();
        foreach (var channels in new[] { 1, 2 })
            for (var filter = 0; filter <= 5; filter++) // 5 = a different filter on each row
                data.Add(channels, filter);
        return data;
    }

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Each_row_filter_round_trips(int channels, int filter)
    {
        // Grey 1000..1255 with both ends present: the stretch maps v to v - 1000 exactly, so every low byte is
        // checked, and the high byte changes (0x03 / 0x04) so filter carries between the bytes of a sample matter.
        var random = new Random(filter * 10 + channels);
        var samples = new ushort[W * H * channels];
        var alpha = new byte[W * H];
        for (var i = 0; i < W * H; i++)
        {
            samples[i * channels] = (ushort)(1000 + random.Next(256));
            if (channels == 2)
            {
                alpha[i] = (byte)random.Next(256);
                samples[i * channels + 1] = (ushort)(alpha[i] * 257);
            }
        }
        samples[0] = 1000;
        samples[(W * H - 1) * channels] = 1255;

        var png = Write(W, H, channels, samples, y => filter == 5 ? (byte)(y % 5) : (byte)filter);
        var decoded = Decoders.Decode(png);

        var expected = Enumerable.Range(0, W * H).Select(i =>
        {
            var level = samples[i * channels] - 1000;
            return channels == 2 ? (byte)((level * alpha[i] + 127) / 255) : (byte)level;
        }).ToArray();
        Assert.Equal(expected, decoded.Image.Pixels);
        Assert.Equal(channels, decoded.Metadata.Channels);
        Assert.Equal(16, decoded.Metadata.BitsStored);
        // And the same pixels as the unfiltered file the shared test encoder writes.
        Assert.Equal(Decoders.Decode(TestImageEncoder.Png(W, H, channels, 16, samples)).Image.Pixels, decoded.Image.Pixels);
    }

    [Fact]
    public void Image_data_split_over_several_idat_chunks_decodes_the_same()
    {
        var samples = Ramp(W * H, 1);
        var whole = Decoders.Decode(Write(W, H, 1, samples, y => (byte)(y % 5)));
        var split = Decoders.Decode(Write(W, H, 1, samples, y => (byte)(y % 5), idatChunkSize: 7));
        Assert.Equal(whole.Image.Pixels, split.Image.Pixels);
    }

    [Fact]
    public void Adam7_interlaced_16_bit_is_left_to_skia()
    {
        // A 1x1 Adam7 image has the same data as a non-interlaced one (pass 1 holds the only pixel). Skia keeps the
        // high byte (4095 -> 15); our reader would have stretched a single value to 0.
        var png = Write(1, 1, 1, [4095], _ => 0, interlace: true);
        Assert.Equal([15], Decoders.Decode(png).Image.Pixels);
        Assert.Equal([0], Decoders.Decode(Write(1, 1, 1, [4095], _ => 0)).Image.Pixels);
    }

    [Fact]
    public void Pixel_limit_applies_from_the_header()
    {
        var png = TestImageEncoder.Png(W, H, 1, 16, Ramp(W * H, 1));
        var ex = Assert.Throws<CxrQaException>(() => Decoders.Decode(png, new DecodeLimits { MaxPixels = W * H - 1 }));
        Assert.Equal(ErrorCodes.ImageTooLarge, ex.Code);
        Assert.Equal(W, Decoders.Decode(png, new DecodeLimits { MaxPixels = W * H }).Image.Width);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.75)]
    [InlineData(0.95)]
    public void Truncated_file_inside_idat_is_truncated(double fraction)
    {
        var png = Write(200, 150, 1, NoiseSamples(200 * 150, 1, seed: 3), y => (byte)(y % 5));
        var (idatStart, idatLength) = FindChunk(png, "IDAT");
        AssertRefused(ErrorCodes.TruncatedImage, png[..(idatStart + (int)(idatLength * fraction))]);
    }

    [Fact]
    public void Idat_whose_zlib_stream_stops_early_is_truncated()
    {
        var raw = Filtered(W, H, 1, Ramp(W * H, 1), _ => 0);
        var z = Deflate(raw);
        var png = Assemble(W, H, 1, [("IDAT", z[..(z.Length / 2)])], interlace: false);
        AssertRefused(ErrorCodes.TruncatedImage, png);
    }

    [Fact]
    public void Idat_with_too_few_rows_is_truncated()
    {
        var raw = Filtered(W, H, 1, Ramp(W * H, 1), _ => 0);
        var png = Assemble(W, H, 1, [("IDAT", Deflate(raw[..(raw.Length - 10)]))], interlace: false);
        AssertRefused(ErrorCodes.TruncatedImage, png);
    }

    [Fact]
    public void Small_file_claiming_a_large_film_is_refused_before_the_pixel_buffers()
    {
        var z = Deflate(Filtered(W, H, 1, Ramp(W * H, 1), _ => 0));
        var png = Assemble(4000, 4000, 1, [("IDAT", z)], interlace: false); // within the pixel limit
        AssertRefused(ErrorCodes.TruncatedImage, png); // warm up
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        AssertRefused(ErrorCodes.TruncatedImage, png);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, 0, 1024 * 1024);
    }

    [Fact]
    public void Bad_zlib_stream_is_corrupt()
    {
        var raw = Filtered(W, H, 1, Ramp(W * H, 1), _ => 0);
        var z = Deflate(raw);
        z[0] = 0x00; // compression method 0: not deflate
        AssertRefused(ErrorCodes.CorruptImage, Assemble(W, H, 1, [("IDAT", z)], interlace: false));

        var garbage = Deflate(raw);
        garbage[2] = 0xFF; // first deflate block header: reserved block type 3
        AssertRefused(ErrorCodes.CorruptImage, Assemble(W, H, 1, [("IDAT", garbage)], interlace: false));
    }

    [Fact]
    public void Unknown_filter_type_is_corrupt()
    {
        var png = Write(W, H, 1, Ramp(W * H, 1), y => y == 5 ? (byte)5 : (byte)0);
        AssertRefused(ErrorCodes.CorruptImage, png);
    }

    [Fact]
    public void No_idat_is_refused()
    {
        AssertRefused(ErrorCodes.CorruptImage, Assemble(W, H, 1, [], interlace: false));
        var headerOnly = Assemble(W, H, 1, [], interlace: false);
        AssertRefused(ErrorCodes.TruncatedImage, headerOnly[..^12]); // without IEND
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Random_single_byte_mutations_give_a_film_or_a_typed_error(int channels)
    {
        var samples = NoiseSamples(W * H, channels, seed: channels);
        var png = Write(W, H, channels, samples, y => (byte)(y % 5), idatChunkSize: 300);
        var random = new Random(20261126 + channels);
        var (decoded, refused) = (0, 0);
        for (var trial = 0; trial < 1500; trial++)
        {
            var mutated = (byte[])png.Clone();
            // Half the mutations inside the image data (where our reader works), half anywhere.
            var (idatStart, _) = FindChunk(mutated, "IDAT");
            var at = trial % 2 == 0 ? random.Next(mutated.Length) : random.Next(idatStart - 8, mutated.Length);
            mutated[at] = (byte)random.Next(256);
            try
            {
                var film = Decoders.Decode(mutated);
                Assert.Equal(film.Image.Width * film.Image.Height, film.Image.Pixels.Length);
                decoded++;
            }
            catch (CxrQaException ex)
            {
                Assert.False(string.IsNullOrEmpty(ex.Code));
                refused++;
            }
        }
        Assert.True(decoded > 0 && refused > 0, $"decoded {decoded}, refused {refused}");
    }

    private static byte Stretch(int v, int min, int max) =>
        (byte)Math.Round((double)(v - min) / (max - min) * 255, MidpointRounding.AwayFromZero);

    private static ushort[] Ramp(int count, int channels) =>
        Enumerable.Range(0, count * channels).Select(i => (ushort)(i * 97 % 4096)).ToArray();

    private static ushort[] NoiseSamples(int count, int channels, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * channels).Select(_ => (ushort)random.Next(65536)).ToArray();
    }

    private static void AssertRefused(string code, byte[] bytes)
    {
        var ex = Assert.Throws<CxrQaException>(() => Decoders.Decode(bytes));
        Assert.Equal(code, ex.Code);
    }

    private static (int DataStart, int Length) FindChunk(byte[] png, string type)
    {
        var offset = 8;
        while (offset + 8 <= png.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            if (png.AsSpan(offset + 4, 4).SequenceEqual(type.Select(c => (byte)c).ToArray()))
                return (offset + 8, length);
            offset += 12 + length;
        }
        throw new InvalidOperationException($"no {type} chunk");
    }

    /// <summary>A 16-bit grey (1 channel) or grey+alpha (2) PNG with the row filter <paramref name="filterOf"/>(y)
    /// applied by hand, extra chunks before IDAT, and the compressed data cut into IDAT chunks of a given size.</summary>
    private static byte[] Write(int width, int height, int channels, ushort[] samples, Func<int, byte> filterOf,
        (string Type, byte[] Data)[]? extraChunks = null, int idatChunkSize = int.MaxValue, bool interlace = false)
    {
        var z = Deflate(Filtered(width, height, channels, samples, filterOf));
        var chunks = new List<(string, byte[])>(extraChunks ?? []);
        for (var at = 0; at < z.Length; at += idatChunkSize)
            chunks.Add(("IDAT", z[at..Math.Min(z.Length, at + idatChunkSize)]));
        return Assemble(width, height, channels, chunks, interlace);
    }

    private static byte[] Assemble(int width, int height, int channels, IEnumerable<(string Type, byte[] Data)> chunks, bool interlace)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 16;
        ihdr[9] = (byte)(channels == 1 ? 0 : 4);
        ihdr[12] = (byte)(interlace ? 1 : 0);
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        PngChunks.Write(png, "IHDR", ihdr);
        foreach (var (type, data) in chunks)
            PngChunks.Write(png, type, data);
        PngChunks.Write(png, "IEND", []);
        return png.ToArray();
    }

    private static byte[] Deflate(byte[] raw)
    {
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true))
            z.Write(raw);
        return idat.ToArray();
    }

    /// <summary>Big-endian samples, each row preceded by its filter type and filtered as the PNG specification says.</summary>
    private static byte[] Filtered(int width, int height, int channels, ushort[] samples, Func<int, byte> filterOf)
    {
        var bpp = 2 * channels;
        var rowBytes = width * bpp;
        var rows = new byte[height][];
        for (var y = 0; y < height; y++)
        {
            rows[y] = new byte[rowBytes];
            for (var i = 0; i < width * channels; i++)
                BinaryPrimitives.WriteUInt16BigEndian(rows[y].AsSpan(2 * i), samples[y * width * channels + i]);
        }

        var output = new byte[height * (rowBytes + 1)];
        for (var y = 0; y < height; y++)
        {
            var filter = filterOf(y);
            output[y * (rowBytes + 1)] = filter;
            for (var i = 0; i < rowBytes; i++)
            {
                int a = i >= bpp ? rows[y][i - bpp] : 0;
                int b = y > 0 ? rows[y - 1][i] : 0;
                int c = i >= bpp && y > 0 ? rows[y - 1][i - bpp] : 0;
                int x = rows[y][i];
                var predicted = filter switch
                {
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => PaethPredictor(a, b, c),
                    _ => 0, // 0, and the invalid types tests write on purpose
                };
                output[y * (rowBytes + 1) + 1 + i] = (byte)(x - predicted);
            }
        }
        return output;
    }

    private static int PaethPredictor(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
