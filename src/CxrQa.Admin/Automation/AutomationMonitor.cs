using System.Text.Json;
using System.Text.Json.Nodes;
using CxrQa.Core.Model;
using CxrQa.Core.Monitoring;
using CxrQa.Core.Pipeline;
using CxrQa.Storage;
using CxrQa.Domain;

namespace CxrQa.Admin.Automation;

/// <summary>What a host hears from the monitor: the server logs and counts, the CLI warns on stderr.</summary>
public interface IAutomationListener
{
    void DriftReady(string site, DriftCalibration calibration);
    void Paused(string site, string cause, string detail);
    void Resumed(string site, string actor);
    void StartedOver(string site, string previousReference, string reference);
}

public enum ResumeOutcome
{
    Resumed,
    InvalidReason,
    NotPaused,
    AuditBoundExceeded,
}

/// <summary>A resume's outcome, with the words for a refusal.</summary>
public sealed record ResumeResult(ResumeOutcome Outcome, string Message);

/// <summary>
/// Watches the site's stream and its audit sample, and holds the automation switch. The maths is Core's
/// (<see cref="DriftMonitor"/>, <see cref="AuditBreaker"/>); the state is the store's, one row per site, so it survives
/// restarts and replicas on PostgreSQL share it. The monitor itself keeps nothing mutable: every decision reads the row.
/// The server (CaseService) and the CLI (predict --data-dir) both screen through it: one service, one pause rule.
/// </summary>
public sealed class AutomationMonitor
{
    public const string SystemActor = "monitor";
    public const string RecertificationActor = "recertification";

    private readonly IAutomationStore _store;
    private readonly AutomationOptions _options;
    private readonly IAutomationListener _listener;
    private readonly TimeProvider _clock;
    private readonly DriftMonitor? _drift;
    private readonly DriftCalibration? _calibration;
    private readonly IReadOnlyDictionary<string, double> _alphas;
    private readonly ModelIdentity _model;

    public AutomationMonitor(ModelBundle bundle, ScreeningService screening, IAutomationStore store, AutomationOptions options,
        IAutomationListener listener, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(screening);
        _store = store;
        _options = options;
        _listener = listener;
        _clock = clock;
        _model = screening.Model;
        Reference = $"{_model.Name}@{_model.Version}";
        if (options.DriftMonitor && CalibrationReference.ForBundle(bundle) is { } reference)
        {
            // Seeded simulation: the same bundle and options always give the same threshold, so it is kept between starts.
            _calibration = options.CacheDirectory is { Length: > 0 } cache
                ? new DriftCalibrationCache(cache).GetOrCalibrate(reference, options.Drift)
                : DriftThresholdSimulation.Calibrate(reference, options.Drift);
            _drift = new DriftMonitor(DriftSignals.Build(reference, options.Drift), _calibration.Threshold, options.Drift.MinimumFilms);
        }
        var risk = screening.Trust.RiskControl;
        _alphas = new Dictionary<string, double>
        {
            ["Normal"] = risk?.Normal.Alpha ?? options.FallbackAlpha,
            ["Pneumonia"] = risk?.Pneumonia.Alpha ?? options.FallbackAlpha,
        };
    }

    public string Site => _options.Site;

    /// <summary>The reference the statistics are measured against: the bundle served (a recertified bundle is a new one).</summary>
    public string Reference { get; }

    public DriftCalibration? DriftCalibration => _calibration;

    /// <summary>At start-up: a stored state measured against another bundle is started over (a new or recertified bundle
    /// lifts a pause: that is how a recertification resumes automation).</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var before = await _store.GetAsync(Site, ct);
        if (before is not null && before.ReferenceId != Reference)
        {
            await _store.UpdateAsync(Site, Reference, _clock.GetUtcNow(), current => current.ReferenceId == Reference
                ? new AutomationChange(current, null)
                : new AutomationChange(AutomationRecord.Fresh(Site, Reference, _clock.GetUtcNow()), new AutomationEventDraft(
                    RecertificationActor, current.Paused ? AutomationActions.Resumed : AutomationActions.Reset,
                    Detail(("previous_reference", current.ReferenceId), ("reference", Reference), ("was_paused", current.Paused),
                        ("previous_cause", current.PauseCause)))), ct);
            _listener.StartedOver(Site, before.ReferenceId, Reference);
        }
        if (_calibration is { } c)
            _listener.DriftReady(Site, c);
    }

    /// <summary>For a host that screens for a site it does not own (the CLI): false, and nothing changes, when the site
    /// is monitored against another bundle; a CLI run must not start a server's site over.</summary>
    public async Task<bool> AttachAsync(CancellationToken ct)
    {
        var current = await _store.GetAsync(Site, ct);
        return current is null || current.ReferenceId == Reference;
    }

    /// <summary>The one place a site's pause changes an answer, for the server and the CLI alike: the film joins the
    /// stream, then, if automation is paused, an answer that would have been automated goes to review
    /// (<see cref="AutomationPause"/>).</summary>
    public async Task<ScreeningResult> ApplyAsync(ScreeningResult result, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(result);
        var paused = await ObserveAsync(result, ct);
        return result with { Decision = AutomationPause.Apply(result.Decision, paused) };
    }

    /// <summary>Adds an answered film to the stream and returns whether automation is paused for it (an alarm raised by
    /// this very film pauses it too).</summary>
    public async Task<bool> ObserveAsync(ScreeningResult result, CancellationToken ct)
    {
        if (_drift is null)
            return (await _store.GetAsync(Site, ct))?.Paused ?? false;
        var observation = FilmObservation.From(result.PneumoniaProbability, result.OodScore,
            result.Signals.FeatureShift, result.Signals.EnsembleSpread);
        var pausedNow = false;
        var record = await _store.UpdateAsync(Site, Reference, _clock.GetUtcNow(), current =>
        {
            var state = new DriftState(current.Films, Statistics(current));
            var (next, alarm) = _drift.Observe(state, observation);
            var updated = current with { Films = next.Films, StatisticsJson = JsonSerializer.Serialize(next.Statistics) };
            if (alarm is null || current.Paused)
                return new AutomationChange(updated, null);
            pausedNow = true;
            var detail = $"drift: {alarm.Signal.Description} rose (CUSUM {alarm.Statistic:F1} reached the alarm level {alarm.Threshold:F1} after {alarm.Films} films)";
            return new AutomationChange(
                updated with { Paused = true, PausedAt = _clock.GetUtcNow(), PauseCause = PauseCauses.Drift, PauseDetail = detail },
                new AutomationEventDraft(SystemActor, AutomationActions.Paused, Detail(("cause", PauseCauses.Drift), ("detail", detail),
                    ("signal", alarm.Signal.Name), ("statistic", alarm.Statistic), ("threshold", alarm.Threshold), ("films", alarm.Films),
                    ("case_id", result.CaseId))));
        }, ct);
        if (pausedNow)
            _listener.Paused(Site, PauseCauses.Drift, record.PauseDetail ?? "");
        return record.Paused;
    }

    /// <summary>After a review decision: opens the breaker when the audit sample shows a class above its promise.</summary>
    public async Task CheckAuditAsync(CancellationToken ct)
    {
        if (!_options.AuditBreaker)
            return;
        if (AuditBreaker.Tripped(await AuditAsync(ct)) is not { } broken)
            return;
        var detail = $"audit sample: automated {broken.PredictedClass} answers are wrong more often than the promised {broken.Alpha:P1} " +
            $"({broken.Bounds.Errors} of {broken.Bounds.Samples} wrong; at least {broken.Bounds.Lower:P1} with {1 - ClassDelta:P1} confidence at any time)";
        var pausedNow = false;
        var record = await _store.UpdateAsync(Site, Reference, _clock.GetUtcNow(), current =>
        {
            if (current.Paused)
                return new AutomationChange(current, null);
            pausedNow = true;
            return new AutomationChange(
                current with { Paused = true, PausedAt = _clock.GetUtcNow(), PauseCause = PauseCauses.AuditBreaker, PauseDetail = detail },
                new AutomationEventDraft(SystemActor, AutomationActions.Paused, Detail(("cause", PauseCauses.AuditBreaker), ("detail", detail),
                    ("predicted_class", broken.PredictedClass), ("errors", broken.Bounds.Errors), ("samples", broken.Bounds.Samples),
                    ("lower", broken.Bounds.Lower), ("alpha", broken.Alpha))));
        }, ct);
        if (pausedNow)
            _listener.Paused(Site, PauseCauses.AuditBreaker, record.PauseDetail ?? "");
    }

    /// <summary>An admin's resume: the drift statistics start over. Refused while the audit sample still shows a class
    /// above its promise (that needs a recertified bundle, not a click).</summary>
    public async Task<ResumeResult> ResumeAsync(Actor actor, string? reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 2000)
            return new ResumeResult(ResumeOutcome.InvalidReason, "a reason (1 to 2000 characters) is required to resume automation");
        if (_options.AuditBreaker && AuditBreaker.Tripped(await AuditAsync(ct)) is { } broken)
            return new ResumeResult(ResumeOutcome.AuditBoundExceeded,
                $"the audit sample shows automated {broken.PredictedClass} answers above the promised {broken.Alpha:P1} " +
                $"(at least {broken.Bounds.Lower:P1}): recertify the model at this site (cxrqa recalibrate) instead");
        var wasPaused = false;
        await _store.UpdateAsync(Site, Reference, _clock.GetUtcNow(), current =>
        {
            wasPaused = current.Paused;
            return !current.Paused
                ? new AutomationChange(current, null)
                : new AutomationChange(AutomationRecord.Fresh(Site, Reference, _clock.GetUtcNow()), new AutomationEventDraft(actor.Name,
                    AutomationActions.Resumed, Detail(("reason", reason), ("cause", current.PauseCause), ("detail", current.PauseDetail),
                        ("films", current.Films)), actor.KeyId));
        }, ct);
        if (!wasPaused)
            return new ResumeResult(ResumeOutcome.NotPaused, "automation is not paused");
        _listener.Resumed(Site, actor.Name);
        return new ResumeResult(ResumeOutcome.Resumed, "automation resumed");
    }

    public async Task<AutomationStatusView> StatusAsync(CancellationToken ct)
    {
        var record = await _store.GetAsync(Site, ct);
        var current = record is not null && record.ReferenceId == Reference ? record : AutomationRecord.Fresh(Site, Reference, _clock.GetUtcNow());
        var statistics = Statistics(current);
        var drift = _drift is null || _calibration is null ? null : new DriftView(_drift.Threshold, _calibration.TargetFalseAlarmRate,
            _calibration.Horizon, _calibration.SimulatedFalseAlarmRate, _drift.MinimumFilms,
            _drift.Signals.Select(s => new DriftSignalView(s.Name, s.Description, statistics.GetValueOrDefault(s.Name), s.ReferenceRate, s.AlternativeRate)).ToList());
        var audit = (await AuditAsync(ct)).Select(a => new ClassAuditView(a.PredictedClass, a.Alpha, a.Bounds.Samples, a.Bounds.Errors,
            a.Bounds.Rate, a.Bounds.Lower, a.Bounds.Upper, 1 - ClassDelta, a.Broken)).ToList();
        return new AutomationStatusView(Site, current.Paused, current.PauseCause, current.PauseDetail, current.PausedAt, Reference,
            current.Films, drift, audit);
    }

    public async Task<AutomationAdminView> AdminViewAsync(CancellationToken ct) =>
        new(await StatusAsync(ct), (await _store.EventsAsync(Site, 50, ct)).Select(AutomationEventView.From).ToList());

    private async Task<IReadOnlyList<ClassAudit>> AuditAsync(CancellationToken ct)
    {
        var counts = (await _store.AuditSampleCountsAsync(_model.Name, _model.Version, ct)).ToDictionary(c => c.Prediction);
        return AuditBreaker.Evaluate(_alphas.Select(a =>
        {
            var c = counts.GetValueOrDefault(a.Key);
            return (a.Key, a.Value, c?.Errors ?? 0, c?.Samples ?? 0);
        }), ClassDelta);
    }

    /// <summary>Each class's sequence runs at delta / classes, so a false trip of either, ever, has probability at most delta.</summary>
    private double ClassDelta => _options.AuditDelta / _alphas.Count;

    private static Dictionary<string, double> Statistics(AutomationRecord record) =>
        JsonSerializer.Deserialize<Dictionary<string, double>>(record.StatisticsJson) ?? [];

    private static string Detail(params (string Key, object? Value)[] fields)
    {
        var o = new JsonObject();
        foreach (var (key, value) in fields)
            o[key] = value is null ? null : JsonSerializer.SerializeToNode(value);
        return o.ToJsonString();
    }
}
