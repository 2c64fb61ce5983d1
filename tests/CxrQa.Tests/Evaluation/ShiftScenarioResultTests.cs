using CxrQa.Core.Evaluation;
using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Quality;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Tests.Evaluation;

public sealed class ShiftScenarioResultTests
{
    private static ScreeningResult Result(double p, bool automated, params string[] reasons) => new(
        "id", p >= 0.5 ? "Pneumonia" : "Normal", p, Math.Max(p, 1 - p), 0,
        new RoutingDecision(automated ? CaseStatus.Automated : CaseStatus.PendingReview, reasons),
        "", null!, new ModelIdentity("m", "1"), double.NaN, CamResult.EmptyMap(), null!);

    [Fact]
    public void Counts_automated_errors_including_any_automated_answer_on_another_disease()
    {
        BenchmarkTruth[] truth = [BenchmarkTruth.Normal, BenchmarkTruth.Normal, BenchmarkTruth.Pneumonia, BenchmarkTruth.Pneumonia, BenchmarkTruth.Other];
        ScreeningResult[] results =
        [
            Result(0.9, automated: true),                              // normal called pneumonia, automated: wrong
            Result(0.2, automated: false, ReasonCodes.LowConfidence),  // normal, correct, reviewed
            Result(0.95, automated: true),                             // pneumonia, correct, automated
            Result(0.4, automated: false, ReasonCodes.FeatureShift),   // pneumonia missed, reviewed
            Result(0.99, automated: true),                             // other disease answered automatically: wrong
        ];

        var r = ShiftScenarioResult.Measure("s", "d", truth, results);

        Assert.Equal((5, 2, 2, 1), (r.Films, r.Normal, r.Pneumonia, r.Other));
        Assert.Equal(3, r.Automated);
        Assert.Equal(2, r.AutomatedWrong);
        Assert.Equal(0.5, r.Sensitivity, 12);
        Assert.Equal(0.5, r.Specificity, 12);
        Assert.Equal(0.75, r.Auc, 12); // pneumonia scores {0.95, 0.4} vs normal {0.9, 0.2}: 3 of 4 pairs ordered
        Assert.InRange(2.0 / 3, r.AutomatedErrorLower, r.AutomatedErrorUpper);
        Assert.Equal(1, r.Reasons[ReasonCodes.FeatureShift]);
    }
}
