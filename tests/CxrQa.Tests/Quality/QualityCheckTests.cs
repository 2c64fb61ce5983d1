using CxrQa.Core.Imaging;
using CxrQa.Core.Quality;

namespace CxrQa.Tests.Quality;

/// <summary>Each check's pure decision at and around its default threshold.</summary>
public sealed class QualityCheckTests
{
    private static readonly QualityGateOptions Options = QualityGateOptions.Default;

    [Theory]
    [InlineData(199, true)]
    [InlineData(200, false)]
    [InlineData(224, false)]
    public void TooSmallBelowTheMinimumSide(int side, bool expected) =>
        Assert.Equal(expected, FilmSizeCheck.IsTooSmall(side, Options));

    [Fact]
    public void MinSideReadsTheStoredSizeNotTheDecodedImage()
    {
        var metadata = new FilmMetadata(ImageFormat.Jpeg, 3000, 150, 8, 3, 0, null);
        Assert.Equal(150, FilmSizeCheck.MinSide(metadata));
    }

    [Theory]
    [InlineData(0.95, 50, true)]
    [InlineData(0.10, 2, true)]
    [InlineData(0.30, 40, false)]
    public void BlankOrSaturatedOnClippedOrFlatImages(double extreme, double std, bool expected) =>
        Assert.Equal(expected, ExposureCheck.IsBlankOrSaturated(extreme, std, Options));

    [Theory]
    [InlineData(39, true)]
    [InlineData(40, false)]
    public void LowContrastBelowTheSpread(int spread, bool expected) =>
        Assert.Equal(expected, ContrastCheck.IsLowContrast(spread, Options));

    [Theory]
    [InlineData(3, "MONOCHROME2", false)]
    [InlineData(25, "MONOCHROME2", true)]
    [InlineData(0, "RGB", true)]
    [InlineData(0, "YBR_FULL_422", true)]
    [InlineData(0, "PALETTE COLOR", true)]
    [InlineData(0, "MONOCHROME1", false)]
    public void ColourFromChromaOrPhotometric(double colourfulness, string photometric, bool expected)
    {
        var metadata = new FilmMetadata(ImageFormat.Dicom, 512, 512, 8, 1, colourfulness, QualityFilms.Facts(photometric: photometric));
        Assert.Equal(expected, ColourCheck.IsColour(metadata, Options));
    }

    [Fact]
    public void ColourOfAFilmWithoutHeaderComesFromChromaOnly()
    {
        Assert.False(ColourCheck.IsColour(new FilmMetadata(ImageFormat.Jpeg, 224, 224, 8, 3, 2.9, null), Options));
        Assert.True(ColourCheck.IsColour(new FilmMetadata(ImageFormat.Jpeg, 224, 224, 8, 3, 40, null), Options));
    }

    [Theory]
    [InlineData("CR", "CHEST", false)]
    [InlineData("DX", "chest", false)]
    [InlineData("DR", "THORAX", false)]
    [InlineData("RG", "Lung", false)]
    [InlineData("dx", null, false)]
    [InlineData(null, null, false)]
    [InlineData("", " ", false)]
    [InlineData("CR ", " CHEST", false)]
    [InlineData("CT", "CHEST", true)]
    [InlineData("MR", null, true)]
    [InlineData("MG", null, true)]
    [InlineData("US", null, true)]
    [InlineData("OT", null, true)]
    [InlineData("CR", "HAND", true)]
    [InlineData(null, "SKULL", true)]
    public void NotChestFromModalityOrBodyPart(string? modality, string? bodyPart, bool expected) =>
        Assert.Equal(expected, ModalityCheck.IsNotChest(QualityFilms.Facts(modality, bodyPart), Options));

    [Fact]
    public void NoHeaderSaysNothingAboutModality() => Assert.False(ModalityCheck.IsNotChest(null, Options));

    [Theory]
    [InlineData("LL", true)]
    [InlineData("rl", true)]
    [InlineData("LAT", true)]
    [InlineData("LLD", true)]
    [InlineData("RLD", true)]
    [InlineData("Lateral", true)]
    [InlineData("PA", false)]
    [InlineData("AP", false)]
    [InlineData(null, false)]
    public void LateralFromViewPosition(string? view, bool expected) =>
        Assert.Equal(expected, LateralViewCheck.HeaderSaysLateral(QualityFilms.Facts(view: view), Options));

    [Theory]
    [InlineData(0.24, true)]
    [InlineData(0.25, false)]
    [InlineData(null, false)]
    public void LateralHeuristicBelowTheMirrorCorrelation(double? correlation, bool expected) =>
        Assert.Equal(expected, LateralViewCheck.LooksLateral(correlation, Options));

    [Theory]
    [InlineData(-0.01, true)]
    [InlineData(0.0, false)]
    [InlineData(null, false)]
    public void InvertedBelowThePolarityScore(double? score, bool expected) =>
        Assert.Equal(expected, PolarityCheck.LooksInverted(score, Options));
}
