using System.Text.RegularExpressions;
using CxrQa.Server.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>
/// The /metrics names, types and label names that dashboards and alerts use, pinned before the hand-written exposition
/// was replaced by a library: a family may only appear under these names, with these types and labels, and the ones a
/// fresh server always reports must be there.
/// </summary>
public sealed partial class MetricNamesTests(OpenServerFixture fixture) : IClassFixture<OpenServerFixture>
{
    /// <summary>Every family the server may report: type, and the label names of its samples (without le).</summary>
    private static readonly Dictionary<string, (string Type, string[] Labels)> Known = new()
    {
        ["cxrqa_http_request_duration_seconds"] = ("histogram", ["route", "method", "code"]),
        ["cxrqa_answers_total"] = ("counter", ["status"]),
        ["cxrqa_answer_reasons_total"] = ("counter", ["reason"]),
        ["cxrqa_errors_total"] = ("counter", ["code"]),
        ["cxrqa_inference_batch_films"] = ("histogram", []),
        ["cxrqa_review_queue_depth"] = ("gauge", ["state"]),
        ["cxrqa_review_decisions_total"] = ("counter", ["label"]),
        ["cxrqa_audit_sample_agreement_ratio"] = ("gauge", []),
        ["cxrqa_automation_pauses_total"] = ("counter", ["cause"]),
        ["cxrqa_automation_paused"] = ("gauge", ["site", "cause"]),
        ["cxrqa_drift_films_observed"] = ("gauge", ["site"]),
        ["cxrqa_drift_statistic"] = ("gauge", ["site", "signal"]),
        ["cxrqa_drift_threshold"] = ("gauge", ["site", "false_alarm_rate", "horizon"]),
        ["cxrqa_audit_error_bound"] = ("gauge", ["class", "bound"]),
        ["cxrqa_audit_error_alpha"] = ("gauge", ["class"]),
        ["cxrqa_audit_samples"] = ("gauge", ["class"]),
        ["cxrqa_inference_queue_depth"] = ("gauge", []),
        ["cxrqa_model_info"] = ("gauge", ["name", "version"]),
        // Issue 14: results on their way to the PACS.
        ["cxrqa_pacs_outbox_depth"] = ("gauge", []),
        ["cxrqa_pacs_sent_total"] = ("counter", ["kind"]),
        ["cxrqa_pacs_send_failures_total"] = ("counter", ["category"]),
    };

    private static readonly string[] AlwaysReported =
    [
        "cxrqa_http_request_duration_seconds", "cxrqa_answers_total", "cxrqa_answer_reasons_total", "cxrqa_errors_total",
        "cxrqa_inference_batch_films", "cxrqa_review_queue_depth", "cxrqa_review_decisions_total", "cxrqa_automation_pauses_total",
        "cxrqa_automation_paused", "cxrqa_drift_films_observed", "cxrqa_inference_queue_depth", "cxrqa_model_info",
        "cxrqa_pacs_outbox_depth", "cxrqa_pacs_sent_total",
    ];

    [Fact]
    public async Task Metric_families_keep_their_names_types_and_labels()
    {
        var client = fixture.Server.Client;
        await client.PostAsync("/predict", Http.Raw(await File.ReadAllBytesAsync(Films.Pneumonia), "image/jpeg"));
        await client.PostAsync("/predict", Http.Raw([], "image/jpeg"));
        using var response = await client.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();

        var types = TypeLine().Matches(text).Where(m => m.Groups[1].Value.StartsWith("cxrqa_", StringComparison.Ordinal))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        foreach (var (name, type) in types)
        {
            Assert.True(Known.TryGetValue(name, out var known), $"unknown family {name}");
            Assert.Equal(known.Type, type);
        }
        Assert.All(AlwaysReported, name => Assert.True(types.ContainsKey(name), $"{name} missing from\n{text}"));

        foreach (Match sample in SampleLine().Matches(text))
        {
            var name = sample.Groups[1].Value;
            var family = Regex.Replace(name, "_(bucket|sum|count)$", "");
            if (!family.StartsWith("cxrqa_", StringComparison.Ordinal))
                continue;
            Assert.True(Known.ContainsKey(family), $"sample of an unknown family: {sample.Value}");
            var labels = LabelName().Matches(sample.Groups[2].Value).Select(l => l.Groups[1].Value).Where(l => l != "le").ToArray();
            Assert.Equal(Known[family].Labels, labels);
        }
        Assert.Matches(@"(?m)^cxrqa_answers_total\{status=""automated""\} \d+$", text);
        Assert.Matches(@"(?m)^cxrqa_answers_total\{status=""pending_review""\} \d+$", text);
        Assert.Matches(@"(?m)^cxrqa_automation_pauses_total\{cause=""drift""\} \d+$", text);
        Assert.Matches(@"(?m)^cxrqa_automation_pauses_total\{cause=""audit_breaker""\} \d+$", text);
        Assert.Matches(@"(?m)^cxrqa_errors_total\{code=""empty_file""\} [1-9]\d*$", text);
        Assert.Matches(@"(?m)^cxrqa_http_request_duration_seconds_bucket\{route=""/predict"",method=""POST"",code=""200"",le=""\+Inf""\} [1-9]\d*$", text);
        Assert.Matches(@"(?m)^cxrqa_inference_batch_films_count [1-9]\d*$", text);
        Assert.Matches(@"(?m)^cxrqa_inference_queue_depth 0$", text);
    }

    [GeneratedRegex(@"(?m)^# TYPE (\S+) (\S+)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"(?m)^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? \S+$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-z_]+)=""")]
    private static partial Regex LabelName();
}
