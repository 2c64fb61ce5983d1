using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CxrQa.Admin.Automation;
using CxrQa.Storage;

namespace CxrQa.Server.Metrics;

/// <summary>
/// Counters and the latency histogram, written as Prometheus text (format 0.0.4) by hand: a few series do not need a
/// client library. Labels are bounded: route templates (not raw paths), answer statuses, reason and error codes.
/// </summary>
public sealed class ServerMetrics
{
    private static readonly IReadOnlyList<double> LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly ConcurrentDictionary<(string Route, string Method, int Code), Histogram> _latency = new();
    private readonly ConcurrentDictionary<string, long> _answers = new();
    private readonly ConcurrentDictionary<string, long> _reasons = new();
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private readonly ConcurrentDictionary<string, long> _pauses = new();
    private readonly ConcurrentDictionary<string, long> _pacsSent = new();
    private readonly ConcurrentDictionary<string, long> _pacsFailures = new();
    private readonly Histogram _batchSize = new([1, 2, 4, 8, 16, 32]);

    public void ObserveRequest(string route, string method, int statusCode, double seconds) =>
        _latency.GetOrAdd((route, method, statusCode), _ => new Histogram(LatencyBuckets)).Observe(seconds);

    public void CountAnswer(string status, IEnumerable<string> reasons)
    {
        _answers.AddOrUpdate(status, 1, (_, n) => n + 1);
        foreach (var reason in reasons)
            _reasons.AddOrUpdate(reason, 1, (_, n) => n + 1);
    }

    public void CountError(string code) => _errors.AddOrUpdate(code, 1, (_, n) => n + 1);

    public void ObserveBatch(int films) => _batchSize.Observe(films);

    /// <summary>A pause this replica raised (the shared state says whether automation is paused now).</summary>
    public void CountPause(string cause) => _pauses.AddOrUpdate(cause, 1, (_, n) => n + 1);

    /// <summary>An outbox row this replica stored in the PACS, by object kind.</summary>
    public void CountPacsSent(string kind) => _pacsSent.AddOrUpdate(kind, 1, (_, n) => n + 1);

    /// <summary>A failed attempt to store an outbox row in the PACS, by category (unreachable, timeout, http_4xx,
    /// http_5xx, rejected, build_failed).</summary>
    public void CountPacsFailure(string category) => _pacsFailures.AddOrUpdate(category, 1, (_, n) => n + 1);

    /// <param name="reviews">Review counts read from the database at scrape time (every replica reports the shared
    /// queue); null when the database did not answer, and then the review series are left out.</param>
    /// <param name="automation">The site's automation state and monitors, read from the database at scrape; null when
    /// it did not answer.</param>
    public string Render(ReviewStats? reviews, int inferenceQueueDepth, string modelName, string modelVersion,
        AutomationStatusView? automation = null, long? pacsOutboxDepth = null)
    {
        var sb = new StringBuilder();
        sb.Append("# HELP cxrqa_http_request_duration_seconds Time to answer an HTTP request, by route template.\n");
        sb.Append("# TYPE cxrqa_http_request_duration_seconds histogram\n");
        foreach (var ((route, method, code), h) in _latency.OrderBy(e => e.Key.Route).ThenBy(e => e.Key.Method).ThenBy(e => e.Key.Code))
            h.Write(sb, "cxrqa_http_request_duration_seconds",
                $"route=\"{Escape(route)}\",method=\"{Escape(method)}\",code=\"{code.ToString(CultureInfo.InvariantCulture)}\"");

        Counter(sb, "cxrqa_answers_total", "Films answered, by routing status.", "status", _answers, ["automated", "pending_review"]);
        Counter(sb, "cxrqa_answer_reasons_total", "Reasons for routing a film to review.", "reason", _reasons, []);
        Counter(sb, "cxrqa_errors_total", "Refused films and requests, by error code.", "code", _errors, []);

        sb.Append("# HELP cxrqa_inference_batch_films Films per network run (concurrent requests are batched).\n");
        sb.Append("# TYPE cxrqa_inference_batch_films histogram\n");
        _batchSize.Write(sb, "cxrqa_inference_batch_films", "");

        if (reviews is not null)
            WriteReviews(sb, reviews);
        Counter(sb, "cxrqa_automation_pauses_total", "Pauses of automation raised by this replica, by cause.", "cause", _pauses, ["drift", "audit_breaker"]);
        if (automation is not null)
            AutomationMetrics.Write(sb, automation);
        if (pacsOutboxDepth is { } depth)
            Gauge(sb, "cxrqa_pacs_outbox_depth", "Results waiting in the outbox to be stored in the PACS (all replicas).", depth);
        Counter(sb, "cxrqa_pacs_sent_total", "Result objects this replica stored in the PACS, by kind.", "kind", _pacsSent, PacsObjectKinds.All.ToArray());
        Counter(sb, "cxrqa_pacs_send_failures_total", "Failed attempts to store results in the PACS, by category.", "category", _pacsFailures, []);
        Gauge(sb, "cxrqa_inference_queue_depth", "Requests waiting for the inference worker.", inferenceQueueDepth);
        sb.Append("# HELP cxrqa_model_info The model bundle being served.\n# TYPE cxrqa_model_info gauge\n");
        sb.Append("cxrqa_model_info{name=\"").Append(Escape(modelName)).Append("\",version=\"").Append(Escape(modelVersion)).Append("\"} 1\n");
        return sb.ToString();
    }

    private static void WriteReviews(StringBuilder sb, ReviewStats reviews)
    {
        sb.Append("# HELP cxrqa_review_queue_depth Reviews waiting for a decision, by state.\n# TYPE cxrqa_review_queue_depth gauge\n");
        sb.Append("cxrqa_review_queue_depth{state=\"pending\"} ").Append(reviews.Pending.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("cxrqa_review_queue_depth{state=\"claimed\"} ").Append(reviews.Claimed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("# HELP cxrqa_review_decisions_total Review decisions recorded, by label.\n# TYPE cxrqa_review_decisions_total counter\n");
        foreach (var label in ReviewLabels.All.Union(reviews.DecisionsByLabel.Keys).Order(StringComparer.Ordinal))
            sb.Append("cxrqa_review_decisions_total{label=\"").Append(Escape(label)).Append("\"} ")
              .Append(reviews.DecisionsByLabel.GetValueOrDefault(label).ToString(CultureInfo.InvariantCulture)).Append('\n');
        var sampled = reviews.AuditSampleAgreements + reviews.AuditSampleDisagreements;
        if (sampled > 0)
        {
            var ratio = (double)reviews.AuditSampleAgreements / sampled;
            sb.Append("# HELP cxrqa_audit_sample_agreement_ratio Share of sampled automated answers the reviewer agreed with (Unreadable excluded).\n");
            sb.Append("# TYPE cxrqa_audit_sample_agreement_ratio gauge\n");
            sb.Append("cxrqa_audit_sample_agreement_ratio ").Append(ratio.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void Counter(StringBuilder sb, string name, string help, string label, ConcurrentDictionary<string, long> values, string[] always)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(" counter\n");
        foreach (var key in always.Union(values.Keys).Order(StringComparer.Ordinal))
            sb.Append(name).Append('{').Append(label).Append("=\"").Append(Escape(key)).Append("\"} ")
              .Append(values.GetValueOrDefault(key).ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Gauge(StringBuilder sb, string name, string help, long value) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" gauge\n")
          .Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private sealed class Histogram(IReadOnlyList<double> bounds)
    {
        private readonly long[] _counts = new long[bounds.Count + 1];
        private readonly Lock _lock = new();
        private double _sum;

        public void Observe(double value)
        {
            lock (_lock)
            {
                var i = 0;
                while (i < bounds.Count && value > bounds[i])
                    i++;
                _counts[i]++;
                _sum += value;
            }
        }

        public void Write(StringBuilder sb, string name, string labels)
        {
            long[] counts;
            double sum;
            lock (_lock)
            {
                counts = (long[])_counts.Clone();
                sum = _sum;
            }
            var prefix = labels.Length == 0 ? "" : labels + ",";
            long cumulative = 0;
            for (var i = 0; i < bounds.Count; i++)
            {
                cumulative += counts[i];
                sb.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(bounds[i].ToString(CultureInfo.InvariantCulture))
                  .Append("\"} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            cumulative += counts[^1];
            var braces = labels.Length == 0 ? "" : "{" + labels + "}";
            sb.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append(name).Append("_sum").Append(braces).Append(' ').Append(sum.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            sb.Append(name).Append("_count").Append(braces).Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
