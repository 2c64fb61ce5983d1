using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using CxrQa.Core.Model;

namespace CxrQa.ServerBench;

/// <summary>
/// Usage: CxrQa.ServerBench [--data DIR] [--server-dll PATH] [--clients 8] [--seconds 60] [--warmup-seconds 5]
///        [--fullres-seconds 30] [--graph-seconds 10] [--rounds 1] [--out FILE.json] [--env NAME=VALUE]...
/// Starts the built server (Release) on 127.0.0.1 and a temp data directory (keys not required), then measures:
/// cold start (process start to the first 200 from POST /predict); N concurrent clients posting 224 px JPEGs
/// (kermany-224 val + train) for the given time: answers/s, latency percentiles, errors; one client posting the
/// full-resolution films (kermany-fullres-sample): p50/p95; the first and a repeated GET of a full-resolution case's
/// heatmap.png (drawn lazily); ONNX Runtime alone on the same graph at batch 8 in this process, before and after the
/// 224 px load while the server idles (<see cref="GraphThroughput"/>; with --rounds N also between N slices of the
/// load, the times split evenly), and the server's answers/s as a share of it; the same at the server's operating point
/// (the warm-up's mean batch, the server's spinning setting; run in the same windows); the load clients' own CPU per answer; the server's resident memory peak (VmHWM) and at the end (VmRSS). The server's /metrics
/// text at the end is written beside the JSON (FILE.metrics.txt).
/// Every request loop is bounded in time and only ever talks to the server it started on loopback.
/// </summary>
public static class ServerBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var repo = FindRepoRoot();
        var data = Arg(args, "--data") ?? Path.GetFullPath(Path.Combine(repo, "..", "shared", "data"));
        var dll = Arg(args, "--server-dll") ?? Path.Combine(repo, "src", "CxrQa.Server", "bin", "Release", "net10.0", "linux-x64", "CxrQa.Server.dll");
        var clients = int.Parse(Arg(args, "--clients") ?? "8", CultureInfo.InvariantCulture);
        var seconds = double.Parse(Arg(args, "--seconds") ?? "60", CultureInfo.InvariantCulture);
        var warmup = double.Parse(Arg(args, "--warmup-seconds") ?? "5", CultureInfo.InvariantCulture);
        var fullresSeconds = double.Parse(Arg(args, "--fullres-seconds") ?? "30", CultureInfo.InvariantCulture);
        var graphSeconds = double.Parse(Arg(args, "--graph-seconds") ?? "10", CultureInfo.InvariantCulture);
        var rounds = Math.Max(1, int.Parse(Arg(args, "--rounds") ?? "1", CultureInfo.InvariantCulture));
        var jsonOut = Arg(args, "--out") ?? Path.Combine(Path.GetTempPath(), $"cxrqa-serverbench-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
        var env = Args(args, "--env").Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        if (!File.Exists(dll))
        {
            Console.Error.WriteLine($"{dll} not built: dotnet build bench/CxrQa.ServerBench -c Release");
            return 2;
        }

        var small = LoadFilms(Path.Combine(data, "kermany-224", "val"), int.MaxValue)
            .Concat(LoadFilms(Path.Combine(data, "kermany-224", "train"), 3000)).ToArray();
        var large = LoadFilms(Path.Combine(data, "kermany-fullres-sample"), int.MaxValue);
        if (small.Length == 0 || large.Length == 0)
        {
            Console.Error.WriteLine($"no films under {data}/kermany-224 or {data}/kermany-fullres-sample");
            return 2;
        }
        var loadStart = LoadAverage();
        Console.WriteLine($"# CxrQa server bench — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
        Console.WriteLine($"load average at start: {loadStart}");
        Console.WriteLine($"films: {small.Length} 224 px JPEGs, {large.Length} full-resolution JPEGs; {clients} clients for {seconds:0} s (after {warmup:0} s warm-up)");
        if (env.Count > 0)
            Console.WriteLine($"server environment: {string.Join(' ', env.Select(kv => $"{kv.Key}={kv.Value}"))}");
        Console.WriteLine();

        var dataDir = Path.Combine(Path.GetTempPath(), "cxrqa-serverbench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDir);
        var port = FreePort();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(60),
        };
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDir, "--CxrQa:RequireKeyForPredict=false",
                     "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning" })
            info.ArgumentList.Add(a);
        info.Environment.Remove("CXRQA_POSTGRES");
        info.Environment.Remove("CXRQA_DATA_DIR");
        foreach (var (k, v) in env)
            info.Environment[k] = v;

        var started = Stopwatch.StartNew();
        using var server = Process.Start(info)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[server] {e.Data}"); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var memory = new MemorySampler(server.Id);
        try
        {
            // Cold start: process start to the first 200 answer of /predict.
            double coldStartMs = double.NaN;
            while (started.Elapsed < TimeSpan.FromSeconds(120) && !server.HasExited)
            {
                try
                {
                    using var response = await http.PostAsync("/predict", Multipart(small[0]));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        coldStartMs = started.Elapsed.TotalMilliseconds;
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(20);
            }
            if (double.IsNaN(coldStartMs))
                throw new InvalidOperationException("the server never answered /predict with 200");
            var rssAfterStart = memory.Read().RssKb;

            var batchesBefore = await BatchCountersAsync(http);
            await LoadAsync(http, small, clients, TimeSpan.FromSeconds(warmup));
            var batchesAfter = await BatchCountersAsync(http);
            var warmupMeanBatch = (batchesAfter.Films - batchesBefore.Films) / Math.Max(1, batchesAfter.Runs - batchesBefore.Runs);
            var operatingBatch = Math.Clamp((int)Math.Round(warmupMeanBatch), 1, GraphThroughput.MaxBatch);
            var operatingSpinning = env.TryGetValue("CxrQa__OrtAllowSpinning", out var spin) && bool.TryParse(spin, out var spinning)
                ? spinning
                : ModelRuntimeOptions.ServerAllowsSpinning;
            using var graph = GraphThroughput.Load(repo, env, small);
            using var operating = GraphThroughput.Load(repo, env, small, operatingSpinning);
            var window = TimeSpan.FromSeconds(graphSeconds / rounds);
            // The VM's speed drifts by 10 % and more within minutes: with several rounds, ONNX Runtime alone runs
            // before, between and after slices of the load, so both sides of the share see the same machine.
            var graphRates = new List<double> { graph.FilmsPerSecond(window) };
            var operatingRates = new List<double> { operating.FilmsPerSecond(window, operatingBatch) };
            var slices = new List<LoadResult>();
            double serverCpu = 0, clientCpu = 0;
            for (var round = 0; round < rounds; round++)
            {
                var cpuBefore = ProcessCpu.Seconds(server.Id);
                var clientCpuBefore = ProcessCpu.Seconds(Environment.ProcessId);
                slices.Add(await LoadAsync(http, small, clients, TimeSpan.FromSeconds(seconds / rounds)));
                serverCpu += ProcessCpu.Seconds(server.Id) - cpuBefore;
                clientCpu += ProcessCpu.Seconds(Environment.ProcessId) - clientCpuBefore;
                graphRates.Add(graph.FilmsPerSecond(window));
                operatingRates.Add(operating.FilmsPerSecond(window, operatingBatch));
            }
            var load = LoadResult.Merge(slices);
            var rssAfterLoad = memory.Read().RssKb;
            var full = await LoadAsync(http, large, 1, TimeSpan.FromSeconds(fullresSeconds));

            // The overlay of a full-resolution case: drawn on the first request, then served from the case folder.
            var heatmapFirst = double.NaN;
            var heatmapSecond = double.NaN;
            if (full.LastCaseId is { } caseId)
            {
                var sw = Stopwatch.StartNew();
                using (var r = await http.GetAsync($"/cases/{caseId}/heatmap.png"))
                    await EnsureOkAsync(r);
                heatmapFirst = sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                using (var r = await http.GetAsync($"/cases/{caseId}/heatmap.png"))
                    await EnsureOkAsync(r);
                heatmapSecond = sw.Elapsed.TotalMilliseconds;
            }
            // The server's own view (batch sizes, queue, per-route durations), kept beside the JSON.
            using (var m = await http.GetAsync("/metrics"))
                await File.WriteAllTextAsync(Path.ChangeExtension(jsonOut, ".metrics.txt"), await m.Content.ReadAsStringAsync());
            var end = memory.Read();
            var loadEnd = LoadAverage();

            var report = new Report(
                DateTime.UtcNow, Environment.ProcessorCount, loadStart, loadEnd, env,
                clients, seconds, small.Length, large.Length,
                Math.Round(coldStartMs, 1),
                Summary.Of(load), Summary.Of(full),
                Math.Round(heatmapFirst, 1), Math.Round(heatmapSecond, 1),
                Math.Round(end.HwmKb / 1024.0, 1), Math.Round(end.RssKb / 1024.0, 1),
                Math.Round(rssAfterStart / 1024.0, 1), Math.Round(rssAfterLoad / 1024.0, 1),
                graph.BundleName, rounds, [.. graphRates.Select(r => Math.Round(r, 1))],
                Math.Round(1000 * serverCpu / Math.Max(1, load.SortedMs.Length), 1), Math.Round(graph.CpuMsPerFilm, 1),
                Math.Round(1000 * clientCpu / Math.Max(1, load.SortedMs.Length), 2),
                Math.Round(warmupMeanBatch, 2), operatingBatch, operatingSpinning, [.. operatingRates.Select(r => Math.Round(r, 1))]);
            Print(report);
            await File.WriteAllTextAsync(jsonOut, JsonSerializer.Serialize(report, new JsonSerializerOptions
            {
                WriteIndented = true,
                PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                // A phase with no answer (no full-resolution case to draw) leaves NaN: written as "NaN", not a crash
                // that loses the measured run.
                NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
            }));
            Console.WriteLine($"JSON: {jsonOut}");
            return 0;
        }
        finally
        {
            if (!server.HasExited)
                server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }

    private static void Print(Report r)
    {
        string T(bool met) => met ? "met" : "missed";
        Console.WriteLine("| measure | value | target (issue) | |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| {r.Clients} clients, 224 px JPEGs: answers/s | {r.Load.AnswersPerSecond:0.0} ({r.Load.Answers} in {r.Load.Seconds:0.0} s) | >= 60 | {T(r.Load.AnswersPerSecond >= 60)} |");
        Console.WriteLine($"| latency p50 / p95 / p99 ms | {r.Load.P50Ms:0.0} / {r.Load.P95Ms:0.0} / {r.Load.P99Ms:0.0} (max {r.Load.MaxMs:0.0}) | p99 <= 250 | {T(r.Load.P99Ms <= 250)} |");
        Console.WriteLine($"| errors | {r.Load.Errors} {Codes(r.Load)} | 0 | {T(r.Load.Errors == 0)} |");
        var when = r.Rounds == 1 ? "before / after the load" : $"before, between and after {r.Rounds} slices of the load";
        Console.WriteLine($"| ONNX Runtime alone, {r.Bundle}, batch 8: films/s {when} | {string.Join(" / ", r.GraphFilmsPerSecond.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))} | | |");
        Console.WriteLine($"| server answers/s / ONNX Runtime alone (same graph, same run) | {r.ServerShareOfGraph:P1} | >= 85 % | {T(r.ServerShareOfGraph >= 0.85)} |");
        Console.WriteLine($"| ONNX Runtime alone at the server's operating point: batch {r.OperatingBatch} (mean of the warm-up {r.WarmupMeanBatch:0.00}), spinning {(r.OperatingAllowSpinning ? "on" : "off")}: films/s | {string.Join(" / ", r.OperatingFilmsPerSecond.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))} | | |");
        Console.WriteLine($"| server answers/s / ONNX Runtime alone at the server's operating point | {r.ServerShareOfOperatingPoint:P1} | | |");
        Console.WriteLine($"| CPU ms per film: server process per answer / ONNX Runtime alone per film (less sensitive to other load) | {r.ServerCpuMsPerAnswer:0.0} / {r.GraphCpuMsPerFilm:0.0} | | |");
        Console.WriteLine($"| CPU ms per answer spent by the load clients (this process; they share the cores with the server) | {r.ClientCpuMsPerAnswer:0.00} | | |");
        Console.WriteLine($"| 1 client, full-resolution JPEGs: p50 / p95 ms | {r.FullResolution.P50Ms:0.0} / {r.FullResolution.P95Ms:0.0} ({r.FullResolution.Answers} answers, {r.FullResolution.Errors} errors) | p50 <= 60 | {T(r.FullResolution.P50Ms <= 60)} |");
        Console.WriteLine($"| heatmap.png of a full-resolution case: first GET (drawn) / second GET (file) ms | {r.HeatmapFirstMs:0.0} / {r.HeatmapSecondMs:0.0} | | |");
        Console.WriteLine($"| server RSS peak (VmHWM) / at the end (VmRSS) MB | {r.PeakRssMb:0.0} / {r.EndRssMb:0.0} (after start {r.RssAfterStartMb:0.0}, after the 224 px load {r.RssAfterLoadMb:0.0}) | <= 500 | {T(r.PeakRssMb <= 500)} |");
        Console.WriteLine($"| cold start: process start to first 200 of /predict ms | {r.ColdStartMs:0} | <= 3000 | {T(r.ColdStartMs <= 3000)} |");
        Console.WriteLine();
        Console.WriteLine($"load average at end: {r.LoadAverageEnd}");
    }


    private static string Codes(Summary s) => s.ErrorCodes.Count == 0 ? "" : "(" + string.Join(", ", s.ErrorCodes.Select(kv => $"{kv.Key}: {kv.Value}")) + ")";

    /// <summary>Clients post films round robin (each from its own offset) until the time is up.</summary>
    private static async Task<LoadResult> LoadAsync(HttpClient http, (string Name, byte[] Bytes)[] films, int clients, TimeSpan duration)
    {
        var latencies = new List<double>[clients];
        var errors = new Dictionary<string, int>[clients];
        string? lastCase = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = [];
            var failed = errors[c] = [];
            var i = c * (films.Length / Math.Max(1, clients));
            while (clock.Elapsed < duration)
            {
                var film = films[i++ % films.Length];
                var sw = Stopwatch.StartNew();
                try
                {
                    using var response = await http.PostAsync("/predict", Multipart(film));
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        mine.Add(sw.Elapsed.TotalMilliseconds);
                        lastCase = JsonDocument.Parse(body).RootElement.GetProperty("case_id").GetString();
                    }
                    else
                    {
                        var key = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                        failed[key] = failed.GetValueOrDefault(key) + 1;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failed[e.GetType().Name] = failed.GetValueOrDefault(e.GetType().Name) + 1;
                }
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var codes = errors.SelectMany(e => e).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        return new LoadResult(all, codes, elapsed, lastCase);
    }

    /// <summary>The server's network runs and the films in them so far (cxrqa_inference_batch_films_count / _sum).</summary>
    private static async Task<(double Runs, double Films)> BatchCountersAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        double Value(string name) => text.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(name.Length + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();
        return (Value("cxrqa_inference_batch_films_count"), Value("cxrqa_inference_batch_films_sum"));
    }

    private static HttpContent Multipart((string Name, byte[] Bytes) film)
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(film.Bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(part, "file", film.Name);
        return form;
    }

    private static async Task EnsureOkAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET heatmap answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        _ = await response.Content.ReadAsByteArrayAsync();
    }

    private static (string Name, byte[] Bytes)[] LoadFilms(string dir, int max) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*.jpeg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(max)
                .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))).ToArray()
            : [];

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static IEnumerable<string> Args(string[] args, string name)
    {
        for (var i = 0; i + 1 < args.Length; i++)
            if (args[i] == name)
                yield return args[i + 1];
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CxrQa.sln")))
                return d.FullName;
        return Directory.GetCurrentDirectory();
    }

    internal sealed record LoadResult(double[] SortedMs, Dictionary<string, int> ErrorCodes, double Seconds, string? LastCaseId)
    {
        /// <summary>Slices of one load run as if it had run in one go (answers, errors and seconds added up).</summary>
        public static LoadResult Merge(IReadOnlyList<LoadResult> slices) => new(
            [.. slices.SelectMany(s => s.SortedMs).Order()],
            slices.SelectMany(s => s.ErrorCodes).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value)),
            slices.Sum(s => s.Seconds),
            slices.LastOrDefault(s => s.LastCaseId is not null)?.LastCaseId);
    }

    public sealed record Summary(int Answers, int Errors, Dictionary<string, int> ErrorCodes, double Seconds, double AnswersPerSecond,
        double P50Ms, double P95Ms, double P99Ms, double MaxMs)
    {
        internal static Summary Of(LoadResult r) => new(
            r.SortedMs.Length, r.ErrorCodes.Values.Sum(), r.ErrorCodes, Math.Round(r.Seconds, 2),
            Math.Round(r.SortedMs.Length / r.Seconds, 1),
            Percentile(r.SortedMs, 0.50), Percentile(r.SortedMs, 0.95), Percentile(r.SortedMs, 0.99),
            r.SortedMs.Length == 0 ? double.NaN : Math.Round(r.SortedMs[^1], 1));

        private static double Percentile(double[] sorted, double q) =>
            sorted.Length == 0 ? double.NaN : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 1);
    }

    public sealed record Report(DateTime At, int Cores, string LoadAverageStart, string LoadAverageEnd, Dictionary<string, string> ServerEnvironment,
        int Clients, double Seconds, int SmallFilms, int FullResolutionFilms, double ColdStartMs, Summary Load, Summary FullResolution,
        double HeatmapFirstMs, double HeatmapSecondMs, double PeakRssMb, double EndRssMb, double RssAfterStartMb, double RssAfterLoadMb,
        string Bundle, int Rounds, double[] GraphFilmsPerSecond, double ServerCpuMsPerAnswer, double GraphCpuMsPerFilm,
        double ClientCpuMsPerAnswer, double WarmupMeanBatch, int OperatingBatch, bool OperatingAllowSpinning, double[] OperatingFilmsPerSecond)
    {
        /// <summary>The server's answers/s over what ONNX Runtime alone does with the server's mean batch and spinning
        /// setting (not the issue's bar; it shows how much of the gap is the operating point itself).</summary>
        public double ServerShareOfOperatingPoint => Math.Round(Load.AnswersPerSecond / OperatingFilmsPerSecond.Average(), 3);

        /// <summary>The server's answers/s under load over ONNX Runtime's own batch-8 films/s on the same graph (the mean
        /// of its runs before, between and after the slices of the load).</summary>
        public double ServerShareOfGraph => Math.Round(Load.AnswersPerSecond / GraphFilmsPerSecond.Average(), 3);
    }

    /// <summary>VmHWM (peak resident set) and VmRSS of a process, from /proc/PID/status.</summary>
    private sealed class MemorySampler(int pid)
    {
        public (long HwmKb, long RssKb) Read()
        {
            long hwm = 0, rss = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kb(line);
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
            }
            return (hwm, rss);
        }

        private static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
