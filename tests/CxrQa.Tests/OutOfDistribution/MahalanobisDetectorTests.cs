using CxrQa.Core.OutOfDistribution;

namespace CxrQa.Tests.OutOfDistribution;

public sealed class MahalanobisDetectorTests
{
    [Fact]
    public void In_distribution_scores_look_like_chi_squared_with_d_degrees_of_freedom()
    {
        const int d = 32;
        var world = new GaussianEmbeddings(d, seed: 1);
        var (train, labels) = world.Draw(4000);
        var detector = MahalanobisDetector.Fit(train, d, labels);

        var (fresh, _) = world.Draw(4000);
        var scores = GaussianEmbeddings.Scores(detector, fresh);
        var mean = scores.Average();
        var variance = scores.Select(s => (s - mean) * (s - mean)).Average();
        // chi2(d): mean d, variance 2d. The minimum over classes and estimation noise move these a little.
        Assert.InRange(mean, 0.9 * d, 1.1 * d);
        Assert.InRange(variance, 1.4 * d, 2.8 * d);
    }

    [Fact]
    public void Shifted_embeddings_score_far_higher()
    {
        const int d = 32;
        var world = new GaussianEmbeddings(d, seed: 2);
        var (train, labels) = world.Draw(4000);
        var detector = MahalanobisDetector.Fit(train, d, labels);

        var inDistribution = GaussianEmbeddings.Scores(detector, world.Draw(2000).Rows);
        var shifted = GaussianEmbeddings.Scores(detector, world.Draw(2000, shift: 1.5).Rows);
        var scaled = GaussianEmbeddings.Scores(detector, world.Draw(2000, scale: 2.0).Rows);

        Assert.True(shifted.Average() > 2 * inDistribution.Average());
        Assert.True(GaussianEmbeddings.Auroc(inDistribution, shifted) > 0.99);
        Assert.True(GaussianEmbeddings.Auroc(inDistribution, scaled) > 0.99);
    }

    [Fact]
    public void Works_at_the_real_size_of_512_dimensions()
    {
        const int d = 512;
        var world = new GaussianEmbeddings(d, seed: 3, isotropic: true);
        var (train, labels) = world.Draw(4000);
        var detector = MahalanobisDetector.Fit(train, d, labels);
        Assert.InRange(detector.Shrinkage, 0.0, 1.0);

        var inDistribution = GaussianEmbeddings.Scores(detector, world.Draw(400).Rows);
        var shifted = GaussianEmbeddings.Scores(detector, world.Draw(400, shift: 0.5).Rows);
        Assert.InRange(inDistribution.Average(), 0.9 * d, 1.25 * d);
        Assert.True(GaussianEmbeddings.Auroc(inDistribution, shifted) > 0.99);
    }

    [Fact]
    public void Matches_a_naive_cubic_reference()
    {
        const int d = 6;
        var world = new GaussianEmbeddings(d, seed: 4);
        var (train, labels) = world.Draw(200);
        var detector = MahalanobisDetector.Fit(train, d, labels);
        var reference = NaiveMahalanobis.Fit(train, d, labels);

        Assert.Equal(reference.Shrinkage, detector.Shrinkage, 1e-10);
        var (probe, _) = world.Draw(50, shift: 0.3);
        for (var k = 0; k < 50; k++)
        {
            var row = probe.AsSpan(k * d, d);
            var expected = reference.Score(row.ToArray());
            Assert.Equal(expected, detector.Score(row), 1e-4 * expected);
        }
    }

    [Fact]
    public void A_given_shrinkage_is_used_as_is()
    {
        const int d = 6;
        var world = new GaussianEmbeddings(d, seed: 5);
        var (train, labels) = world.Draw(300);
        foreach (var s in new[] { 0.0, 0.3, 1.0 })
        {
            var detector = MahalanobisDetector.Fit(train, d, labels, shrinkage: s);
            var reference = NaiveMahalanobis.Fit(train, d, labels, s);
            Assert.Equal(s, detector.Shrinkage);
            var row = train.AsSpan(0, d);
            var expected = reference.Score(row.ToArray());
            Assert.Equal(expected, detector.Score(row), 1e-4 * expected);
        }
    }

    [Fact]
    public void Score_is_the_nearest_class()
    {
        const int d = 8;
        var world = new GaussianEmbeddings(d, seed: 6);
        var (train, labels) = world.Draw(500);
        var detector = MahalanobisDetector.Fit(train, d, labels);
        var mean1 = detector.Means.Slice(d, d).ToArray();
        Assert.Equal(0.0, detector.SquaredDistance(mean1, 1), 1e-9);
        Assert.Equal(0.0, detector.Score(mean1), 1e-9);
        Assert.True(detector.SquaredDistance(mean1, 0) > 0);
    }

    [Fact]
    public void Rejects_bad_input()
    {
        Assert.Throws<ArgumentException>(() => MahalanobisDetector.Fit(new float[10], 4, [0, 1]));
        Assert.Throws<ArgumentException>(() => MahalanobisDetector.Fit(new float[8], 4, [0, 2])); // class 1 missing
        Assert.Throws<ArgumentException>(() => MahalanobisDetector.Fit([1, 2, float.NaN, 4], 2, [0, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MahalanobisDetector.Fit(new float[8], 4, [0, 1], shrinkage: 1.5));
        var detector = MahalanobisDetector.Fit(new GaussianEmbeddings(4, 7).Draw(100).Rows, 4, Enumerable.Range(0, 100).Select(i => i % 2).ToArray());
        Assert.Throws<ArgumentException>(() => detector.Score(new float[3]));
    }
}
