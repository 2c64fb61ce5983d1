using CxrQa.Core.Evaluation;

namespace CxrQa.Tests.Evaluation;

public class ReliabilityTests
{
    /// <summary>Groups of films at one probability whose observed pneumonia rate equals that probability exactly.</summary>
    private static (double[] P, int[] Y) PerfectlyCalibrated()
    {
        var p = new List<double>();
        var y = new List<int>();
        foreach (var (prob, n) in new[] { (0.1, 10), (0.3, 10), (0.8, 20), (0.95, 20), (0.6, 5) })
        {
            var positives = (int)Math.Round(prob * n);
            for (var i = 0; i < n; i++)
            {
                p.Add(prob);
                y.Add(i < positives ? 1 : 0);
            }
        }
        return (p.ToArray(), y.ToArray());
    }

    [Fact]
    public void Ece_is_zero_when_every_bin_is_calibrated()
    {
        var (p, y) = PerfectlyCalibrated();
        Assert.Equal(0, ReliabilityBins.Compute(p, y).Ece, 12);
        Assert.Equal(0, ReliabilityBins.Compute(p, y, view: ReliabilityView.PositiveClass).Ece, 12);
    }

    [Fact]
    public void Bins_are_fifteen_equal_widths_and_count_every_film()
    {
        var (s, y) = AucTests.Random(2);
        var bins = ReliabilityBins.Compute(s, y);
        Assert.Equal(15, bins.Bins.Count);
        Assert.Equal(s.Length, bins.Bins.Sum(b => b.Count));
        Assert.All(bins.Bins, b => Assert.Equal(1 / 15.0, b.Upper - b.Lower, 12));
        Assert.All(bins.Bins.Where(b => b.Count > 0), b => Assert.InRange(b.MeanConfidence, b.Lower, b.Upper));
        // Top-label confidence is at least one half: the lower bins stay empty.
        Assert.All(bins.Bins.Take(7), b => Assert.Equal(0, b.Count));
        Assert.InRange(bins.Ece, 0, 1);
    }

    [Fact]
    public void Ece_matches_a_hand_computation()
    {
        // Four films at p = 0.9 (confidence 0.9), three correct -> |0.75 - 0.9| = 0.15, weight 4/6.
        // Two films at p = 0.2 (confidence 0.8), both correct -> |1 - 0.8| = 0.2, weight 2/6.
        var bins = ReliabilityBins.Compute([0.9, 0.9, 0.9, 0.9, 0.2, 0.2], [1, 1, 1, 0, 0, 0]);
        Assert.Equal(4 / 6.0 * 0.15 + 2 / 6.0 * 0.2, bins.Ece, 12);
        var b = bins.Bins.Single(x => x.Count == 4);
        Assert.Equal((0.9, 0.75), (b.MeanConfidence, b.Accuracy));
    }

    [Fact]
    public void A_probability_of_one_lands_in_the_last_bin()
    {
        var bins = ReliabilityBins.Compute([1.0, 0.0], [1, 0]);
        Assert.Equal(2, bins.Bins[^1].Count);
        Assert.Equal(0, bins.Ece, 12);
    }
}
