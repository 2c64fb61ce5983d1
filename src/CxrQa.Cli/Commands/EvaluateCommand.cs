using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CxrQa.Cli.Output;
using CxrQa.Cli.Reports;
using CxrQa.Core.Data;
using CxrQa.Core.Errors;
using CxrQa.Core.Evaluation;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Routing;
using CxrQa.Core.Trust;

namespace CxrQa.Cli.Commands;

/// <summary>Screens a labelled folder (NORMAL/, PNEUMONIA/) through the serving path and reports how it did.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder holding NORMAL/ and PNEUMONIA/.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for metrics.json, plots and predictions.csv.", Required = true };
        var model = CommonOptions.Model();
        var threshold = new Option<double?>("--threshold") { Description = "Pin the seed's fixed confidence rule for routing." };
        var batchSize = CommonOptions.BatchSize();
        var command = new Command("evaluate", "Measure a model on labelled films: metrics.json, ROC and reliability plots.")
        {
            data, output, model, threshold, batchSize,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(data)!, parse.GetValue(output)!, parse.GetValue(model),
            parse.GetValue(threshold), parse.GetValue(batchSize), ct));
        return command;
    }

    private static async Task<int> RunAsync(string dataDir, string outDir, string? modelDir, double? threshold, int batchSize,
        CancellationToken ct)
    {
        var err = StandardStreams.CreateErrorConsole();
        var options = new ScreeningOptions { Routing = new RoutingOverrides { FixedConfidenceThreshold = threshold } };
        ScreeningService service;
        LabelledDataset dataset;
        try
        {
            (service, _) = ScreeningServiceFactory.Create(modelDir, options);
            dataset = await LabelledFolderDataset.Scan(dataDir, ct);
        }
        catch (CxrQaException e)
        {
            StandardStreams.Error(err, e.Message);
            return ExitCodes.Setup;
        }
        if (dataset.Count == 0 || dataset.CountOf(BinaryLabel.Normal) == 0 || dataset.CountOf(BinaryLabel.Pneumonia) == 0)
        {
            StandardStreams.Error(err, $"'{dataDir}' needs films in both NORMAL/ and PNEUMONIA/");
            return ExitCodes.Setup;
        }
        StandardStreams.Info(err, $"{dataset.Count} films ({dataset.CountOf(BinaryLabel.Normal)} normal, {dataset.CountOf(BinaryLabel.Pneumonia)} pneumonia), " +
                      $"{dataset.Deduplication.DuplicatesDropped} duplicate(s) dropped");

        var files = dataset.Images.Select(i => new FilmFile(i.RelativePath, i.Path, false)).ToList();
        var rows = new List<EvaluatedFilm>(files.Count);
        var failures = new List<(string File, ScreeningError Error)>();
        var index = 0;
        await StandardStreams.WithProgressAsync(err, "evaluating", files.Count, async advance =>
        {
            await foreach (var screened in new FileScreening(service, options).ScreenAsync(files, batchSize, ct))
            {
                var label = dataset.Images[index++].Label;
                if (screened.Outcome.Result is { } r)
                    rows.Add(new EvaluatedFilm(screened.File.DisplayPath, label, r));
                else
                    failures.Add((screened.File.DisplayPath, screened.Outcome.Error!));
                advance();
            }
        });

        Directory.CreateDirectory(outDir);
        var probabilities = rows.Select(r => r.Result.PneumoniaProbability).ToArray();
        var labels = rows.Select(r => r.Label).ToArray();
        var metrics = BinaryMetrics.Compute(probabilities, labels);
        PlotWriter.Roc(Path.Combine(outDir, "roc.png"), RocCurve.Compute(probabilities, labels), $"ROC ({service.Model.Name})");
        PlotWriter.Reliability(Path.Combine(outDir, "reliability.png"), ReliabilityBins.Compute(probabilities, labels),
            $"Reliability ({service.Model.Name})");
        await File.WriteAllTextAsync(Path.Combine(outDir, "predictions.csv"), PredictionsCsv(rows), ct);
        await File.WriteAllTextAsync(Path.Combine(outDir, "metrics.json"), MetricsJson(metrics, rows, failures, dataset, service), ct);

        StandardStreams.Info(err, $"AUC {metrics.Auc:0.0000}  accuracy {metrics.Accuracy:P1}  sensitivity {metrics.Sensitivity:P1}  " +
                      $"specificity {metrics.Specificity:P1}  ECE {metrics.Ece:0.000}  -> {Path.GetFullPath(outDir)}");
        foreach (var (file, error) in failures)
            StandardStreams.Warning(err, $"{file}: {error.Code}: {error.Message}");
        return failures.Count > 0 ? ExitCodes.SomeInputsFailed : ExitCodes.Ok;
    }

    private sealed record EvaluatedFilm(string File, int Label, ScreeningResult Result)
    {
        public bool Correct => (Result.Prediction == "Pneumonia") == (Label == BinaryLabel.Pneumonia);
    }

    private static string MetricsJson(BinaryMetrics metrics, List<EvaluatedFilm> rows, List<(string File, ScreeningError Error)> failures,
        LabelledDataset dataset, ScreeningService service)
    {
        var json = JsonSerializer.SerializeToNode(metrics, MetricsJsonWriter.Options)!.AsObject();
        var automated = rows.Where(r => r.Result.Decision.Status == CaseStatus.Automated).ToList();
        json["routing"] = new JsonObject
        {
            ["automated"] = automated.Count,
            ["pending_review"] = rows.Count - automated.Count,
            ["coverage"] = rows.Count == 0 ? 0 : (double)automated.Count / rows.Count,
            ["automated_accuracy"] = automated.Count == 0 ? double.NaN : (double)automated.Count(r => r.Correct) / automated.Count,
            ["automated_errors"] = automated.Count(r => !r.Correct),
        };
        json["failed"] = failures.Count;
        json["model"] = new JsonObject { ["name"] = service.Model.Name, ["version"] = service.Model.Version };
        json["data"] = new JsonObject
        {
            ["folder"] = Path.GetFullPath(dataset.Root),
            ["manifest_sha256"] = dataset.ManifestSha256,
            ["duplicates_dropped"] = dataset.Deduplication.DuplicatesDropped,
        };
        return json.ToJsonString(MetricsJsonWriter.Options);
    }

    private static string PredictionsCsv(IEnumerable<EvaluatedFilm> rows)
    {
        var csv = new StringBuilder("file,label,prediction,pneumonia_probability,confidence,status,reasons\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture,
                $"\"{r.File.Replace("\"", "\"\"")}\",{(r.Label == BinaryLabel.Pneumonia ? "Pneumonia" : "Normal")},{r.Result.Prediction}," +
                $"{r.Result.PneumoniaProbability:0.######},{r.Result.Confidence:0.######},{r.Result.Decision.StatusText}," +
                $"{string.Join(';', r.Result.Decision.Reasons)}\n");
        return csv.ToString();
    }
}
