using System.CommandLine;
using CxrQa.Cli.Output;
using CxrQa.Core.Errors;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Review;
using CxrQa.Core.Routing;
using Spectre.Console;

namespace CxrQa.Cli.Commands;

public static class PredictCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Films or folders (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var model = CommonOptions.Model();
        var reviewDir = new Option<string>("--review-dir")
        {
            Description = "Where pending cases are copied for a radiologist (the input file itself is never moved).",
            DefaultValueFactory = _ => "./pending_review",
        };
        var format = new Option<string>("--format") { Description = "jsonl (one JSON object per input) or table.", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "table");
        var threshold = new Option<double?>("--threshold")
        {
            Description = "Pin the seed's fixed rule: automate when the predicted class's probability is at least this.",
        };
        var batchSize = CommonOptions.BatchSize();

        var command = new Command("predict", "Screen chest X-ray films (JPEG, PNG, DICOM) and route each one.")
        {
            paths, model, reviewDir, format, threshold, batchSize,
        };
        command.SetAction((parse, ct) => RunAsync(new PredictRequest(
            parse.GetValue(paths)!, parse.GetValue(model), parse.GetValue(reviewDir)!, parse.GetValue(format)!,
            parse.GetValue(threshold), Math.Max(1, parse.GetValue(batchSize))), ct));
        return command;
    }

    private sealed record PredictRequest(string[] Paths, string? Model, string ReviewDir, string Format, double? Threshold, int BatchSize);

    private static async Task<int> RunAsync(PredictRequest request, CancellationToken ct)
    {
        var err = StandardStreams.CreateErrorConsole();
        var options = new ScreeningOptions { FixedConfidenceThreshold = request.Threshold };
        ScreeningService service;
        try
        {
            (service, _) = ScreeningServiceFactory.Create(request.Model, options);
        }
        catch (CxrQaException e)
        {
            err.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.Setup;
        }

        var listing = await FilmFiles.ExpandAsync(request.Paths, ct);
        foreach (var skipped in listing.Skipped)
            err.MarkupLineInterpolated($"[yellow]warning:[/] skipped {skipped}: not a JPEG, PNG or DICOM file");

        var writer = new ReviewFolderWriter(request.ReviewDir);
        var lines = new List<PredictionLine>(listing.Films.Count);
        var failures = 0;

        await err.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("screening", maxValue: Math.Max(1, listing.Films.Count));
                foreach (var chunk in listing.Films.Chunk(request.BatchSize))
                {
                    var inputs = new List<FilmInput>(chunk.Length);
                    var readErrors = new Dictionary<int, CxrQaException>();
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        try { inputs.Add(await FilmFiles.ReadAsync(chunk[i], options.Limits, ct)); }
                        catch (CxrQaException e) { readErrors[i] = e; inputs.Add(new FilmInput(chunk[i].DisplayPath, ReadOnlyMemory<byte>.Empty)); }
                    }
                    var outcomes = service.Screen(inputs.Where((_, i) => !readErrors.ContainsKey(i)).ToList(), ct);
                    var next = 0;
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        PredictionLine line;
                        if (readErrors.TryGetValue(i, out var readError))
                            line = PredictionLine.Failed(chunk[i].DisplayPath, readError.Code, readError.Message);
                        else
                            line = await ToLineAsync(outcomes[next++], writer, ct);
                        if (line.Error is not null)
                            failures++;
                        lines.Add(line);
                        if (request.Format == "jsonl")
                            Console.Out.WriteLine(line.ToJson());
                    }
                    task.Increment(chunk.Length);
                }
            });

        if (request.Format == "table")
            ResultTable.Write(AnsiConsole.Console, lines);
        var pending = lines.Count(l => l.Status == "pending_review");
        err.MarkupLineInterpolated(
            $"{lines.Count} film(s): {lines.Count - pending - failures} automated, {pending} pending review, {failures} failed.");
        return failures > 0 ? ExitCodes.SomeInputsFailed : ExitCodes.Ok;
    }

    private static async Task<PredictionLine> ToLineAsync(ScreeningOutcome outcome, ReviewFolderWriter writer, CancellationToken ct)
    {
        if (outcome.Result is not { } result)
            return PredictionLine.Failed(outcome.Input.Name, outcome.Error!.Code, outcome.Error.Message);
        var folder = result.Decision.Status == CaseStatus.PendingReview ? await writer.WriteAsync(outcome, cancellationToken: ct) : null;
        return PredictionLine.From(outcome.Input.Name, result, folder);
    }
}
