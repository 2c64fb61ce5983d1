using CxrQa.Storage;

namespace CxrQa.Admin.Automation;

/// <summary>Whether answers are automated at this site, why not, and the evidence (GET /admin/automation, /health,
/// /reviews/stats, /metrics).</summary>
public sealed record AutomationStatusView(
    string Site,
    bool Paused,
    string? Cause,
    string? Detail,
    DateTimeOffset? PausedAt,
    string Reference,
    long FilmsObserved,
    DriftView? Drift,
    IReadOnlyList<ClassAuditView> Audit);

/// <summary>The drift monitor: its threshold, the false-alarm rate it was set for, and each signal's statistic.</summary>
public sealed record DriftView(
    double Threshold,
    double FalseAlarmRate,
    int HorizonFilms,
    double SimulatedFalseAlarmRate,
    int MinimumFilms,
    IReadOnlyList<DriftSignalView> Signals);

public sealed record DriftSignalView(string Name, string Description, double Statistic, double ReferenceRate, double AlternativeRate);

/// <summary>The audit sample of one predicted class: its promise, the decided samples and the anytime-valid bounds.</summary>
public sealed record ClassAuditView(string PredictedClass, double Alpha, long Samples, long Errors, double? ErrorRate,
    double Lower, double Upper, double Confidence, bool Broken);

public sealed record AutomationEventView(long Id, string Actor, string? ActorKeyId, string Action, DateTimeOffset At, System.Text.Json.Nodes.JsonNode? Detail)
{
    public static AutomationEventView From(AutomationEvent e) =>
        new(e.Id, e.Actor, e.ActorKeyId, e.Action, e.At, System.Text.Json.Nodes.JsonNode.Parse(e.DetailJson));
}

public sealed record AutomationAdminView(AutomationStatusView Status, IReadOnlyList<AutomationEventView> Events);

/// <summary>Body of POST /admin/automation/resume.</summary>
public sealed record ResumeRequest(string? Reason);
