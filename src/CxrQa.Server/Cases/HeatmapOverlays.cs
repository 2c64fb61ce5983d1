using System.Collections.Concurrent;
using System.Text.Json;
using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using CxrQa.Core.Pipeline;
using CxrQa.Storage;

namespace CxrQa.Server.Cases;

/// <summary>
/// The Grad-CAM overlay PNG of a case, made on its first request rather than before the /predict answer (rendering and
/// encoding it at a full-resolution film's size costs ~200 ms, more than the screening itself). It is drawn from what
/// the case stores, the film and the 7x7 grid of the answer, then kept in the case folder (written durably, see
/// <see cref="CaseFiles.WriteFileAsync"/>) so that later requests serve the file. Concurrent first requests for the
/// same case share one rendering.
/// </summary>
public sealed class HeatmapOverlays(CaseFiles files, ScreeningService screening, ServerOptions options, FilmDecoder decoder)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string?>>> _rendering = new(StringComparer.Ordinal);

    /// <summary>The overlay file's path, rendering and storing it first when needed; null when the case's film is missing.</summary>
    public async Task<string?> PathAsync(CaseRecord record, CancellationToken cancellationToken)
    {
        var path = files.PathOf(record.Id, record.HeatmapFile);
        if (File.Exists(path))
            return path;
        var rendering = _rendering.GetOrAdd(record.Id, _ => new Lazy<Task<string?>>(() => RenderAsync(record, path)));
        try
        {
            // The rendering is not cancelled with one request: another may be waiting for it, and the file is kept.
            return await rendering.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (rendering.Value.IsCompleted)
                _rendering.TryRemove(new KeyValuePair<string, Lazy<Task<string?>>>(record.Id, rendering));
        }
    }

    private async Task<string?> RenderAsync(CaseRecord record, string path)
    {
        await Task.Yield();
        if (File.Exists(path))
            return path;
        var filmPath = files.PathOf(record.Id, record.FilmFile);
        if (!File.Exists(filmPath))
            return null;
        var bytes = await File.ReadAllBytesAsync(filmPath);
        var png = await Task.Run(() =>
        {
            var film = decoder.Decode(bytes, new DecodeLimits { MaxFileBytes = options.MaxUploadBytes, MaxPixels = options.MaxPixels });
            return FilmOverlay.RenderPng(film.Image, CamOf(record.HeatmapGridJson), screening.Preprocessor.Options);
        });
        await files.WriteFileAsync(record.Id, record.HeatmapFile, png, CancellationToken.None);
        return path;
    }

    /// <summary>The stored 7x7 grid (values in [0, 1], 4 decimals) back as a map; all zero means an empty map.</summary>
    public static CamResult CamOf(string heatmapGridJson)
    {
        var rows = JsonSerializer.Deserialize<double[][]>(heatmapGridJson) ?? [];
        if (rows.Length != CamResult.Side || rows.Any(r => r.Length != CamResult.Side))
            return CamResult.EmptyMap();
        var grid = rows.SelectMany(r => r).Select(v => (float)Math.Clamp(v, 0, 1)).ToArray();
        return grid.All(v => v == 0) ? CamResult.EmptyMap() : new CamResult(grid, Empty: false);
    }
}
