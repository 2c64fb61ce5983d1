using System.Diagnostics;
using CxrQa.Core.Explain;
using SkiaSharp;
using Xunit.Abstractions;

namespace CxrQa.Tests.Explain;

/// <summary>
/// Stopwatch timings of rendering a 2000x2000 film, written to the test output. They take ~30 s, so they are
/// skipped unless <c>CXRQA_TIMINGS=1</c> (run with <c>--filter Category=Timing --logger "console;verbosity=detailed"</c>).
/// Timings are reported, never asserted: shared CI machines make them noisy.
/// </summary>
[Trait("Category", "Timing")]
public sealed class RenderTimings(ITestOutputHelper output)
{
    private const int Size = 2000;
    private const int Runs = 7;

    [TimingFact]
    public void Report_raster_and_png_encode_times_for_a_2000_square_film()
    {
        var film = SyntheticFilm.Chest(Size, Size);
        var rng = new Random(3);
        var grid = Enumerable.Range(0, CamResult.CellCount).Select(_ => (float)rng.NextDouble() * 0.6f).ToArray();
        grid[24] = 1f;
        var cam = new CamResult(grid, Empty: false);
        var options = HeatmapRenderOptions.Default;

        using var overlay = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var layer = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Report("overlay raster", () => HeatmapRasterizer.DrawOverlay(film, cam, options, overlay.GetPixelSpan(), overlay.RowBytes));
        Report("heatmap-only raster", () => HeatmapRasterizer.DrawHeatmap(Size, Size, cam, options, layer.GetPixelSpan(), layer.RowBytes));

        foreach (var (filter, level) in new[]
                 {
                     (SKPngEncoderFilterFlags.AllFilters, 6), (SKPngEncoderFilterFlags.AllFilters, 1),
                     (SKPngEncoderFilterFlags.Up, 1), (SKPngEncoderFilterFlags.Up, 3), (SKPngEncoderFilterFlags.Up, 6),
                     (SKPngEncoderFilterFlags.Sub, 1), (SKPngEncoderFilterFlags.Paeth, 1),
                 })
        {
            foreach (var (name, bitmap) in new[] { ("overlay", overlay), ("heatmap-only", layer) })
            {
                var bytes = 0L;
                Report($"{name} png encode {filter} zlib {level}", () =>
                {
                    using var pixmap = bitmap.PeekPixels();
                    using var data = pixmap.Encode(new SKPngEncoderOptions(filter, level));
                    Assert.NotNull(data);
                    bytes = data.Size;
                }, () => $"{bytes / 1024} KiB");
            }
        }

        Report("RenderOverlayPng end to end (default options)", () => HeatmapRenderer.RenderOverlayPng(film, cam, options));
        Report("RenderHeatmapOnlyPng end to end (default options)", () => HeatmapRenderer.RenderHeatmapOnlyPng(Size, Size, cam, options));
    }

    /// <summary>Wall time and this process's CPU time per run: on a busy shared machine the CPU time is the better
    /// estimate of what the code costs, the wall time of what a caller waits.</summary>
    private void Report(string what, Action action, Func<string>? note = null)
    {
        action(); // warm-up: JIT and first-touch page faults
        var wall = new double[Runs];
        var cpu = new double[Runs];
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < Runs; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            action();
            wall[i] = sw.Elapsed.TotalMilliseconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        }
        Array.Sort(wall);
        Array.Sort(cpu);
        output.WriteLine(
            $"{what}: wall median {wall[Runs / 2]:F1} ms (min {wall[0]:F1}), cpu median {cpu[Runs / 2]:F1} ms (min {cpu[0]:F1}) {note?.Invoke()}");
    }
}

/// <summary>A fact that runs only when <c>CXRQA_TIMINGS=1</c>, and shows as skipped otherwise.</summary>
public sealed class TimingFactAttribute : FactAttribute
{
    public TimingFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CXRQA_TIMINGS") != "1")
            Skip = "timings only: set CXRQA_TIMINGS=1 to measure";
    }
}
