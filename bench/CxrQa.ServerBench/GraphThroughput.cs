using System.Diagnostics;
using CxrQa.Core.Model;
using CxrQa.Core.Pipeline;

namespace CxrQa.ServerBench;

/// <summary>
/// ONNX Runtime alone on the served graph: batches of real prepared films (decoded, CLAHE, network input), run back to
/// back for a given time in the bench's own process while the server is idle. The reference the issue compares the
/// server's answers/s with (issue 15: at least 85 %) is batch 8 with ONNX Runtime's default session settings; the
/// bench also runs the graph at the server's operating point (its mean batch, its spinning setting) to show what
/// ONNX Runtime alone does under the server's conditions. Measured in the same run so both see the same machine.
/// </summary>
internal sealed class GraphThroughput : IDisposable
{
    public const int MaxBatch = 8;
    private readonly ModelBundle _model;
    private readonly float[] _input;
    private readonly int _filmLength;
    private double _cpuSeconds;
    private long _films;

    private GraphThroughput(ModelBundle model, float[] input, int filmLength)
    {
        _model = model;
        _input = input;
        _filmLength = filmLength;
    }

    public string BundleName => _model.Card.Name;

    /// <summary>CPU time of this process per film over every <see cref="FilmsPerSecond"/> run so far (ONNX Runtime's
    /// threads; the server idles meanwhile, and the load clients of this process are not running).</summary>
    public double CpuMsPerFilm => _films == 0 ? double.NaN : 1000 * _cpuSeconds / _films;

    /// <summary>Loads the bundle the server will serve (the same resolution: CXRQA_MODEL from the server's environment,
    /// else the shipped bundle) and prepares a batch from <paramref name="films"/>.</summary>
    public static GraphThroughput Load(string repo, IReadOnlyDictionary<string, string> serverEnvironment, IReadOnlyList<(string Name, byte[] Bytes)> films,
        bool allowSpinning = true)
    {
        var dir = serverEnvironment.TryGetValue("CXRQA_MODEL", out var m) && m.Length > 0
            ? Path.GetFullPath(m, repo)
            : Path.Combine(repo, "models", ModelLocator.ShippedBundleName);
        var model = ModelBundle.Load(ModelLocator.Resolve(dir), new ModelRuntimeOptions { MaxBatch = MaxBatch, AllowSpinning = allowSpinning });
        var service = ScreeningService.Create(model, new ScreeningOptions());
        var size = model.Card.Preprocessing.InputSize;
        var length = 3 * size * size;
        var input = new float[MaxBatch * length];
        for (var k = 0; k < MaxBatch; k++)
        {
            var film = service.Decode(films[k % films.Count].Bytes);
            service.Preprocessor.WriteModelInput(service.Preprocessor.Enhance(film.Image), input.AsSpan(k * length, length));
        }
        return new GraphThroughput(model, input, length);
    }

    /// <summary>Films per second over batches of <paramref name="batch"/> run for <paramref name="duration"/> (after two
    /// warm-up batches).</summary>
    public double FilmsPerSecond(TimeSpan duration, int batch = MaxBatch)
    {
        batch = Math.Clamp(batch, 1, MaxBatch);
        var input = _input.AsSpan(0, batch * _filmLength);
        for (var i = 0; i < 2; i++)
            _model.Run(input, batch);
        var films = 0;
        var cpu = ProcessCpu.Seconds(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            _model.Run(input, batch);
            films += batch;
        }
        var wall = clock.Elapsed.TotalSeconds;
        _cpuSeconds += ProcessCpu.Seconds(Environment.ProcessId) - cpu;
        _films += films;
        return films / wall;
    }

    public void Dispose() => _model.Dispose();
}
