using CxrQa.Core.OutOfDistribution;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.OutOfDistribution;

public sealed class FeatureShiftDetectorTests
{
    private static (FeatureShiftDetector Detector, GaussianEmbeddings A, GaussianEmbeddings B) Fitted()
    {
        var a = new GaussianEmbeddings(8, seed: 1);
        var b = new GaussianEmbeddings(16, seed: 2);
        var (rowsA, labels) = a.Draw(600);
        var (rowsB, _) = b.Draw(600);
        return (FeatureShiftDetector.Fit([rowsA, rowsB], [8, 16], labels), a, b);
    }

    [Fact]
    public void A_film_shifted_at_one_depth_scores_higher_than_in_distribution_films()
    {
        var (detector, a, b) = Fitted();
        var (inA, _) = a.Draw(200);
        var (inB, _) = b.Draw(200);
        var (outB, _) = b.Draw(200, shift: 3.0);
        var inScores = Enumerable.Range(0, 200).Select(i => detector.Score([inA, inB], i)).Order().ToArray();
        var outScores = Enumerable.Range(0, 200).Select(i => detector.Score([inA, outB], i)).Order().ToArray();
        Assert.True(outScores[100] > inScores[190], $"median shifted {outScores[100]:0.00} vs p95 in-distribution {inScores[190]:0.00}");
        // Each depth is scaled by its training median, so an in-distribution film scores about 1 at every depth.
        Assert.InRange(inScores[100], 0.8, 2.5);
    }

    [Fact]
    public void Saving_and_loading_keeps_every_score()
    {
        var (detector, a, b) = Fitted();
        var (rowsA, _) = a.Draw(20);
        var (rowsB, _) = b.Draw(20);
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "feature_shift.bin");
        detector.Save(path);
        var loaded = FeatureShiftDetector.Load(path);
        for (var i = 0; i < 20; i++)
            Assert.Equal(detector.Score([rowsA, rowsB], i), loaded.Score([rowsA, rowsB], i), 12);
        Assert.Equal(detector.Scales, loaded.Scales);
    }

    [Fact]
    public void A_damaged_file_is_a_model_error()
    {
        var (detector, _, _) = Fitted();
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "feature_shift.bin");
        detector.Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^7]);
        var e = Assert.Throws<Core.Errors.CxrQaException>(() => FeatureShiftDetector.Load(path));
        Assert.Equal(Core.Errors.ErrorCodes.ModelInvalid, e.Code);
    }
}
