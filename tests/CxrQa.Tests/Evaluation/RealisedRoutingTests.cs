using CxrQa.Core.Calibration;
using CxrQa.Core.Evaluation;

namespace CxrQa.Tests.Evaluation;

public class RealisedRoutingTests
{
    private static ScreenedCase Case(int label, bool predictedPneumonia, bool automated, params string[] reasons) =>
        new(label, predictedPneumonia ? 0.9 : 0.1, 0.9, predictedPneumonia, automated, reasons);

    [Fact]
    public void Counts_errors_among_automated_films_per_predicted_class_with_exact_intervals()
    {
        var cases = new List<ScreenedCase>();
        for (var i = 0; i < 40; i++) cases.Add(Case(1, true, true));          // right, automated pneumonia
        for (var i = 0; i < 2; i++) cases.Add(Case(0, true, true));           // wrong, automated pneumonia
        for (var i = 0; i < 5; i++) cases.Add(Case(0, true, false, "low_confidence")); // wrong but reviewed: not counted
        for (var i = 0; i < 10; i++) cases.Add(Case(0, false, false, "low_confidence", "out_of_distribution"));

        var r = RealisedRouting.Compute(cases, alphaNormal: 0.01, alphaPneumonia: 0.02);

        Assert.Equal(42, r.Pneumonia.AutomatedError.N);
        Assert.Equal(2, r.Pneumonia.AutomatedError.Errors);
        Assert.Equal(2 / 42.0, r.Pneumonia.AutomatedError.Rate, 12);
        Assert.Equal(BinomialBounds.ClopperPearsonUpper(2, 42, 0.025), r.Pneumonia.AutomatedError.Upper);
        Assert.Equal(BinomialBounds.ClopperPearsonLower(2, 42, 0.025), r.Pneumonia.AutomatedError.Lower);
        Assert.Equal(0.02, r.Pneumonia.Alpha);
        Assert.Equal(47, r.Pneumonia.PredictedCases);
        Assert.Equal(42 / 47.0, r.Pneumonia.Coverage, 12);
        Assert.False(r.Pneumonia.WithinAlpha);

        Assert.Equal(0, r.Normal.AutomatedError.N);
        Assert.True(double.IsNaN(r.Normal.AutomatedError.Rate));
        Assert.Null(r.Normal.WithinAlpha);
        Assert.Equal(42, r.Automated);
        Assert.Equal(57, r.Total);
        Assert.Equal(2, r.Overall.Errors);

        var routing = RoutingSummary.Compute(cases);
        Assert.Equal(42, routing.Automated);
        Assert.Equal(15, routing.PendingReview);
        Assert.Equal([new("low_confidence", 15), new KeyValuePair<string, int>("out_of_distribution", 10)], routing.Reasons);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(3, 10)]
    [InlineData(10, 10)]
    [InlineData(7, 700)]
    public void The_interval_brackets_the_rate(int errors, int n)
    {
        var rate = BinomialRate.Of(errors, n);
        Assert.InRange(rate.Rate, rate.Lower, rate.Upper);
        Assert.InRange(rate.Lower, 0, 1);
        Assert.InRange(rate.Upper, 0, 1);
    }

    [Fact]
    public void Fixed_threshold_bundles_have_no_alpha()
    {
        var r = RealisedRouting.Compute([Case(1, true, true)], null, null);
        Assert.Null(r.Pneumonia.Alpha);
        Assert.Null(r.Pneumonia.WithinAlpha);
    }
}
