using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using SkiaSharp;

namespace CxrQa.Tests.Dicom;

/// <summary>Synthetic files in every supported encoding decode to exactly the hand-computed pixels.</summary>
public sealed class DicomSyntheticTests
{
    public static TheoryData<TestSyntax, bool, bool> Layouts()
    {
        var data = new TheoryData<TestSyntax, bool, bool>();
        foreach (var syntax in new[] { TestSyntax.ImplicitLittle, TestSyntax.ExplicitLittle, TestSyntax.ExplicitBig })
        {
            data.Add(syntax, true, true);
            data.Add(syntax, false, true);
            data.Add(syntax, true, false);
            data.Add(syntax, false, false);
        }

        data.Add(TestSyntax.DeflatedExplicitLittle, true, true);
        data.Add(TestSyntax.DeflatedExplicitLittle, false, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Signed16WithRescaleAndWindowDecodesExactly(TestSyntax syntax, bool preamble, bool meta)
    {
        var bytes = SyntheticFilms.Signed16WithRescaleAndWindow(syntax).ToFile(preamble, meta);
        var film = DicomFiles.WithoutGdcm.Read(bytes, DecodeLimits.Default);

        Assert.Equal(4, film.Image.Width);
        Assert.Equal(3, film.Image.Height);
        Assert.Equal(SyntheticFilms.SignedExpected, film.Image.Pixels);
        var facts = film.Metadata.Dicom!;
        Assert.True(facts.WindowFromHeader);
        Assert.Equal(("CR", "CHEST", "PA"), (facts.Modality, facts.BodyPartExamined, facts.ViewPosition));
        Assert.Equal((16, 12, 1, 1), (facts.BitsAllocated, facts.BitsStored, facts.SamplesPerPixel, facts.NumberOfFrames));
        Assert.Equal(DicomTestWriter.Uid(syntax), facts.TransferSyntaxUid);
        Assert.DoesNotContain("SECRET", facts.ToString());
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void EightBitMonochrome1IsStretchedThenInverted(TestSyntax syntax, bool preamble, bool meta)
    {
        var film = DicomFiles.WithoutGdcm.Read(SyntheticFilms.EightBitMonochrome1(syntax).ToFile(preamble, meta), DecodeLimits.Default);

        Assert.Equal(SyntheticFilms.Mono1Expected, film.Image.Pixels);
        Assert.False(film.Metadata.Dicom!.WindowFromHeader);
        Assert.Equal("MONOCHROME1", film.Metadata.Dicom.PhotometricInterpretation);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void RgbIsConvertedToGrayWithColourfulness(int planar)
    {
        byte[][] pixels = [[255, 0, 0], [0, 255, 0], [100, 100, 100], [0, 0, 255]];
        var data = planar == 0
            ? pixels.SelectMany(p => p).ToArray()
            : Enumerable.Range(0, 3).SelectMany(c => pixels.Select(p => p[c])).ToArray();
        var bytes = SyntheticFilms.Header(TestSyntax.ExplicitLittle)
            .PixelModule(2, 2, 8, 8, false, photometric: "RGB", samples: 3, planar: planar)
            .Element(0x7FE0, 0x0010, "OB", data).ToFile();

        var film = DicomFiles.WithoutGdcm.Read(bytes, DecodeLimits.Default);

        // Rec. 601 luma, rounded: 0.299*255 = 76.2, 0.587*255 = 149.7, 0.114*255 = 29.1.
        Assert.Equal(new byte[] { 76, 150, 100, 29 }, film.Image.Pixels);
        Assert.Equal(3, film.Metadata.Channels);
        Assert.Equal((255 + 255 + 0 + 255) / 4.0, film.Metadata.Colourfulness, 6);
    }

    [Fact]
    public void PaletteColourIsExpandedThroughTheLookupTables()
    {
        var w = SyntheticFilms.Header(TestSyntax.ImplicitLittle).PixelModule(2, 2, 8, 8, false, photometric: "PALETTE COLOR");
        // Entries: black, white, red, mid-gray; 16-bit entries whose high byte is the 8-bit value.
        w.US(0x0028, 0x1101, 4, 0, 16).US(0x0028, 0x1102, 4, 0, 16).US(0x0028, 0x1103, 4, 0, 16)
            .Element(0x0028, 0x1201, "OW", w.Words([0, 0xFFFF, 0xFF00, 0x8000]))
            .Element(0x0028, 0x1202, "OW", w.Words([0, 0xFFFF, 0, 0x8000]))
            .Element(0x0028, 0x1203, "OW", w.Words([0, 0xFFFF, 0, 0x8000]))
            .Element(0x7FE0, 0x0010, "OB", [0, 1, 2, 3]);

        var film = DicomFiles.WithoutGdcm.Read(w.ToFile(), DecodeLimits.Default);

        Assert.Equal(new byte[] { 0, 255, 76, 128 }, film.Image.Pixels);
        Assert.Equal(255 / 4.0, film.Metadata.Colourfulness, 6);
        Assert.Equal("PALETTE COLOR", film.Metadata.Dicom!.PhotometricInterpretation);
    }

    [Fact]
    public void ModalityLutSequenceReplacesRescale()
    {
        var w = SyntheticFilms.Header(TestSyntax.ExplicitLittle).PixelModule(1, 4, 16, 16, false)
            .String(0x0028, 0x1053, "DS", "7"); // ignored: the LUT takes precedence
        w.UndefinedSequence(0x0028, 0x3000, item => item.US(0x0028, 0x3002, 4, 0, 16)
                .Element(0x0028, 0x3006, "OW", item.Words([0, 100, 200, 1000])))
            .Element(0x7FE0, 0x0010, "OW", w.Words([0, 1, 2, 3]));

        var film = DicomFiles.WithoutGdcm.Read(w.ToFile(), DecodeLimits.Default);

        // LUT values 0, 100, 200, 1000 stretched min-max: 25.5 rounds away from zero.
        Assert.Equal(new byte[] { 0, 26, 51, 255 }, film.Image.Pixels);
    }

    [Fact]
    public void MultiFrameTakesTheFirstFrame()
    {
        var bytes = SyntheticFilms.Header(TestSyntax.ExplicitLittle).PixelModule(1, 3, 8, 8, false, frames: 2)
            .Element(0x7FE0, 0x0010, "OB", [0, 5, 10, 99, 1, 99]).ToFile();

        var film = DicomFiles.WithoutGdcm.Read(bytes, DecodeLimits.Default);

        Assert.Equal(new byte[] { 0, 128, 255 }, film.Image.Pixels);
        Assert.Equal(2, film.Metadata.Dicom!.NumberOfFrames);
    }

    [Fact]
    public void SixteenBitBigEndianPixelsAreSwapped()
    {
        var w = SyntheticFilms.Header(TestSyntax.ExplicitBig).PixelModule(1, 3, 16, 16, false);
        var bytes = w.Element(0x7FE0, 0x0010, "OW", w.Words([0x0100, 0x0180, 0x0200])).ToFile();

        Assert.Equal(new byte[] { 0, 128, 255 }, DicomFiles.WithoutGdcm.Read(bytes, DecodeLimits.Default).Image.Pixels);
    }

    public static TheoryData<string> JpegFrameLayouts() => ["offset-table", "no-offset-table", "split-fragments"];

    /// <summary>Two JPEG frames (left dark/right bright, then the reverse): only the first must be decoded, however
    /// its fragments are laid out.</summary>
    [Theory]
    [MemberData(nameof(JpegFrameLayouts))]
    public void EncapsulatedJpegDecodesTheFirstFrame(string layout)
    {
        var first = GrayJpeg(64, 32, darkLeft: true);
        var second = GrayJpeg(64, 32, darkLeft: false);
        var w = SyntheticFilms.Header(TestSyntax.ExplicitLittle).PixelModule(32, 64, 8, 8, false, frames: 2);
        switch (layout)
        {
            case "offset-table":
                w.EncapsulatedPixelData([0, (uint)(first.Length + 8)], first, second);
                break;
            case "no-offset-table":
                w.EncapsulatedPixelData([], first, second);
                break;
            default:
                var half = first.Length / 2 & ~1;
                w.EncapsulatedPixelData([0, (uint)(first.Length + 16)], first[..half], first[half..], second);
                break;
        }

        var film = DicomFiles.WithoutGdcm.Read(w.ToFile(transferSyntaxUid: "1.2.840.10008.1.2.4.50"), DecodeLimits.Default);

        Assert.Equal((64, 32), (film.Image.Width, film.Image.Height));
        Assert.True(film.Image[5, 16] < 60 && film.Image[58, 16] > 200, $"left {film.Image[5, 16]} right {film.Image[58, 16]}");
        Assert.Equal("JPEG Baseline (Process 1)", film.Metadata.Dicom!.TransferSyntaxName);
    }

    [Fact]
    public void EncapsulatedDataUnderANativeSyntaxIsMalformed()
    {
        var bytes = SyntheticFilms.Header(TestSyntax.ExplicitLittle).PixelModule(2, 2, 8, 8, false)
            .EncapsulatedPixelData([], [1, 2, 3, 4]).ToFile();

        var ex = Assert.Throws<CxrQaException>(() => DicomFiles.WithoutGdcm.Read(bytes, DecodeLimits.Default));
        Assert.Equal(ErrorCodes.DicomMalformed, ex.Code);
    }

    internal static byte[] GrayJpeg(int width, int height, bool darkLeft)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, (x < width / 2) == darkLeft ? new SKColor(20, 20, 20) : new SKColor(230, 230, 230));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        return data.ToArray();
    }
}
