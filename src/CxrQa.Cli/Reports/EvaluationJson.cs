using System.Text.Json;
using System.Text.Json.Nodes;
using CxrQa.Core.Evaluation;
using CxrQa.Core.Explain;

namespace CxrQa.Cli.Reports;

/// <summary>
/// metrics.json of <c>evaluate</c>: the <see cref="BinaryMetrics"/> fields, routing, failed, model and data as before,
/// plus the report's numbers (intervals, average precision, selective classification, realised routing, deletion test).
/// </summary>
public static class EvaluationJson
{
    public static string Build(ReportContext context, EvaluationSummary summary, DeletionTestResult? deletion)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(summary);
        var json = JsonSerializer.SerializeToNode(summary.Metrics, MetricsJsonWriter.Options)!.AsObject();
        var realised = summary.Realised;
        json["routing"] = new JsonObject
        {
            ["automated"] = realised.Automated,
            ["pending_review"] = realised.Total - realised.Automated,
            ["coverage"] = realised.Total == 0 ? 0 : realised.Coverage,
            ["automated_accuracy"] = realised.Automated == 0 ? double.NaN : 1 - realised.Overall.Rate,
            ["automated_errors"] = realised.Overall.Errors,
            ["reasons"] = new JsonObject(summary.Routing.Reasons.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))),
            ["realised"] = new JsonObject
            {
                ["normal"] = ClassRisk(realised.Normal),
                ["pneumonia"] = ClassRisk(realised.Pneumonia),
                ["overall"] = Rate(realised.Overall),
            },
        };
        json["failed"] = context.Failed;
        json["model"] = new JsonObject { ["name"] = context.ModelName, ["version"] = context.ModelVersion, ["policy"] = context.PolicyMode };
        json["data"] = new JsonObject
        {
            ["folder"] = context.DataFolder,
            ["manifest_sha256"] = context.ManifestSha256,
            ["duplicates_dropped"] = context.DuplicatesDropped,
        };
        json["average_precision"] = summary.PrecisionRecall.AveragePrecision;
        json["intervals"] = new JsonObject(summary.Intervals.Select(i => new KeyValuePair<string, JsonNode?>(i.Name, new JsonObject
        {
            ["estimate"] = i.Interval.Estimate,
            ["lower"] = i.Interval.Lower,
            ["upper"] = i.Interval.Upper,
            ["level"] = i.Interval.Level,
            ["resamples"] = i.Interval.Resamples,
        })));
        var curve = summary.Selective.Curve;
        json["selective"] = new JsonObject
        {
            ["aurc"] = curve.Aurc,
            ["optimal_aurc"] = curve.OptimalAurc,
            ["e_aurc"] = curve.ExcessAurc,
            ["accuracy_at_coverage"] = new JsonArray(summary.Selective.AccuracyAtCoverage
                .Select(a => (JsonNode)new JsonObject { ["coverage"] = a.Coverage, ["answered"] = a.Answered, ["accuracy"] = a.Accuracy }).ToArray()),
        };
        if (deletion is not null)
            json["faithfulness"] = new JsonObject
            {
                ["films"] = deletion.Films,
                ["skipped_empty_map"] = deletion.SkippedEmptyMap,
                ["mean_base_logit"] = deletion.MeanBaseLogit,
                ["block_side"] = deletion.Options.BlockSide,
                ["random_repeats"] = deletion.Options.RandomRepeats,
                ["levels"] = new JsonArray(deletion.Levels.Select(l => (JsonNode)new JsonObject
                {
                    ["fraction"] = l.Fraction,
                    ["guided_drop"] = l.GuidedDrop,
                    ["guided_stderr"] = l.GuidedStdErr,
                    ["random_drop"] = l.RandomDrop,
                    ["random_stderr"] = l.RandomStdErr,
                    ["guided_wins"] = l.GuidedWins,
                }).ToArray()),
            };
        return json.ToJsonString(MetricsJsonWriter.Options);
    }

    private static JsonObject ClassRisk(RealisedClassRisk r)
    {
        var o = Rate(r.AutomatedError);
        o["alpha"] = r.Alpha;
        o["predicted"] = r.PredictedCases;
        return o;
    }

    private static JsonObject Rate(BinomialRate r) => new()
    {
        ["automated"] = r.N,
        ["errors"] = r.Errors,
        ["error_rate"] = r.Rate,
        ["ci_lower"] = r.Lower,
        ["ci_upper"] = r.Upper,
        ["level"] = r.Level,
    };
}
