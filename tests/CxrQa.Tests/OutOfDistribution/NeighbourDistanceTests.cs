using CxrQa.Core.Errors;
using CxrQa.Core.OutOfDistribution;

namespace CxrQa.Tests.OutOfDistribution;

public sealed class NeighbourDistanceTests
{
    private static float[] RandomRows(int n, int d, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n * d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_reference_is_at_distance_zero_from_itself_and_the_score_ignores_length(int seed)
    {
        var rows = RandomRows(50, 12, seed);
        var density = NeighbourDistance.Fit(rows, 12, neighbours: 1);
        for (var i = 0; i < 50; i++)
        {
            var row = rows.AsSpan(i * 12, 12).ToArray();
            Assert.Equal(0, density.Score(row), 5);
            Assert.Equal(density.Score(row), density.Score(row.Select(v => v * 7.5f).ToArray()), 5);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Scores_lie_in_0_to_2_and_never_fall_as_k_grows(int seed)
    {
        var rows = RandomRows(80, 6, seed);
        var queries = RandomRows(40, 6, seed + 100);
        var previous = new double[40];
        foreach (var k in new[] { 1, 3, 10, 80 })
        {
            var density = NeighbourDistance.Fit(rows, 6, k);
            for (var q = 0; q < 40; q++)
            {
                var s = density.Score(queries.AsSpan(q * 6, 6));
                Assert.InRange(s, -1e-6, 2 + 1e-6);
                Assert.True(s >= previous[q] - 1e-6, $"k={k}: {s} fell below {previous[q]}");
                previous[q] = s;
            }
        }
    }

    [Fact]
    public void Leaving_a_reference_out_equals_scoring_it_against_the_others()
    {
        var rows = RandomRows(30, 5, 6);
        var all = NeighbourDistance.Fit(rows, 5, neighbours: 3);
        for (var i = 0; i < 30; i++)
        {
            var others = rows.Take(i * 5).Concat(rows.Skip((i + 1) * 5)).ToArray();
            var expected = NeighbourDistance.Fit(others, 5, neighbours: 3).Score(rows.AsSpan(i * 5, 5));
            Assert.Equal(expected, all.ScoreOfReference(i), 6);
        }
    }

    [Fact]
    public void Shifted_films_score_higher_than_in_distribution_films()
    {
        // Pooled ReLU features are positive, so the training films fill a cone rather than every direction.
        var data = new GaussianEmbeddings(16, seed: 3);
        float[] Positive((float[] Rows, int[] Labels) d) => d.Rows.Select(v => v + 6f).ToArray();
        var train = Positive(data.Draw(800));
        var inside = Positive(data.Draw(300));
        var shifted = Positive(data.Draw(300, shift: 3.0));
        var density = NeighbourDistance.Fit(train, 16, neighbours: 10);
        double[] Scores(float[] rows) => Enumerable.Range(0, rows.Length / 16).Select(i => density.Score(rows.AsSpan(i * 16, 16))).ToArray();
        Assert.True(GaussianEmbeddings.Auroc(Scores(inside), Scores(shifted)) > 0.9);
    }

    [Fact]
    public void Unusable_features_score_NaN_and_unusable_references_are_dropped()
    {
        var rows = RandomRows(10, 4, 7);
        rows[0] = float.NaN;
        var density = NeighbourDistance.Fit(rows.Concat(new float[4]).ToArray(), 4, neighbours: 2);
        Assert.Equal(9, density.ReferenceCount);
        Assert.True(double.IsNaN(density.Score([0, 0, 0, 0])));
        Assert.True(double.IsNaN(density.Score([1, float.PositiveInfinity, 0, 0])));
        Assert.Throws<ArgumentOutOfRangeException>(() => NeighbourDistance.Fit(rows, 4, neighbours: 10));
    }

    [Fact]
    public void Saving_and_loading_keeps_every_score_and_a_damaged_file_is_a_model_error()
    {
        var rows = RandomRows(40, 8, 8);
        var density = NeighbourDistance.Fit(rows, 8, neighbours: 4);
        using var stream = new MemoryStream();
        density.Save(stream);
        var bytes = stream.ToArray();
        var loaded = NeighbourDistance.Load(bytes);
        var queries = RandomRows(10, 8, 9);
        for (var q = 0; q < 10; q++)
            Assert.Equal(density.Score(queries.AsSpan(q * 8, 8)), loaded.Score(queries.AsSpan(q * 8, 8)));
        Assert.Equal(ErrorCodes.ModelInvalid, Assert.Throws<CxrQaException>(() => NeighbourDistance.Load(bytes[..^3])).Code);
        bytes[8] = 99; // k larger than the reference count
        Assert.Equal(ErrorCodes.ModelInvalid, Assert.Throws<CxrQaException>(() => NeighbourDistance.Load(bytes)).Code);
    }
}
