using System.CommandLine;
using CxrQa.Admin.Automation;
using CxrQa.Cli.Output;
using CxrQa.Core.Errors;
using CxrQa.Core.Explain;
using CxrQa.Core.Model;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Review;
using CxrQa.Core.Routing;
using CxrQa.Core.Trust;
using Spectre.Console;
using CxrQa.Domain;

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
        var heatmaps = new Option<string?>("--heatmaps")
        {
            Description = "Folder for one Grad-CAM overlay PNG per film (<name>.gradcam.png, at the film's own size).",
        };
        var batchSize = CommonOptions.BatchSize();
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = "A server's data directory: the films join that site's monitored stream and its pause applies (as on the server).",
        };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string of that server (with --data-dir)." };
        var site = new Option<string>("--site") { Description = "The site (CxrQa:Automation:Site) whose stream the films join.", DefaultValueFactory = _ => "default" };

        var command = new Command("predict", "Screen chest X-ray films (JPEG, PNG, DICOM) and route each one.")
        {
            paths, model, reviewDir, format, threshold, heatmaps, batchSize, dataDir, postgres, site,
        };
        command.SetAction((parse, ct) => RunAsync(new PredictRequest(
            parse.GetValue(paths)!, parse.GetValue(model), parse.GetValue(reviewDir)!, parse.GetValue(format)!,
            parse.GetValue(threshold), parse.GetValue(heatmaps), parse.GetValue(batchSize), parse.GetValue(dataDir),
            parse.GetValue(postgres), parse.GetValue(site)!), ct));
        return command;
    }

    private sealed record PredictRequest(string[] Paths, string? Model, string ReviewDir, string Format, double? Threshold,
        string? HeatmapDir, int BatchSize, string? DataDir, string? Postgres, string Site);

    private static async Task<int> RunAsync(PredictRequest request, CancellationToken ct)
    {
        var err = StandardStreams.CreateErrorConsole();
        var options = new ScreeningOptions { Routing = new RoutingOverrides { FixedConfidenceThreshold = request.Threshold } };
        ScreeningService service;
        ModelBundle bundle;
        try
        {
            (service, bundle) = ScreeningServiceFactory.Create(request.Model, options);
        }
        catch (CxrQaException e)
        {
            StandardStreams.Error(err, e.Message);
            return ExitCodes.Setup;
        }
        AutomationMonitor? monitor = null;
        if (request.DataDir is not null)
        {
            monitor = await SiteMonitor.CreateAsync(request.DataDir, request.Postgres, request.Site, bundle, service, err, ct);
            if (monitor is null)
                return ExitCodes.Setup;
        }

        var listing = await FilmFiles.ExpandAsync(request.Paths, ct);
        foreach (var skipped in listing.Skipped)
            StandardStreams.Warning(err, $"skipped {skipped}: not a JPEG, PNG or DICOM file");

        var writer = new ReviewFolderWriter(request.ReviewDir);
        var heatmapWriter = request.HeatmapDir is { } dir ? new HeatmapFileWriter(dir) : null;
        var lines = new List<PredictionLine>(listing.Films.Count);
        await StandardStreams.WithProgressAsync(err, "screening", listing.Films.Count, async advance =>
        {
            await foreach (var item in new FileScreening(service, options).ScreenAsync(listing.Films, request.BatchSize, ct))
            {
                var screened = item;
                // The same pause rule as the server's, in the same place: after routing, before anything is written.
                if (monitor is not null && screened.Outcome.Result is { } answer)
                    screened = screened with { Outcome = screened.Outcome with { Result = await monitor.ApplyAsync(answer, ct) } };
                var line = await ToLineAsync(screened, service, writer, heatmapWriter, ct);
                lines.Add(line);
                if (request.Format == "jsonl")
                    Console.Out.WriteLine(line.ToJson());
                advance();
            }
        });

        if (request.Format == "table")
            ResultTable.Write(AnsiConsole.Console, lines);
        var failures = lines.Count(l => l.Error is not null);
        var pending = lines.Count(l => l.Status == "pending_review");
        StandardStreams.Info(err, $"{lines.Count} film(s): {lines.Count - pending - failures} automated, {pending} pending review, {failures} failed.");
        return failures > 0 ? ExitCodes.SomeInputsFailed : ExitCodes.Ok;
    }

    private static async Task<PredictionLine> ToLineAsync(ScreenedFile screened, ScreeningService service, ReviewFolderWriter writer,
        HeatmapFileWriter? heatmaps, CancellationToken ct)
    {
        var outcome = screened.Outcome;
        if (outcome.Result is not { } result)
            return PredictionLine.Failed(screened.File.DisplayPath, outcome.Error!.Code, outcome.Error.Message);
        var pending = result.Decision.Status == CaseStatus.PendingReview;
        var overlay = pending || heatmaps is not null
            ? FilmOverlay.RenderPng(service.FullSizeFilm(outcome).Image, result.Heatmap, service.Preprocessor.Options)
            : null;
        var folder = pending
            ? await writer.WriteAsync(outcome, new Dictionary<string, byte[]> { ["gradcam.png"] = overlay! }, ct)
            : null;
        var heatmapFile = heatmaps is not null ? await heatmaps.WriteAsync(screened.File.DisplayPath, result.CaseId, overlay!, ct) : null;
        return PredictionLine.From(screened.File.DisplayPath, result, folder, heatmapFile);
    }
}
