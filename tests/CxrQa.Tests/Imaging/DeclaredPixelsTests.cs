using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;
using CxrQa.Tests.Dicom;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Imaging;

/// <summary>What the inference queue charges a film before decoding it: the pixels its header declares (JPEG frame,
/// PNG IHDR, DICOM Rows x Columns x Number of Frames, a deflated data set inflated only that far).</summary>
public class DeclaredPixelsTests
{
    [Fact]
    public void Jpeg_and_png_headers_give_their_declared_size()
    {
        Assert.Equal(64L * 48, FilmDecoder.DeclaredPixels(TestImageEncoder.Jpeg(Support.SyntheticFilms.Chest(64, 48))));
        Assert.Equal(64L * 48, FilmDecoder.DeclaredPixels(TestImageEncoder.Png(Support.SyntheticFilms.Chest(64, 48))));
        // A header alone is enough, however large the size it claims.
        Assert.Equal(60000L * 60000, FilmDecoder.DeclaredPixels(TestImageEncoder.PngHeaderOnly(60000, 60000)));
    }

    [Fact]
    public void Unreadable_and_unknown_bytes_declare_nothing()
    {
        Assert.Null(FilmDecoder.DeclaredPixels([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])); // PNG cut before its IHDR
        Assert.Null(FilmDecoder.DeclaredPixels("not an image"u8));
        Assert.Null(FilmDecoder.DeclaredPixels([]));
    }

    /// <summary>Synthesised DICOM in every syntax we read, with sequences (defined and undefined length) and a private
    /// element before the Image Pixel Module: the header's Rows x Columns x Number of Frames, whatever the pixel data
    /// (here a token 2 bytes, so the file's size says nothing of it).</summary>
    [Theory]
    [InlineData(TestSyntax.ImplicitLittle)]
    [InlineData(TestSyntax.ExplicitLittle)]
    [InlineData(TestSyntax.ExplicitBig)]
    [InlineData(TestSyntax.DeflatedExplicitLittle)]
    public void A_dicom_data_set_declares_rows_times_columns_times_frames(TestSyntax syntax)
    {
        var random = new Random(16 + (int)syntax);
        for (var i = 0; i < 40; i++)
        {
            var (rows, columns, frames) = (random.Next(1, 65536), random.Next(1, 65536), random.Next(4) == 0 ? random.Next(2, 2000) : 1);
            var writer = Dicom.SyntheticFilms.Header(syntax)
                .Element(0x0009, 0x1001, "OB", new byte[random.Next(0, 4096) * 2])
                .PixelModule(rows, columns, bitsAllocated: 16, bitsStored: 12, signed: false, frames: frames);
            var file = writer.Element(0x7FE0, 0x0010, "OW", [0, 0]).ToFile(preamble: random.Next(2) == 0);
            Assert.Equal((long)rows * columns * frames, FilmDecoder.DeclaredPixels(file));
        }
    }

    [Fact]
    public void Every_real_dicom_file_declares_what_its_full_parse_says()
    {
        foreach (var (folder, name) in DicomFiles.All)
        {
            var bytes = DicomFiles.Load(folder, name);
            var full = Part10File.Parse(bytes, DecodeLimits.Default).Dataset;
            var frames = full.GetNumber(DicomTag.NumberOfFrames) is { } f && f >= 1 ? (long)f : 1;
            var expected = (long)full.GetUInt16(DicomTag.Rows)!.Value * full.GetUInt16(DicomTag.Columns)!.Value * frames;
            Assert.True(expected == FilmDecoder.DeclaredPixels(bytes), $"{name}: expected {expected}");
        }
    }

    /// <summary>Issue 16's deflate bomb in small: 4096 x 4096 16-bit zeros deflate to a few tens of KB, so half the
    /// file's bytes (the old DICOM charge) is a thousandth of its pixels. The header is read after inflating a bounded
    /// prefix, not the 32 MB data set.</summary>
    [Fact]
    public void A_deflate_bomb_is_charged_its_real_pixels_without_inflating_its_pixel_data()
    {
        const int side = 4096;
        var bomb = Dicom.SyntheticFilms.Header(TestSyntax.DeflatedExplicitLittle)
            .PixelModule(side, side, bitsAllocated: 16, bitsStored: 16, signed: false)
            .Element(0x7FE0, 0x0010, "OW", new byte[side * side * 2])
            .ToFile();
        Assert.True(bomb.Length < side * side / 100, $"the bomb is {bomb.Length} bytes");

        FilmDecoder.DeclaredPixels(bomb); // JIT and statics out of the measurement
        var before = GC.GetAllocatedBytesForCurrentThread();
        var declared = FilmDecoder.DeclaredPixels(bomb);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal((long)side * side, declared);
        Assert.True(allocated < 4 * DicomFilmReader.DeclaredPixelsHeaderBudget,
            $"{allocated} bytes allocated to read the header of a {side * side * 2}-byte data set");
    }

    [Fact]
    public void A_dicom_header_beyond_the_budget_or_without_a_size_declares_nothing()
    {
        // 2 MB of compressible filler before the Image Pixel Module: the size is not looked for that far.
        var padded = Dicom.SyntheticFilms.Header(TestSyntax.DeflatedExplicitLittle)
            .Element(0x0009, 0x1001, "OB", new byte[2 * DicomFilmReader.DeclaredPixelsHeaderBudget])
            .PixelModule(512, 512, bitsAllocated: 8, bitsStored: 8, signed: false)
            .Element(0x7FE0, 0x0010, "OB", new byte[512 * 512])
            .ToFile();
        Assert.Null(FilmDecoder.DeclaredPixels(padded));

        var zeroRows = Dicom.SyntheticFilms.Header(TestSyntax.ExplicitLittle)
            .PixelModule(0, 512, bitsAllocated: 8, bitsStored: 8, signed: false).Element(0x7FE0, 0x0010, "OB", [0, 0]).ToFile();
        Assert.Null(FilmDecoder.DeclaredPixels(zeroRows));
        var noModule = Dicom.SyntheticFilms.Header(TestSyntax.ImplicitLittle).ToFile();
        Assert.Null(FilmDecoder.DeclaredPixels(noModule));

        // Cut inside the header, and garbage after a valid meta header: nothing, never an exception.
        var film = Dicom.SyntheticFilms.Signed16WithRescaleAndWindow(TestSyntax.ExplicitLittle).ToFile();
        var columnsAt = film.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x28, 0x00, 0x11, 0x00]);
        Assert.Null(FilmDecoder.DeclaredPixels(film.AsSpan(0, columnsAt + 9)));
        Assert.Equal(12L, FilmDecoder.DeclaredPixels(film.AsSpan(0, columnsAt + 10)));
        var deflated = Dicom.SyntheticFilms.Signed16WithRescaleAndWindow(TestSyntax.DeflatedExplicitLittle).ToFile();
        var corrupt = deflated.ToArray();
        new Random(3).NextBytes(corrupt.AsSpan(corrupt.Length - 40));
        var _ = FilmDecoder.DeclaredPixels(corrupt);
    }
}
