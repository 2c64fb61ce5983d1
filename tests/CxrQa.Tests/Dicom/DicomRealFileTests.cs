using CxrQa.Core.Dicom;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Dicom;

/// <summary>The shared real chest and non-chest DICOM files.</summary>
// Serialised with the other class that runs gdcmconv: the temp-file check must not see its files.
[Collection(DicomFiles.ExternalToolCollection)]
public sealed class DicomRealFileTests
{
    public static TheoryData<string, string> AllFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var (folder, name) in DicomFiles.All)
            data.Add(folder, name);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllFiles))]
    public void EveryFileDecodesSanelyOrFailsWithATypedError(string folder, string name)
    {
        foreach (var reader in new[] { DicomFiles.WithGdcm, DicomFiles.WithoutGdcm })
        {
            var (film, error) = DicomFiles.TryRead(reader, DicomFiles.Load(folder, name));
            if (film is null)
            {
                Assert.False(string.IsNullOrWhiteSpace(error!.Code));
                continue;
            }

            Assert.InRange(film.Image.Width, 64, 8192);
            Assert.InRange(film.Image.Height, 64, 8192);
            Assert.True(film.Image.Pixels.Max() - film.Image.Pixels.Min() > 50, "decoded image is (nearly) constant");
            Assert.Equal(ImageFormat.Dicom, film.Metadata.Format);
            Assert.NotNull(film.Metadata.Dicom);
        }
    }

    [Theory]
    [MemberData(nameof(AllFiles))]
    public void EveryFileLooksLikeDicom(string folder, string name) =>
        Assert.True(DicomFilmReader.LooksLikeDicom(DicomFiles.Load(folder, name)));

    [Theory]
    [InlineData("chest", DicomFiles.SiimJpeg)]
    [InlineData("chest", DicomFiles.NihDx)]
    [InlineData("chest", "CR-MONO1-10-chest")]
    [InlineData("chest", "Fake_MONOHR1.dcm")]
    [InlineData("other", "ct.dcm")]
    [InlineData("other", "mr.dcm")]
    [InlineData("other", "MR2_UNCI.dcm")]
    [InlineData("other", "US1_UNCR.dcm")]
    [InlineData("other", "OT-PAL-8-face.dcm")]
    [InlineData("other", "GH177_D_CLUNIE_CT1_IVRLE_BigEndian_undefined_length.dcm")]
    public void DecodesWithoutAnExternalTool(string folder, string name)
    {
        var film = DicomFiles.WithoutGdcm.Read(DicomFiles.Load(folder, name), DecodeLimits.Default);
        Assert.True(film.Image.Pixels.Max() > film.Image.Pixels.Min());
    }

    [Theory]
    [InlineData("chest", "RG1_J2KI.dcm", "JPEG 2000", 1841, 1955)]
    [InlineData("other", "D_CLUNIE_CT1_RLE_FRAGS.dcm", "RLE", 512, 512)]
    [InlineData("other", "CR-ModalitySequenceLUT.dcm", "JPEG Lossless", 1976, 1576)]
    public void CompressedSyntaxesNeedGdcmconv(string folder, string name, string syntaxName, int width, int height)
    {
        var bytes = DicomFiles.Load(folder, name);
        var ex = Assert.Throws<CxrQaException>(() => DicomFiles.WithoutGdcm.Read(bytes, DecodeLimits.Default));
        Assert.Equal(ErrorCodes.UnsupportedTransferSyntax, ex.Code);
        Assert.Contains(syntaxName, ex.Message);
        Assert.Contains("gdcmconv", ex.Message);

        var missingTool = new DicomFilmReader(new DicomReaderOptions { GdcmconvPath = "/nonexistent/gdcmconv" });
        Assert.Equal(ErrorCodes.UnsupportedTransferSyntax,
            Assert.Throws<CxrQaException>(() => missingTool.Read(bytes, DecodeLimits.Default)).Code);

        if (!DicomFiles.GdcmInstalled)
            return;
        var copy = bytes.ToArray();
        var film = DicomFiles.WithGdcm.Read(bytes, DecodeLimits.Default);
        Assert.Equal((width, height), (film.Image.Width, film.Image.Height));
        Assert.Contains(syntaxName, film.Metadata.Dicom!.TransferSyntaxName); // the original syntax is reported
        Assert.Equal(copy, bytes); // the caller's buffer is never modified
    }

    [Fact]
    public void FakeMonochrome1IsTheExactInverseOfTheSiimFilm()
    {
        var siim = DicomFiles.WithoutGdcm.Read(DicomFiles.Chest_(DicomFiles.SiimJpeg), DecodeLimits.Default).Image;
        var fake = DicomFiles.WithoutGdcm.Read(DicomFiles.Chest_("Fake_MONOHR1.dcm"), DecodeLimits.Default).Image;

        Assert.Equal((siim.Width, siim.Height), (fake.Width, fake.Height));
        for (var i = 0; i < siim.Pixels.Length; i++)
            if (fake.Pixels[i] != 255 - siim.Pixels[i])
                Assert.Fail($"pixel {i}: fake {fake.Pixels[i]} is not 255 - {siim.Pixels[i]}");
    }

    [Fact]
    public void CrMonochrome1ChestFacts()
    {
        var film = DicomFiles.WithoutGdcm.Read(DicomFiles.Chest_("CR-MONO1-10-chest"), DecodeLimits.Default);
        var f = film.Metadata.Dicom!;

        Assert.Equal((440, 440), (film.Image.Width, film.Image.Height));
        Assert.Equal(("CR", "CHEST", "PA"), (f.Modality, f.BodyPartExamined, f.ViewPosition));
        Assert.Equal("MONOCHROME1", f.PhotometricInterpretation);
        Assert.Equal((16, 10, 1, 1), (f.BitsAllocated, f.BitsStored, f.SamplesPerPixel, f.NumberOfFrames));
        Assert.Equal("1.2.840.10008.1.2", f.TransferSyntaxUid); // inferred: the file has no meta header
        Assert.True(f.WindowFromHeader);
        Assert.Equal((10, 1, 0.0), (film.Metadata.BitsStored, film.Metadata.Channels, film.Metadata.Colourfulness));
    }

    [Theory]
    [InlineData(DicomFiles.SiimJpeg, "CR", "MONOCHROME2", 8, 1024, 1024)]
    [InlineData(DicomFiles.NihDx, "DX", "MONOCHROME2", 8, 1024, 1024)]
    [InlineData("Fake_MONOHR1.dcm", "CR", "MONOCHROME1", 8, 1024, 1024)]
    public void ChestFilmFacts(string name, string modality, string photometric, int bits, int width, int height)
    {
        var film = DicomFiles.WithoutGdcm.Read(DicomFiles.Chest_(name), DecodeLimits.Default);
        var f = film.Metadata.Dicom!;

        Assert.Equal((modality, photometric, bits), (f.Modality, f.PhotometricInterpretation, f.BitsStored));
        Assert.Equal((width, height), (film.Metadata.OriginalWidth, film.Metadata.OriginalHeight));
    }

    /// <summary>On a PA chest film the lung fields (air) must come out darker than the mediastinum and spine; for
    /// MONOCHROME1 films that only holds if the inversion happened.</summary>
    [Theory]
    [InlineData("CR-MONO1-10-chest")]
    [InlineData("RG1_J2KI.dcm")]
    [InlineData(DicomFiles.SiimJpeg)]
    [InlineData(DicomFiles.NihDx)]
    public void LungsAreDarkerThanTheMediastinum(string name)
    {
        if (name == "RG1_J2KI.dcm" && !DicomFiles.GdcmInstalled)
            return;
        var image = DicomFiles.WithGdcm.Read(DicomFiles.Chest_(name), DecodeLimits.Default).Image;

        double Mean(double x0, double x1, double y0, double y1)
        {
            long sum = 0, n = 0;
            for (var y = (int)(y0 * image.Height); y < (int)(y1 * image.Height); y++)
                for (var x = (int)(x0 * image.Width); x < (int)(x1 * image.Width); x++, n++)
                    sum += image[x, y];
            return (double)sum / n;
        }

        var lungs = (Mean(0.2, 0.35, 0.3, 0.55) + Mean(0.65, 0.8, 0.3, 0.55)) / 2;
        var mediastinum = Mean(0.45, 0.55, 0.3, 0.55);
        Assert.True(lungs + 30 < mediastinum, $"lungs {lungs:F0} vs mediastinum {mediastinum:F0}");
    }

    [Fact]
    public void ColourSourcesReportColourfulness()
    {
        var us = DicomFiles.WithoutGdcm.Read(DicomFiles.Load("other", "US1_UNCR.dcm"), DecodeLimits.Default).Metadata;
        var face = DicomFiles.WithoutGdcm.Read(DicomFiles.Load("other", "OT-PAL-8-face.dcm"), DecodeLimits.Default).Metadata;
        var chest = DicomFiles.WithoutGdcm.Read(DicomFiles.Chest_(DicomFiles.NihDx), DecodeLimits.Default).Metadata;

        Assert.Equal(3, us.Channels);
        Assert.True(us.Colourfulness > 5, $"US colourfulness {us.Colourfulness}");
        Assert.Equal(3, face.Channels);
        Assert.True(face.Colourfulness > 40, $"palette face colourfulness {face.Colourfulness}");
        Assert.Equal(0, chest.Colourfulness);
    }

    [Fact]
    public void BigEndianWithUndefinedLengthUnSequencesMatchesTheLittleEndianCopy()
    {
        // GH177 is the same CT slice as ct.dcm's source, stored big endian with UN sequences of undefined length
        // (which PS3.5 says are implicit VR little endian inside). Compare with the RLE copy of the same slice.
        if (!DicomFiles.GdcmInstalled)
            return;
        var bigEndian = DicomFiles.WithoutGdcm.Read(
            DicomFiles.Load("other", "GH177_D_CLUNIE_CT1_IVRLE_BigEndian_undefined_length.dcm"), DecodeLimits.Default).Image;
        var rle = DicomFiles.WithGdcm.Read(DicomFiles.Load("other", "D_CLUNIE_CT1_RLE_FRAGS.dcm"), DecodeLimits.Default).Image;
        Assert.Equal(rle.Pixels, bigEndian.Pixels);
    }

    [Fact]
    public void NonDicomDoesNotLookLikeDicom()
    {
        Assert.False(DicomFilmReader.LooksLikeDicom([]));
        Assert.False(DicomFilmReader.LooksLikeDicom([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F']));
        Assert.False(DicomFilmReader.LooksLikeDicom([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 13]));
        Assert.False(DicomFilmReader.LooksLikeDicom("hello, this is not an image at all"u8));
        Assert.False(DicomFilmReader.LooksLikeDicom(new byte[200]));
        Assert.True(DicomFilmReader.LooksLikeDicom(SyntheticFilms.EightBitMonochrome1(TestSyntax.ImplicitLittle).ToFile(false, false)));
        Assert.True(DicomFilmReader.LooksLikeDicom(SyntheticFilms.EightBitMonochrome1(TestSyntax.ExplicitLittle).ToFile(false, false)));
    }
}
