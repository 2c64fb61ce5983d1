using Prometheus;
using CxrQa.Storage;

namespace CxrQa.Server.Metrics;

/// <summary>
/// The series the server counts as things happen (requests, answers, refusals, batches, pauses), in a prometheus-net
/// registry of its own (no process-wide default registry: two servers in one process would share it). Labels are
/// bounded: route templates (not raw paths), answer statuses, reason and error codes. The names are the API
/// dashboards use (pinned by MetricNamesTests); <see cref="ScrapeMetrics"/> adds the series read at scrape time.
/// </summary>
public sealed class ServerMetrics
{
    private readonly Histogram _latency;
    private readonly Counter _answers;
    private readonly Counter _reasons;
    private readonly Counter _errors;
    private readonly Counter _pauses;
    private readonly Histogram _batchSize;
    private readonly Counter _pacsSent;
    private readonly Counter _pacsFailures;

    public ServerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _latency = Factory.CreateHistogram("cxrqa_http_request_duration_seconds", "Time to answer an HTTP request, by route template.",
            ["route", "method", "code"], new HistogramConfiguration { Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _answers = Factory.CreateCounter("cxrqa_answers_total", "Films answered, by routing status.", ["status"]);
        _reasons = Factory.CreateCounter("cxrqa_answer_reasons_total", "Reasons for routing a film to review.", ["reason"]);
        _errors = Factory.CreateCounter("cxrqa_errors_total", "Refused films and requests, by error code.", ["code"]);
        _batchSize = Factory.CreateHistogram("cxrqa_inference_batch_films", "Films per network run (concurrent requests are batched).",
            new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32] });
        _pauses = Factory.CreateCounter("cxrqa_automation_pauses_total", "Pauses of automation raised by this replica, by cause.", ["cause"]);
        _pacsSent = Factory.CreateCounter("cxrqa_pacs_sent_total", "Result objects this replica stored in the PACS, by kind.", ["kind"]);
        _pacsFailures = Factory.CreateCounter("cxrqa_pacs_send_failures_total", "Failed attempts to store results in the PACS, by category.", ["category"]);
        // Reported at 0 before the first one, so that a rate() has a start.
        foreach (var status in new[] { "automated", "pending_review" })
            _answers.WithLabels(status);
        foreach (var cause in new[] { "drift", "audit_breaker" })
            _pauses.WithLabels(cause);
        foreach (var kind in PacsObjectKinds.All)
            _pacsSent.WithLabels(kind);
    }

    /// <summary>The registry /metrics exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates further series in <see cref="Registry"/>.</summary>
    public IMetricFactory Factory { get; }

    public void ObserveRequest(string route, string method, int statusCode, double seconds) =>
        _latency.WithLabels(route, method, statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Observe(seconds);

    public void CountAnswer(string status, IEnumerable<string> reasons)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        _answers.WithLabels(status).Inc();
        foreach (var reason in reasons)
            _reasons.WithLabels(reason).Inc();
    }

    public void CountError(string code) => _errors.WithLabels(code).Inc();

    public void ObserveBatch(int films) => _batchSize.Observe(films);

    /// <summary>A pause this replica raised (the shared state says whether automation is paused now).</summary>
    public void CountPause(string cause) => _pauses.WithLabels(cause).Inc();

    /// <summary>An outbox row this replica stored in the PACS, by object kind.</summary>
    public void CountPacsSent(string kind) => _pacsSent.WithLabels(kind).Inc();

    /// <summary>A failed attempt to store an outbox row in the PACS, by category (unreachable, timeout, http_4xx,
    /// http_5xx, rejected, build_failed).</summary>
    public void CountPacsFailure(string category) => _pacsFailures.WithLabels(category).Inc();
}
