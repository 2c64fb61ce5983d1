using System.Text.Json;
using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using CxrQa.Core.Pipeline;
using CxrQa.Storage;

namespace CxrQa.Server.Cases;

/// <summary>
/// The Grad-CAM overlay PNG of a case, made on its first request rather than before the /predict answer (rendering and
/// encoding it at a full-resolution film's size costs ~200 ms, more than the screening itself). It is drawn from what
/// the case stores, the film and the 7x7 grid of the answer, then kept in the case folder (<see cref="CaseRenderings"/>:
/// once, bounded, durable).
/// </summary>
public sealed class HeatmapOverlays(CaseRenderings renderings, ScreeningService screening, FilmLimits limits, FilmDecoder decoder)
{
    /// <summary>The overlay file's path, rendering and storing it first when needed; null when the case's film is missing.</summary>
    public Task<string?> PathAsync(CaseRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return renderings.PathAsync(record, record.HeatmapFile, film =>
        {
            // The overlay is drawn at the film's own size, so it decodes in full under the screening's limits.
            var decoded = decoder.Decode(film, limits.Screening);
            return FilmOverlay.RenderPng(decoded.Image, CamOf(record.HeatmapGridJson), screening.Preprocessor.Options);
        }, cancellationToken);
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
