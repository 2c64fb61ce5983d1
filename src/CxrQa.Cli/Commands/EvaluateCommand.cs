using System.CommandLine;
using System.Globalization;
using System.Text;
using CxrQa.Cli.Output;
using CxrQa.Cli.Reports;
using CxrQa.Core.Data;
using CxrQa.Core.Dicom;
using CxrQa.Core.Errors;
using CxrQa.Core.Evaluation;
using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Routing;
using CxrQa.Core.Trust;
using CxrQa.Domain;

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
        var faithfulness = new Option<int>("--faithfulness")
        {
            Description = "Run the Grad-CAM deletion test on this many pneumonia films (0 = skip; 50 is a good value).",
            DefaultValueFactory = _ => 0,
        };
        faithfulness.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--faithfulness must be 0 or more");
        });
        var shiftBenchmark = new Option<string?>("--shift-benchmark")
        {
            Description = "Also run the shift benchmark from this data root (kermany-224/train for the bundle's calibration patients, " +
                          "kermany-fullres-sample, dev-shift): framing probe, acquisition shifts, other hospitals. Writes shift-benchmark.md/.json.",
        };
        var recordInCard = new Option<bool>("--record-in-card")
        {
            Description = "With --shift-benchmark: write its results into the bundle's model.json (shift_benchmark), with this command.",
        };
        var command = new Command("evaluate",
            "Measure a model on labelled films: report.md/report.html with plots, metrics.json, predictions.csv.")
        {
            data, output, model, threshold, batchSize, faithfulness, shiftBenchmark, recordInCard,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(data)!, parse.GetValue(output)!, parse.GetValue(model),
            parse.GetValue(threshold), parse.GetValue(batchSize), parse.GetValue(faithfulness), parse.GetValue(shiftBenchmark), parse.GetValue(recordInCard), ct));
        return command;
    }

    private static async Task<int> RunAsync(string dataDir, string outDir, string? modelDir, double? threshold, int batchSize,
        int faithfulness, string? shiftRoot, bool recordInCard, CancellationToken ct)
    {
        var err = StandardStreams.CreateErrorConsole();
        if (recordInCard && (shiftRoot is null || threshold is not null))
        {
            StandardStreams.Error(err, "--record-in-card needs --shift-benchmark and the bundle's own routing (no --threshold)");
            return ExitCodes.Usage;
        }
        var options = new ScreeningOptions { Routing = new RoutingOverrides { FixedConfidenceThreshold = threshold } };
        ScreeningService service;
        ModelBundle model;
        LabelledDataset dataset;
        try
        {
            (service, model) = ScreeningServiceFactory.Create(modelDir, options);
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
        var cases = rows.Select(r => new ScreenedCase(r.Label, r.Result.PneumoniaProbability, r.Result.Confidence,
            r.Result.Prediction == "Pneumonia", r.Result.Decision.Status == CaseStatus.Automated, r.Result.Decision.Reasons)).ToList();
        var risk = service.Trust.RiskControl;
        var summary = EvaluationSummary.Compute(cases, risk?.Normal.Alpha, risk?.Pneumonia.Alpha);

        DeletionTestResult? deletion = null;
        if (faithfulness > 0)
        {
            var inputs = await DeletionInputs.LoadAsync(DeletionInputs.Pick(dataset.Images, faithfulness),
                service.Decoder, service.Preprocessor, options.Limits, ct);
            await StandardStreams.WithProgressAsync(err, "deletion test", inputs.Count, advance =>
                Task.Run(() => deletion = DeletionTest.Run(model, inputs, filmDone: advance), ct));
        }
        var training = await TrainingLogFile.TryReadAsync(model.Directory, ct);

        var card = model.Card;
        var context = new ReportContext(card.Name, card.Version, risk is null ? "fixed confidence threshold" : card.DecisionPolicy.Mode,
            card.DecisionPolicy.Description, Path.GetFullPath(dataset.Root), dataset.ManifestSha256, dataset.Deduplication.DuplicatesDropped, failures.Count);
        ReportFigures.WriteAll(outDir, card.Name, summary, deletion, training);
        var document = EvaluationReportDocument.Build(context, summary, deletion, training);
        await File.WriteAllTextAsync(Path.Combine(outDir, "report.md"), MarkdownReportWriter.Render(document), ct);
        await File.WriteAllTextAsync(Path.Combine(outDir, "report.html"), HtmlReportWriter.Render(document), ct);
        await File.WriteAllTextAsync(Path.Combine(outDir, "predictions.csv"), PredictionsCsv(rows), ct);
        await File.WriteAllTextAsync(Path.Combine(outDir, "metrics.json"), EvaluationJson.Build(context, summary, deletion), ct);

        if (shiftRoot is not null)
        {
            IReadOnlyList<ShiftScenarioResult> shift;
            try
            {
                shift = await StandardStreams.WithStagesAsync(err, report => new ShiftBenchmark(service).RunAsync(shiftRoot,
                    BundleCalibrator.CalibrationPaths(card), new SynchronousProgress<ShiftBenchmarkProgress>(p => report(p.Scenario, p.Done, p.Total)), ct));
            }
            catch (CxrQaException e)
            {
                StandardStreams.Error(err, e.Message);
                return ExitCodes.Setup;
            }
            var markdown = ShiftBenchmark.Markdown($"{card.Name} {card.Version}", shift);
            await File.WriteAllTextAsync(Path.Combine(outDir, "shift-benchmark.md"), markdown, ct);
            await File.WriteAllTextAsync(Path.Combine(outDir, "shift-benchmark.json"), ShiftBenchmark.Json($"{card.Name} {card.Version}", shift), ct);
            await File.AppendAllTextAsync(Path.Combine(outDir, "report.md"), "\n" + markdown, ct);
            if (recordInCard)
            {
                var commandLine = $"cxrqa evaluate {(modelDir is null ? "" : $"--model {modelDir} ")}--data {dataDir} --out {outDir} --shift-benchmark {shiftRoot} --record-in-card";
                ModelBundleWriter.SaveCard(model.Directory, card with { ShiftBenchmark = ShiftBenchmark.Card(shift, commandLine, DateTimeOffset.UtcNow) });
                StandardStreams.Info(err, $"recorded the shift benchmark in {Path.Combine(model.Directory, ModelBundle.CardFileName)}");
            }
            foreach (var r in shift)
                StandardStreams.Info(err, $"{r.Name}: AUC {r.Auc:0.000}, specificity {r.Specificity:P1}, automated {r.AutomatedShare:P1}, {r.AutomatedWrong} wrong");
        }

        var metrics = summary.Metrics;
        StandardStreams.Info(err, $"AUC {metrics.Auc:0.0000}  accuracy {metrics.Accuracy:P1}  sensitivity {metrics.Sensitivity:P1}  " +
                      $"specificity {metrics.Specificity:P1}  ECE {metrics.Ece:0.000}  AURC {summary.Selective.Curve.Aurc:0.0000}  " +
                      $"automated {summary.Realised.Coverage:P1} with {summary.Realised.Overall.Errors} error(s)  -> {Path.GetFullPath(outDir)}");
        foreach (var (file, error) in failures)
            StandardStreams.Warning(err, $"{file}: {error.Code}: {error.Message}");
        return failures.Count > 0 ? ExitCodes.SomeInputsFailed : ExitCodes.Ok;
    }

    private sealed record EvaluatedFilm(string File, int Label, ScreeningResult Result);

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
