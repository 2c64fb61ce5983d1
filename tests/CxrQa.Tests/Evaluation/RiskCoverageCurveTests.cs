using CxrQa.Core.Evaluation;

namespace CxrQa.Tests.Evaluation;

/// <summary>Properties of the risk-coverage curve and AURC on seeded random answer sets.</summary>
public class RiskCoverageCurveTests
{
    public static TheoryData<int> Seeds => new() { 1, 2, 3, 17, 99, 2024 };

    /// <summary>Confidences in [0.5, 1]; errors likelier at low confidence; <paramref name="levels"/> > 0 rounds them to force ties.</summary>
    internal static (double[] Confidence, bool[] Correct) Answers(int seed, int n = 300, int levels = 0)
    {
        var random = new Random(seed);
        var confidence = new double[n];
        var correct = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var c = 0.5 + 0.5 * random.NextDouble();
            if (levels > 0) c = 0.5 + Math.Round((c - 0.5) * 2 * levels) / (2 * levels);
            confidence[i] = c;
            correct[i] = random.NextDouble() < c;
        }
        return (confidence, correct);
    }

    /// <summary>The textbook definition for distinct confidences: mean over k of the error among the top k.</summary>
    private static double NaiveAurc(double[] confidence, bool[] correct)
    {
        var order = Enumerable.Range(0, confidence.Length).OrderByDescending(i => confidence[i]).ToArray();
        double sum = 0, errors = 0;
        for (var k = 1; k <= order.Length; k++)
        {
            if (!correct[order[k - 1]]) errors++;
            sum += errors / k;
        }
        return sum / order.Length;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void With_distinct_confidences_the_area_is_the_textbook_sum(int seed)
    {
        var (c, ok) = Answers(seed);
        Assert.Equal(NaiveAurc(c, ok), RiskCoverageCurve.Compute(c, ok).Aurc, 12);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Curve_is_bounded_ends_at_full_coverage_and_beats_no_oracle(int seed)
    {
        var (c, ok) = Answers(seed, levels: 10);
        var curve = RiskCoverageCurve.Compute(c, ok);
        var errorRate = ok.Count(x => !x) / (double)ok.Length;
        Assert.Equal(1.0, curve.Coverage[^1], 12);
        Assert.Equal(errorRate, curve.Risk[^1], 12);
        Assert.True(curve.Coverage.Zip(curve.Coverage.Skip(1)).All(p => p.First < p.Second));
        Assert.All(curve.Risk, r => Assert.InRange(r, 0, 1));
        Assert.InRange(curve.OptimalAurc, 0, curve.Aurc + 1e-12);
        Assert.InRange(curve.Aurc, 0, 1);
        Assert.True(curve.ExcessAurc >= -1e-12);
        Assert.Equal(11, curve.Count); // 11 distinct rounded levels from 0.5 to 1
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Area_does_not_depend_on_input_order_even_with_ties(int seed)
    {
        var (c, ok) = Answers(seed, levels: 5);
        var random = new Random(seed + 1000);
        var perm = Enumerable.Range(0, c.Length).OrderBy(_ => random.Next()).ToArray();
        var a = RiskCoverageCurve.Compute(c, ok);
        var b = RiskCoverageCurve.Compute(perm.Select(i => c[i]).ToArray(), perm.Select(i => ok[i]).ToArray());
        Assert.Equal(a.Aurc, b.Aurc, 12);
        Assert.Equal(a.Risk, b.Risk);
        Assert.Equal(a.AccuracyAtCoverage(0.7), b.AccuracyAtCoverage(0.7), 12);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_tie_is_the_average_over_every_order_of_the_tied_films(int seed)
    {
        // All films tied: the expected risk among any k of them is the overall error rate, so AURC equals it.
        var (_, ok) = Answers(seed, n: 120);
        var tied = Enumerable.Repeat(0.8, ok.Length).ToArray();
        var errorRate = ok.Count(x => !x) / (double)ok.Length;
        var curve = RiskCoverageCurve.Compute(tied, ok);
        Assert.Equal(errorRate, curve.Aurc, 12);
        Assert.Equal(errorRate, curve.RiskAtCoverage(0.5), 12);
        Assert.Single(curve.Coverage);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Ranking_every_error_last_reaches_the_optimal_area(int seed)
    {
        var (c, ok) = Answers(seed);
        var ideal = ok.Select((x, i) => x ? 2.0 + i * 1e-6 : 0.5 + i * 1e-6).ToArray();
        var curve = RiskCoverageCurve.Compute(ideal, ok);
        Assert.Equal(curve.OptimalAurc, curve.Aurc, 12);
        Assert.Equal(0, curve.ExcessAurc, 12);
        var reversed = RiskCoverageCurve.Compute(ideal.Select(v => -v).ToArray(), ok);
        Assert.True(reversed.Aurc > RiskCoverageCurve.Compute(c, ok).Aurc);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Accuracy_at_a_coverage_is_the_accuracy_of_the_top_films(int seed)
    {
        var (c, ok) = Answers(seed, n: 200);
        var curve = RiskCoverageCurve.Compute(c, ok);
        var order = Enumerable.Range(0, c.Length).OrderByDescending(i => c[i]).ToArray();
        foreach (var coverage in new[] { 0.5, 0.6, 0.7, 0.8, 0.9, 1.0 })
        {
            var k = (int)Math.Ceiling(coverage * c.Length);
            Assert.Equal(order.Take(k).Count(i => ok[i]) / (double)k, curve.AccuracyAtCoverage(coverage), 12);
        }
        Assert.Equal(ok.Count(x => x) / (double)ok.Length, curve.AccuracyAtCoverage(1.0), 12);
    }

    [Fact]
    public void Optimal_area_by_hand()
    {
        Assert.Equal(0.25, RiskCoverageCurve.OptimalArea(2, 1), 12);          // risks 0, 1/2
        Assert.Equal((0 + 0 + 1.0 / 3) / 3, RiskCoverageCurve.OptimalArea(3, 1), 12);
        Assert.Equal(0, RiskCoverageCurve.OptimalArea(5, 0));
        Assert.Equal(1, RiskCoverageCurve.OptimalArea(4, 4), 12);
    }

    [Fact]
    public void Selective_summary_reports_the_standard_coverages()
    {
        var (c, ok) = Answers(5, n: 50);
        var cases = c.Select((v, i) => new ScreenedCase(ok[i] ? 1 : 0, v, v, true, false, ["low_confidence"])).ToList();
        var summary = SelectiveSummary.Compute(cases);
        Assert.Equal(SelectiveSummary.StandardCoverages, summary.AccuracyAtCoverage.Select(a => a.Coverage));
        Assert.Equal([25, 30, 35, 40, 45, 50], summary.AccuracyAtCoverage.Select(a => a.Answered));
        Assert.Equal(summary.Curve.AccuracyAtCoverage(0.8), summary.AccuracyAtCoverage[3].Accuracy);
    }
}
