using CxrQa.Admin.Automation;
using CxrQa.Core.Pipeline;
using CxrQa.Server.Inference;
using CxrQa.Storage;
using Prometheus;
using CxrQa.Domain;

namespace CxrQa.Server.Metrics;

/// <summary>
/// The series read when /metrics is scraped: the shared review queue and decisions and the site's automation state
/// and monitors (from the database, so every replica reports the same), the inference queue's depth and the model.
/// A part that cannot be read (database down) is left out of that scrape rather than reported stale. Labels are
/// bounded (signal names come from the bundle's reference, classes are two).
/// </summary>
public sealed class ScrapeMetrics
{
    private readonly IReviewStore _reviews;
    private readonly AutomationMonitor _monitor;
    private readonly Gauge _reviewDepth;
    private readonly Counter _decisions;
    private readonly Gauge _agreement;
    private readonly Gauge _paused;
    private readonly Gauge _filmsObserved;
    private readonly Gauge _driftStatistic;
    private readonly Gauge _driftThreshold;
    private readonly Gauge _auditBound;
    private readonly Gauge _auditAlpha;
    private readonly Gauge _auditSamples;
    private readonly IPacsOutboxStore _outbox;
    private readonly Gauge _outboxDepth;

    public ScrapeMetrics(ServerMetrics metrics, IReviewStore reviews, AutomationMonitor monitor, InferenceQueue queue, ScreeningService screening,
        IPacsOutboxStore outbox)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(screening);
        _reviews = reviews;
        _monitor = monitor;
        _outbox = outbox;
        var f = metrics.Factory;
        var later = new GaugeConfiguration { SuppressInitialValue = true };
        _reviewDepth = f.CreateGauge("cxrqa_review_queue_depth", "Reviews waiting for a decision, by state.", ["state"]);
        _decisions = f.CreateCounter("cxrqa_review_decisions_total", "Review decisions recorded, by label.", ["label"]);
        _agreement = f.CreateGauge("cxrqa_audit_sample_agreement_ratio",
            "Share of sampled automated answers the reviewer agreed with (Unreadable excluded).", later);
        _paused = f.CreateGauge("cxrqa_automation_paused", "1 while automated answers are paused at this site (every film goes to review).", ["site", "cause"]);
        _filmsObserved = f.CreateGauge("cxrqa_drift_films_observed", "Films in the drift monitor's stream since its last reset.", ["site"]);
        _driftStatistic = f.CreateGauge("cxrqa_drift_statistic",
            "CUSUM statistic of each drift signal; automation pauses when one reaches cxrqa_drift_threshold.", ["site", "signal"]);
        _driftThreshold = f.CreateGauge("cxrqa_drift_threshold",
            "Alarm level of the drift CUSUMs, set for the stated false-alarm rate over the stated horizon.", ["site", "false_alarm_rate", "horizon"]);
        _auditBound = f.CreateGauge("cxrqa_audit_error_bound",
            "Anytime-valid bounds on the automated error rate per predicted class, from the decided audit sample.", ["class", "bound"]);
        _auditAlpha = f.CreateGauge("cxrqa_audit_error_alpha",
            "The promised automated error rate per predicted class (the breaker opens when the lower bound passes it).", ["class"]);
        _auditSamples = f.CreateGauge("cxrqa_audit_samples", "Decided audit samples per predicted class (Unreadable excluded).", ["class"]);
        _outboxDepth = f.CreateGauge("cxrqa_pacs_outbox_depth", "Results waiting in the outbox to be stored in the PACS (all replicas).", later);
        var depth = f.CreateGauge("cxrqa_inference_queue_depth", "Requests waiting for the inference worker.");
        f.CreateGauge("cxrqa_model_info", "The model bundle being served.", ["name", "version"])
            .WithLabels(screening.Model.Name, screening.Model.Version).Set(1);
        metrics.Registry.AddBeforeCollectCallback(async ct =>
        {
            depth.Set(queue.Depth);
            await ReadReviewsAsync(ct);
            await ReadAutomationAsync(ct);
            await ReadOutboxAsync(ct);
        });
    }

    private async Task ReadReviewsAsync(CancellationToken ct)
    {
        ReviewStats stats;
        try
        {
            stats = await _reviews.StatsAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Clear(_reviewDepth, _decisions);
            _agreement.Unpublish();
            return;
        }
        _reviewDepth.WithLabels("pending").Set(stats.Pending);
        _reviewDepth.WithLabels("claimed").Set(stats.Claimed);
        foreach (var label in ReviewLabels.All.Union(stats.DecisionsByLabel.Keys))
            _decisions.WithLabels(label).IncTo(stats.DecisionsByLabel.GetValueOrDefault(label));
        var sampled = stats.AuditSampleAgreements + stats.AuditSampleDisagreements;
        if (sampled > 0)
        {
            _agreement.Set((double)stats.AuditSampleAgreements / sampled);
            _agreement.Publish();
        }
        else
        {
            _agreement.Unpublish();
        }
    }

    private async Task ReadOutboxAsync(CancellationToken ct)
    {
        try
        {
            _outboxDepth.Set(await _outbox.PendingCountAsync(ct));
            _outboxDepth.Publish();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _outboxDepth.Unpublish();
        }
    }

    private async Task ReadAutomationAsync(CancellationToken ct)
    {
        // The state's labels (cause, signals, classes) change between scrapes: the series are rebuilt each time.
        Clear(_paused, _filmsObserved, _driftStatistic, _driftThreshold, _auditBound, _auditAlpha, _auditSamples);
        AutomationStatusView a;
        try
        {
            a = await _monitor.StatusAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return;
        }
        _paused.WithLabels(a.Site, a.Cause ?? "none").Set(a.Paused ? 1 : 0);
        _filmsObserved.WithLabels(a.Site).Set(a.FilmsObserved);
        if (a.Drift is { } d)
        {
            foreach (var s in d.Signals)
                _driftStatistic.WithLabels(a.Site, s.Name).Set(s.Statistic);
            _driftThreshold.WithLabels(a.Site, d.FalseAlarmRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                d.HorizonFilms.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(d.Threshold);
        }
        foreach (var c in a.Audit)
        {
            _auditBound.WithLabels(c.PredictedClass, "lower").Set(c.Lower);
            _auditBound.WithLabels(c.PredictedClass, "upper").Set(c.Upper);
            _auditAlpha.WithLabels(c.PredictedClass).Set(c.Alpha);
            _auditSamples.WithLabels(c.PredictedClass).Set(c.Samples);
        }
    }

    private static void Clear(params Collector<Gauge.Child>[] gauges)
    {
        foreach (var g in gauges)
            foreach (var labels in g.GetAllLabelValues().ToList())
                g.RemoveLabelled(labels);
    }

    private static void Clear(Collector<Gauge.Child> gauge, Collector<Counter.Child> counter)
    {
        Clear(gauge);
        foreach (var labels in counter.GetAllLabelValues().ToList())
            counter.RemoveLabelled(labels);
    }
}
