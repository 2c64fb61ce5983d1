using CxrQa.Core.Imaging;
using CxrQa.Core.Quality;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Quality;

public sealed class ContentHeuristicTests
{
    [Fact]
    public void AMirrorSymmetricImageCorrelatesPerfectlyWithItsMirror()
    {
        var chest = SyntheticFilms.Chest(64, 64);
        var symmetric = new byte[64 * 64];
        for (var y = 0; y < 64; y++)
        for (var x = 0; x < 64; x++)
            symmetric[y * 64 + x] = chest[Math.Min(x, 63 - x), y];
        Assert.Equal(1.0, MirrorSymmetry.BestCorrelation(new GrayImage(64, 64, symmetric), 0.1), 9);
    }

    [Fact]
    public void TheMirrorAxisIsSearchedOffCentre()
    {
        // A symmetric pattern whose axis sits 4 columns right of the image centre.
        var pixels = new byte[64 * 64];
        for (var y = 0; y < 64; y++)
        for (var x = 0; x < 64; x++)
            pixels[y * 64 + x] = (byte)(Math.Abs(x - 35.5) * 6 + y);
        var image = new GrayImage(64, 64, pixels);
        Assert.Equal(1.0, MirrorSymmetry.BestCorrelation(image, 0.1), 9);
        Assert.True(MirrorSymmetry.BestCorrelation(image, 0) < 0.9);
    }

    [Fact]
    public void AFlatImageHasZeroCorrelationAndZeroPolarity()
    {
        var blank = SyntheticFilms.Blank(64, 64, 100);
        Assert.Equal(0, MirrorSymmetry.BestCorrelation(blank, 0.1));
        Assert.Equal(0, PolarityScore.Measure(blank));
    }

    [Fact]
    public void InvertingAFilmNegatesItsPolarityScore()
    {
        var chest = Thumbnail.Of(SyntheticFilms.Chest(300, 300), 64);
        var score = PolarityScore.Measure(chest);
        Assert.True(score > 0.5, $"score {score}");
        Assert.Equal(-score, PolarityScore.Measure(QualityFilms.Inverted(chest)), 9);
    }

    [Fact]
    public void HalfAChestIsFarLessSymmetricThanAWholeOne()
    {
        var chest = SyntheticFilms.Chest(300, 300);
        var frontal = MirrorSymmetry.BestCorrelation(Thumbnail.Of(chest, 64), 0.1);
        var half = MirrorSymmetry.BestCorrelation(Thumbnail.Of(QualityFilms.LeftPartStretched(chest, 0.55), 64), 0.1);
        Assert.True(frontal > 0.8, $"frontal {frontal}");
        Assert.True(half < 0.25, $"half {half}");
    }

    /// <summary>Documents a limit, not a feature: a cartoon lateral whose body outline is a centred ellipse still
    /// correlates about 0.6 with its mirror, well above the threshold. Symmetry alone does not find laterals whose
    /// silhouette is symmetric; see docs/quality-gate.md.</summary>
    [Fact]
    public void ACartoonLateralWithASymmetricSilhouetteIsNotCaughtBySymmetry()
    {
        var lateral = MirrorSymmetry.BestCorrelation(Thumbnail.Of(SyntheticLateral.Make(300, 300), 64), 0.1);
        Assert.InRange(lateral, 0.4, 0.8);
    }
}
