using CxrQa.Core.OutOfDistribution;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.OutOfDistribution;

public sealed class FeatureShiftDetectorTests
{
    private static (FeatureShiftDetector Detector, GaussianEmbeddings A, GaussianEmbeddings B) Fitted(
        FeatureDensityKind kind = FeatureDensityKind.Mahalanobis)
    {
        var a = new GaussianEmbeddings(8, seed: 1);
        var b = new GaussianEmbeddings(16, seed: 2);
        var (rowsA, labels) = Positive(a.Draw(600));
        var (rowsB, _) = Positive(b.Draw(600));
        return (FeatureShiftDetector.Fit([rowsA, rowsB], [8, 16], labels, kind, neighbours: 5), a, b);
    }

    /// <summary>Pooled ReLU features are positive: the training films fill a cone, not every direction (which a cosine
    /// distance could not tell apart).</summary>
    private static (float[] Rows, int[] Labels) Positive((float[] Rows, int[] Labels) draw) =>
        (draw.Rows.Select(v => v + 6f).ToArray(), draw.Labels);

    [Theory]
    [InlineData(FeatureDensityKind.Mahalanobis)]
    [InlineData(FeatureDensityKind.NearestNeighbour)]
    public void A_film_shifted_at_one_depth_scores_higher_than_in_distribution_films(FeatureDensityKind kind)
    {
        var (detector, a, b) = Fitted(kind);
        var (inA, _) = Positive(a.Draw(200));
        var (inB, _) = Positive(b.Draw(200));
        var (outB, _) = Positive(b.Draw(200, shift: 3.0));
        var inScores = Enumerable.Range(0, 200).Select(i => detector.Score([inA, inB], i)).Order().ToArray();
        var outScores = Enumerable.Range(0, 200).Select(i => detector.Score([inA, outB], i)).Order().ToArray();
        Assert.True(outScores[100] > inScores[190], $"median shifted {outScores[100]:0.00} vs p95 in-distribution {inScores[190]:0.00}");
        // Each depth is scaled by its training median, so an in-distribution film scores about 1 at every depth.
        Assert.InRange(inScores[100], 0.8, 2.5);
    }

    [Theory]
    [InlineData(FeatureDensityKind.Mahalanobis)]
    [InlineData(FeatureDensityKind.NearestNeighbour)]
    public void Saving_and_loading_keeps_every_score(FeatureDensityKind kind)
    {
        var (detector, a, b) = Fitted(kind);
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

    [Theory]
    [InlineData(FeatureDensityKind.Mahalanobis)]
    [InlineData(FeatureDensityKind.NearestNeighbour)]
    public void A_damaged_file_is_a_model_error(FeatureDensityKind kind)
    {
        var (detector, _, _) = Fitted(kind);
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "feature_shift.bin");
        detector.Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^7]);
        var e = Assert.Throws<Core.Errors.CxrQaException>(() => FeatureShiftDetector.Load(path));
        Assert.Equal(Core.Errors.ErrorCodes.ModelInvalid, e.Code);
    }

    [Fact]
    public void A_format_1_file_of_mahalanobis_depths_still_loads()
    {
        // Bundles calibrated before nearest neighbours existed carry "TDSF" files: 16-byte entries, no kind byte.
        var (detector, a, b) = Fitted();
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "feature_shift.bin");
        using (var stream = File.Create(path))
        {
            stream.Write("TDSF"u8);
            stream.Write(BitConverter.GetBytes(detector.Depths.Count));
            for (var d = 0; d < detector.Depths.Count; d++)
            {
                using var chunk = new MemoryStream();
                OodDetectorFile.Save((MahalanobisDetector)detector.Depths[d], chunk);
                stream.Write(BitConverter.GetBytes(detector.Scales[d]));
                stream.Write(BitConverter.GetBytes(chunk.Length));
                stream.Write(chunk.ToArray());
            }
        }
        var loaded = FeatureShiftDetector.Load(path);
        var (rowsA, _) = a.Draw(5);
        var (rowsB, _) = b.Draw(5);
        Assert.Equal(FeatureDensityKind.Mahalanobis, loaded.Kind);
        for (var i = 0; i < 5; i++)
            Assert.Equal(detector.Score([rowsA, rowsB], i), loaded.Score([rowsA, rowsB], i), 12);
    }
}
