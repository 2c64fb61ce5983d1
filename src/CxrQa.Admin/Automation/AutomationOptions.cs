using CxrQa.Core.Monitoring;

namespace CxrQa.Admin.Automation;

/// <summary>The production monitors (section "CxrQa:Automation").</summary>
public sealed class AutomationOptions
{
    public const string Section = "CxrQa:Automation";

    /// <summary>The deployment whose stream is watched; replicas of one deployment share it (and its pause).</summary>
    public string Site { get; set; } = "default";

    /// <summary>Watch the unlabelled stream against the bundle's calibration reference and pause on an alarm.</summary>
    public bool DriftMonitor { get; set; } = true;

    /// <summary>How the drift monitor is built, and its stated false-alarm rate over its stated horizon.</summary>
    public DriftOptions Drift { get; set; } = new();

    /// <summary>Folder where the drift threshold simulation's result is kept between starts
    /// (<see cref="DriftCalibrationCache"/>); null: simulated at every start.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Pause when the audit sample's anytime-valid lower bound on a class's automated error passes its alpha.</summary>
    public bool AuditBreaker { get; set; } = true;

    /// <summary>Probability that the breaker ever opens while both classes keep their promise, over the model's whole
    /// life; each class's error sequence is run at half of it.</summary>
    public double AuditDelta { get; set; } = 0.05;

    /// <summary>The promise checked when the bundle's policy certifies none (a fixed-threshold deployment).</summary>
    public double FallbackAlpha { get; set; } = 0.02;

    /// <summary>Show audit-sample cases to reviewers without the AI's answer, so their label is an independent read.</summary>
    public bool BlindAuditSamples { get; set; } = true;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Site) || Site.Length > 100)
            throw new InvalidOperationException("CxrQa:Automation:Site must be a name of 1 to 100 characters");
        if (!(AuditDelta is > 0 and < 1) || !(FallbackAlpha is > 0 and < 1))
            throw new InvalidOperationException("CxrQa:Automation:AuditDelta and FallbackAlpha must lie in (0, 1)");
        Drift.Validate();
    }
}
