using CxrQa.Core.Routing;
using CxrQa.Core.Trust;

namespace CxrQa.Tests.Trust;

public sealed class PolicyTextTests
{
    private static RiskControlCard Card(bool joint, string units = "patients") => new()
    {
        Delta = 0.05,
        DeltaPerClass = joint ? 0.025 : 0.05,
        Normal = new ClassRiskCard { Alpha = 0.01, CertifiedAlpha = 0.01, Threshold = null, N = 0, Errors = 0, UpperBound = 1, Coverage = 0, PredictedCases = 200 },
        Pneumonia = new ClassRiskCard { Alpha = 0.02, CertifiedAlpha = 0.02, Threshold = 0.805, N = 500, Errors = 0, UpperBound = 0.0060, Coverage = 0.9, PredictedCases = 555 },
        OverallCoverage = 0.6,
        CalibrationCases = 1297,
        Units = units,
        PatientsCertified = 712,
    };

    [Fact]
    public void States_the_promise_not_a_bound_recomputed_at_the_chosen_threshold()
    {
        var text = PolicyText.Describe(Card(joint: false));
        Assert.Contains("at most 2.0% of automated \"Pneumonia\" answers are wrong", text);
        Assert.Contains("evidence: 500 held-out patients at or above it, one film each, 0 wrong", text);
        Assert.Contains("With probability at least 95% over the draw of the calibration patients, each promise holds", text);
        Assert.DoesNotContain("0.6", text); // the recomputed upper bound (0.60 %) is not quoted
        Assert.Contains("same share of pneumonia", text);
        Assert.Contains("\"Normal\" is never answered automatically: the held-out patients could not support an error rate of 1.0%", text);
        Assert.Contains("at least 0.805, certified so that", text);
    }

    [Fact]
    public void A_joint_certificate_says_both_hold_together()
    {
        Assert.Contains("both promises hold together", PolicyText.Describe(Card(joint: true)));
        Assert.Contains("evidence: 500 held-out films at or above it, 0 wrong", PolicyText.Describe(Card(joint: true, units: "films")));
    }
}
