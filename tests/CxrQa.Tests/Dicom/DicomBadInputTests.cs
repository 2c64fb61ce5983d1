using System.Buffers.Binary;
using CxrQa.Core.Dicom;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Dicom;

/// <summary>Broken, hostile and oversized inputs end in a typed <see cref="CxrQaException"/>.</summary>
// Serialised with the other class that runs gdcmconv: the temp-file check must not see its files.
[Collection(DicomFiles.ExternalToolCollection)]
public sealed class DicomBadInputTests
{
    private static CxrQaException Fails(byte[] bytes, DecodeLimits? limits = null, DicomFilmReader? reader = null)
    {
        var ex = Assert.Throws<CxrQaException>(() => (reader ?? DicomFiles.WithoutGdcm).Read(bytes, limits ?? DecodeLimits.Default));
        Assert.DoesNotContain("SECRET", ex.Message);
        return ex;
    }

    [Fact]
    public void EmptyFile() => Assert.Equal(ErrorCodes.EmptyFile, Fails([]).Code);

    [Fact]
    public void FileAboveTheSizeLimit() =>
        Assert.Equal(ErrorCodes.FileTooLarge,
            Fails(SyntheticFilms.EightBitMonochrome1(TestSyntax.ExplicitLittle).ToFile(), new DecodeLimits { MaxFileBytes = 100 }).Code);

    [Theory]
    [InlineData(TestSyntax.ImplicitLittle, true)]
    [InlineData(TestSyntax.ExplicitLittle, true)]
    [InlineData(TestSyntax.ExplicitBig, true)]
    [InlineData(TestSyntax.ImplicitLittle, false)]
    [InlineData(TestSyntax.DeflatedExplicitLittle, true)]
    public void EveryPrefixOfASmallFileFailsWithATypedError(TestSyntax syntax, bool meta)
    {
        var bytes = SyntheticFilms.Signed16WithRescaleAndWindow(syntax).ToFile(preamble: meta, meta: meta);
        for (var length = 1; length < bytes.Length; length++)
        {
            var (film, _) = DicomFiles.TryRead(DicomFiles.WithoutGdcm, bytes[..length]);
            // Pixel data is the last element, so no proper prefix holds a complete film. The exception: the last
            // bytes of a deflate stream can go without losing data, and then the film must be the complete one.
            if (film is not null && syntax == TestSyntax.DeflatedExplicitLittle && length > bytes.Length - 8)
                Assert.Equal(SyntheticFilms.SignedExpected, film.Image.Pixels);
            else
                Assert.True(film is null, $"prefix of {length} of {bytes.Length} bytes decoded");
        }
    }

    [Theory]
    [InlineData("chest", "CR-MONO1-10-chest")]
    [InlineData("chest", DicomFiles.SiimJpeg)]
    [InlineData("other", "GH177_D_CLUNIE_CT1_IVRLE_BigEndian_undefined_length.dcm")]
    [InlineData("other", "OT-PAL-8-face.dcm")]
    public void PrefixesOfARealFileFailWithATypedError(string folder, string name)
    {
        var bytes = DicomFiles.Load(folder, name);
        // Dense over the header (where parsing decisions happen), then spread over the rest.
        var lengths = Enumerable.Range(1, 100).Select(i => i * 37)
            .Concat(Enumerable.Range(1, 100).Select(i => (int)((long)bytes.Length * i / 101)))
            .Where(l => l < bytes.Length);
        foreach (var length in lengths)
        {
            var (film, error) = DicomFiles.TryRead(DicomFiles.WithoutGdcm, bytes[..length]);
            Assert.True(film is null, $"prefix of {length} of {bytes.Length} bytes decoded");
            Assert.NotNull(error);
        }
    }

    [Fact]
    public void ElementLengthBeyondTheEndOfTheFileIsMalformed()
    {
        var bytes = SyntheticFilms.EightBitMonochrome1(TestSyntax.ExplicitLittle).ToFile();
        var at = IndexOf(bytes, [0x08, 0x00, 0x60, 0x00, (byte)'C', (byte)'S']); // Modality
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 6), 0xFFF0);

        var ex = Fails(bytes);
        Assert.Equal(ErrorCodes.DicomMalformed, ex.Code);
        Assert.Contains("(0008,0060)", ex.Message);
    }

    [Fact]
    public void PixelDataLengthBeyondTheEndOfTheFileIsTruncated()
    {
        var bytes = SyntheticFilms.EightBitMonochrome1(TestSyntax.ImplicitLittle).ToFile();
        var at = IndexOf(bytes, [0xE0, 0x7F, 0x10, 0x00]);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), 1_000_000);

        Assert.Equal(ErrorCodes.TruncatedImage, Fails(bytes).Code);
    }

    [Fact]
    public void PixelDataShorterThanTheFrameIsTruncated()
    {
        var bytes = SyntheticFilms.Header(TestSyntax.ExplicitLittle).PixelModule(10, 10, 16, 12, false)
            .Element(0x7FE0, 0x0010, "OW", new byte[150]).ToFile();

        Assert.Equal(ErrorCodes.TruncatedImage, Fails(bytes).Code);
    }

    [Fact]
    public void HugeDimensionsAreRejectedBeforeAllocating()
    {
        var bytes = SyntheticFilms.Header(TestSyntax.ExplicitLittle).PixelModule(60000, 60000, 16, 16, false)
            .Element(0x7FE0, 0x0010, "OW", new byte[16]).ToFile();

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(ErrorCodes.ImageTooLarge, Fails(bytes).Code);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "allocated a pixel buffer before the check");
    }

    [Fact]
    public void GarbageAfterTheMagicIsATypedError()
    {
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var bytes = new byte[132 + random.Next(0, 2000)];
            random.NextBytes(bytes.AsSpan(132));
            "DICM"u8.CopyTo(bytes.AsSpan(128));
            Assert.Contains(Fails(bytes).Code,
                new[] { ErrorCodes.DicomMalformed, ErrorCodes.TruncatedImage, ErrorCodes.DicomNoPixelData });
        }
    }

    [Fact]
    public void NoPixelData()
    {
        var bytes = SyntheticFilms.Header(TestSyntax.ExplicitLittle).PixelModule(2, 2, 8, 8, false).ToFile();
        Assert.Equal(ErrorCodes.DicomNoPixelData, Fails(bytes).Code);
    }

    [Fact]
    public void DeeplyNestedSequencesAreRejected()
    {
        Action<DicomTestWriter> nest = w => w.String(0x0008, 0x0100, "SH", "X");
        for (var depth = 0; depth < 200; depth++)
        {
            var inner = nest;
            nest = w => w.UndefinedSequence(0x0008, 0x1140, inner);
        }

        var body = new DicomTestWriter(TestSyntax.ExplicitLittle);
        nest(body);
        body.PixelModule(1, 2, 8, 8, false).Element(0x7FE0, 0x0010, "OB", [1, 2]);

        Assert.Equal(ErrorCodes.DicomMalformed, Fails(body.ToFile()).Code);
    }

    [Fact]
    public void UnsupportedSyntaxNamesTheSyntax()
    {
        var bytes = SyntheticFilms.Header(TestSyntax.ExplicitLittle).PixelModule(2, 2, 16, 16, false)
            .EncapsulatedPixelData([], [0xFF, 0x4F, 0xFF, 0x51]).ToFile(transferSyntaxUid: "1.2.840.10008.1.2.4.90");

        var ex = Fails(bytes);
        Assert.Equal(ErrorCodes.UnsupportedTransferSyntax, ex.Code);
        Assert.Contains("JPEG 2000", ex.Message);
        Assert.Contains("1.2.840.10008.1.2.4.90", ex.Message);
    }

    [Fact]
    public void AnExternalDecoderThatHangsIsKilledAndItsTempFilesRemoved()
    {
        if (OperatingSystem.IsWindows())
            return; // the stand-in tool is a shell script
        var script = Path.Combine(Path.GetTempPath(), $"cxrqa-test-hang-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, "#!/bin/sh\nsleep 30\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var reader = new DicomFilmReader(new DicomReaderOptions
            {
                GdcmconvPath = script,
                ExternalDecoderTimeout = TimeSpan.FromMilliseconds(300),
            });
            var bytes = DicomFiles.Load("other", "D_CLUNIE_CT1_RLE_FRAGS.dcm");
            var tempBefore = Directory.GetFiles(Path.GetTempPath(), "cxrqa-gdcm-*").Length;

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var ex = Fails(bytes, reader: reader);

            Assert.Equal(ErrorCodes.CorruptImage, ex.Code);
            Assert.Contains("did not finish", ex.Message);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
            Assert.Equal(tempBefore, Directory.GetFiles(Path.GetTempPath(), "cxrqa-gdcm-*").Length);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        Assert.True(at >= 0, "pattern not found");
        return at;
    }
}
