using CxrQa.Domain;
using System.Diagnostics;
using CxrQa.Core.Dicom;
using CxrQa.Core.Dicom.Results;
using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Quality;
using CxrQa.Core.Routing;

namespace CxrQa.Bench;

/// <summary>
/// Usage: CxrQa.Bench [--data DIR] [--model DIR] [--runs N] [--folder-films N] [--only SECTIONS] [--full-decode]
/// Prints Markdown tables: per-stage latency for a 224 px JPEG and a full-resolution film, and folder throughput.
/// --only takes a comma-separated subset of small, fullres, overlay, results, batch8, folder (default: all).
/// --full-decode screens with ReducedDecodeOversampling = null (every film decoded at full size: the "before").
/// </summary>
public static class BenchProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        var data = Arg(args, "--data") ?? Path.GetFullPath(Path.Combine(FindRepoRoot(), "..", "shared", "data"));
        var runs = int.Parse(Arg(args, "--runs") ?? "50");
        var folderFilms = int.Parse(Arg(args, "--folder-films") ?? "400");
        var only = Arg(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = only?.Except(Sections).ToList();
        if (unknown is { Count: > 0 })
        {
            Console.Error.WriteLine($"unknown section(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Sections)}");
            return 2;
        }
        bool Runs(string section) => only is null || only.Contains(section);
        using var model = ModelBundle.Load(ModelLocator.Resolve(Arg(args, "--model")));
        var screeningOptions = args.Contains("--full-decode") ? new ScreeningOptions { ReducedDecodeOversampling = null } : new ScreeningOptions();
        var service = ScreeningService.Create(model, screeningOptions);
        var decoder = service.Decoder;
        var preprocessor = service.Preprocessor;
        var gate = new QualityGate(screeningOptions.Quality);

        Console.WriteLine($"# CxrQa bench — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, model {model.Card.Name} {model.Card.Version}");
        Console.WriteLine($"load average at start: {LoadAverage()}; screening decode: " +
                          (service.DecodeOptions.ShrinkTarget is { } t ? $"reduced (oversampling {t.Oversampling})" : "full size"));
        Console.WriteLine();

        var small = FirstFile(Path.Combine(data, "kermany-224", "train", "NORMAL"));
        var large = LargestFile(Path.Combine(data, "kermany-fullres-sample"));
        foreach (var (section, label, path) in new[] { ("small", "224 px JPEG", small), ("fullres", "full-resolution JPEG", large) })
        {
            if (!Runs(section)) continue;
            var bytes = await File.ReadAllBytesAsync(path);
            var fullSize = decoder.Decode(bytes, DecodeLimits.Default);
            var film = decoder.Decode(bytes, service.DecodeOptions); // what ScreeningService decodes (reduced when large)
            var enhanced = preprocessor.Enhance(film.Image);
            var input = new float[3 * 224 * 224];
            preprocessor.WriteModelInput(enhanced, input);
            var films = new[] { new FilmInput(path, bytes) };
            var decodedAs = film.IsReduced ? $", screening decodes it at {film.Image.Width}x{film.Image.Height}" : "";
            Console.WriteLine($"## {label}: {Path.GetFileName(path)} ({fullSize.Image.Width}x{fullSize.Image.Height}, {bytes.Length / 1024} KiB{decodedAs})");
            Console.WriteLine();
            Console.WriteLine("| stage | p50 ms | p95 ms | min ms | runs |");
            Console.WriteLine("|---|---|---|---|---|");
            Console.WriteLine(Timing.Measure("decode (full size)", 5, runs, () => decoder.Decode(bytes, DecodeLimits.Default)).Row());
            if (film.IsReduced)
                Console.WriteLine(Timing.Measure("decode (screening: reduced)", 5, runs, () => decoder.Decode(bytes, service.DecodeOptions)).Row());
            if (film.IsReduced)
                Console.WriteLine(Timing.Measure("quality gate (full-size film)", 5, runs, () => gate.Assess(fullSize)).Row());
            Console.WriteLine(Timing.Measure(film.IsReduced ? "quality gate (reduced film, as screened)" : "quality gate", 5, runs, () => gate.Assess(film)).Row());
            Console.WriteLine(Timing.Measure("preprocess (resize + CLAHE + planes)", 5, runs, () =>
            {
                var e = preprocessor.Enhance(film.Image);
                preprocessor.WriteModelInput(e, input);
            }).Row());
            Console.WriteLine(Timing.Measure("inference (batch 1)", 5, runs, () => model.Run(input, 1)).Row());
            Console.WriteLine(Timing.Measure("total (ScreeningService.Screen)", 5, runs, () => service.Screen(films)).Row());
            Console.WriteLine();
        }

        if (Runs("overlay"))
            await OverlayAsync(model, decoder, preprocessor, large, runs);
        if (Runs("results"))
            await ResultObjectsAsync(decoder, preprocessor, data, runs);
        if (Runs("batch8"))
            Batch8(model, runs);
        if (Runs("folder"))
            await FolderAsync(service, screeningOptions, data, folderFilms);
        Console.WriteLine($"load average at end: {LoadAverage()}");
        return 0;
    }

    private static readonly string[] Sections = ["small", "fullres", "overlay", "results", "batch8", "folder"];

    /// <summary>The DICOM result objects of one real film (the NIH DX, 1024x1024): the overlay's RGB, then the SR,
    /// SR + SC and the verified SR, each built from the film's bytes as the server would.</summary>
    private static async Task ResultObjectsAsync(FilmDecoder decoder, FilmPreprocessor preprocessor, string data, int runs)
    {
        var path = Path.Combine(data, "dicom", "chest", "1.3.6.1.4.1.11129.5.5.110503645592756492463169821050252582267888.dcm");
        var bytes = await File.ReadAllBytesAsync(path);
        var film = decoder.Decode(bytes, DecodeLimits.Default).Image;
        var cam = new CamResult(Enumerable.Range(0, CamResult.CellCount).Select(i => i / 48f).ToArray(), Empty: false);
        var builder = new ResultObjectsBuilder(new ResultObjectsOptions());
        var report = new ScreeningReport("0193a1b2c3d4e5f60718293a4b5c6d7e", new ModelIdentity("bench", "1"), "bench",
            DateTimeOffset.UnixEpoch, ScreeningClass.Pneumonia, 0.9, CaseStatus.PendingReview, [new RoutingReason("low_confidence", "bench")]);
        var overlay = FilmOverlay.RenderRgb(film, cam, preprocessor.Options);
        var objects = builder.Build(bytes, report, overlay);
        var verification = new ReviewVerification("Bench^Reader", "Bench", DateTimeOffset.UnixEpoch, ReviewLabel.Pneumonia);
        Console.WriteLine($"## DICOM result objects: NIH DX film ({film.Width}x{film.Height}); SR {objects[0].Part10.Length} bytes, SC {objects[1].Part10.Length} bytes");
        Console.WriteLine();
        Console.WriteLine("| stage | p50 ms | p95 ms | min ms | runs |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(Timing.Measure("overlay RGB at the film's size (FilmOverlay.RenderRgb)", 3, runs / 2, () => FilmOverlay.RenderRgb(film, cam, preprocessor.Options)).Row());
        Console.WriteLine(Timing.Measure("screening report SR (Build, no overlay)", 5, runs, () => builder.Build(bytes, report, null)).Row());
        Console.WriteLine(Timing.Measure("SR + overlay SC (Build)", 3, runs / 2, () => builder.Build(bytes, report, overlay)).Row());
        Console.WriteLine(Timing.Measure("verified SR (BuildVerifiedReport)", 5, runs, () => builder.BuildVerifiedReport(bytes, report, verification)).Row());
        Console.WriteLine();
    }

    private static async Task OverlayAsync(ModelBundle model, FilmDecoder decoder, FilmPreprocessor preprocessor, string large, int runs)
    {
        var outputs = model.Run(new float[3 * 224 * 224], 1);
        var heads = ModelCam.Heads(model);
        var bigFilm = decoder.Decode(await File.ReadAllBytesAsync(large), DecodeLimits.Default).Image;
        var square2000 = AreaResize.Resize(bigFilm, 2000, 2000);
        var cam = ModelCam.For(outputs, 0, heads, TargetClass.Pneumonia);
        var display = FilmOverlay.DisplayFilm(square2000, preprocessor.Options);
        var rgba = new byte[2000 * 2000 * 4];
        Console.WriteLine("## Grad-CAM and overlay (film resized to 2000x2000)");
        Console.WriteLine();
        Console.WriteLine("| stage | p50 ms | p95 ms | min ms | runs |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(Timing.Measure("Grad-CAM map from feature_map + head", 20, runs * 4, () => ModelCam.For(outputs, 0, heads, TargetClass.Pneumonia)).Row());
        Console.WriteLine(Timing.Measure("CLAHE of the display film (2000x2000)", 3, runs / 2, () => FilmOverlay.DisplayFilm(square2000, preprocessor.Options)).Row());
        Console.WriteLine(Timing.Measure("overlay raster (upsample + JET + blend)", 3, runs / 2, () => HeatmapRasterizer.DrawOverlay(display, cam, HeatmapRenderOptions.Default, rgba, 2000 * 4)).Row());
        Console.WriteLine(Timing.Measure("overlay PNG end to end (CLAHE + raster + encode)", 3, runs / 2, () => FilmOverlay.RenderPng(square2000, cam, preprocessor.Options)).Row());
        Console.WriteLine();
    }

    private static void Batch8(ModelBundle model, int runs)
    {
        var batch8 = new float[8 * 3 * 224 * 224];
        Console.WriteLine("## Inference batch 8");
        Console.WriteLine();
        Console.WriteLine("| stage | p50 ms | p95 ms | min ms | runs |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(Timing.Measure("inference (batch 8)", 3, Math.Max(10, runs / 4), () => model.Run(batch8, 8)).Row());
        Console.WriteLine();
    }

    private static async Task FolderAsync(ScreeningService service, ScreeningOptions options, string data, int folderFilms)
    {
        var listing = await FilmFiles.ExpandAsync([Path.Combine(data, "kermany-224", "train", "PNEUMONIA")]);
        var folder = listing.Films.Take(folderFilms).ToList();
        var screening = new FileScreening(service, options);
        await foreach (var _ in screening.ScreenAsync(folder.Take(16).ToList(), 8)) { } // warm-up
        var sw = Stopwatch.StartNew();
        var n = 0;
        await foreach (var _ in screening.ScreenAsync(folder, 8)) n++;
        var seconds = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"## Folder throughput (FileScreening, batch 8, {n} 224 px JPEGs): {n / seconds:0.0} films/s ({seconds:0.00} s)");
        Console.WriteLine();
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string FirstFile(string dir) => Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal).First();

    private static string LargestFile(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).MaxBy(f => new FileInfo(f).Length)!;

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CxrQa.sln")))
                return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
