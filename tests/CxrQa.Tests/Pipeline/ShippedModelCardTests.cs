using CxrQa.Core.Model;

namespace CxrQa.Tests.Pipeline;

/// <summary>What the shipped model's card promises, checked against the numbers it records.</summary>
public sealed class ShippedModelCardTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    private ModelCard Card => shipped.Model.Card;

    [Fact]
    public void Reports_a_patient_grouped_cross_validated_auc_of_at_least_098()
    {
        Assert.True(Card.ValidationMetrics.TryGetValue("cv_auc", out var auc) || Card.ValidationMetrics.TryGetValue("val_auc", out auc));
        Assert.InRange(auc, 0.98, 1.0);
        Assert.Matches("^[0-9a-f]{64}$", Card.Training!.DataManifestSha256!);
    }

    [Fact]
    public void Is_calibrated_on_held_out_patients()
    {
        var calibration = Card.Calibration!;
        Assert.True(calibration.Cases >= 500);
        Assert.True(calibration.EceAfter <= 0.03, $"ECE after scaling {calibration.EceAfter}");
        Assert.Equal(calibration.Temperature, Card.Temperature);
    }

    [Fact]
    public void Certified_thresholds_keep_the_realised_calibration_error_within_alpha()
    {
        var risk = Card.DecisionPolicy.RiskControl!;
        Assert.Equal(DecisionPolicyCard.RiskControlled, Card.DecisionPolicy.Mode);
        foreach (var c in new[] { risk.Normal, risk.Pneumonia })
        {
            if (c.Threshold is null) continue;
            Assert.True(c.UpperBound <= c.CertifiedAlpha + 1e-12);
            Assert.True((double)c.Errors / c.N <= c.Alpha, $"{c.Errors}/{c.N} > {c.Alpha}");
        }
        Assert.False(string.IsNullOrWhiteSpace(Card.DecisionPolicy.Description));
    }
}
