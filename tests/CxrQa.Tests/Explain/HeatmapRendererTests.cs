using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Explain;

public sealed class HeatmapRendererTests
{
    [Theory]
    [InlineData(224, 224)]
    [InlineData(1800, 2100)]
    [InlineData(333, 97)]
    public void Overlay_png_has_the_film_size(int width, int height)
    {
        var film = SyntheticFilm.Chest(width, height);

        var png = HeatmapRenderer.RenderOverlayPng(film, SyntheticFilm.OneHotSpot(3, 4));

        var (w, h, rgba) = SyntheticFilm.DecodeRgba(png);
        Assert.Equal((width, height), (w, h));
        for (var i = 3; i < rgba.Length; i += 4)
            Assert.Equal(255, rgba[i]);
    }

    [Theory]
    [InlineData(224, 224)]
    [InlineData(1800, 2100)]
    public void Heatmap_only_png_has_the_film_size(int width, int height)
    {
        var png = HeatmapRenderer.RenderHeatmapOnlyPng(width, height, SyntheticFilm.OneHotSpot(3, 4));

        var (w, h, _) = SyntheticFilm.DecodeRgba(png);
        Assert.Equal((width, height), (w, h));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Empty_map_renders_the_plain_film(bool opacityFollowsValue)
    {
        var film = SyntheticFilm.Chest(301, 257);
        var options = new HeatmapRenderOptions { OpacityFollowsValue = opacityFollowsValue };

        var (_, _, rgba) = SyntheticFilm.DecodeRgba(HeatmapRenderer.RenderOverlayPng(film, CamResult.EmptyMap(), options));

        AssertGray(film, rgba);
        var (_, _, layer) = SyntheticFilm.DecodeRgba(HeatmapRenderer.RenderHeatmapOnlyPng(301, 257, CamResult.EmptyMap(), options));
        Assert.All(layer, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Cold_pixels_show_the_film_and_hot_pixels_the_blend()
    {
        // 7 x odd multiples put pixel centres exactly on the grid's cell centres, so the hot cell reaches v = 1.
        var film = SyntheticFilm.Chest(343, 427);
        var cam = SyntheticFilm.OneHotSpot(3, 2);
        var values = BilinearUpsampler.Upsample(cam.Grid, CamResult.Side, CamResult.Side, film.Width, film.Height);

        var (_, _, rgba) = SyntheticFilm.DecodeRgba(HeatmapRenderer.RenderOverlayPng(film, cam));

        var (hotR, hotG, hotB) = Colormaps.Jet(1.0);
        int cold = 0, hot = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var gray = film.Pixels[i];
            var (r, g, b) = (rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]);
            if (values[i] == 0f)
            {
                cold++;
                Assert.Equal((gray, gray, gray), (r, g, b));
            }
            else if (values[i] < 0.02f)
            {
                Assert.InRange(Math.Abs(r - gray) + Math.Abs(g - gray) + Math.Abs(b - gray), 0, 3 * 3);
            }
            else if (values[i] >= 0.999f)
            {
                hot++;
                // Default opacity 0.5 at the peak.
                Assert.InRange(r, (gray + hotR) / 2 - 2, (gray + hotR) / 2 + 2);
                Assert.InRange(g, (gray + hotG) / 2 - 2, (gray + hotG) / 2 + 2);
                Assert.InRange(b, (gray + hotB) / 2 - 2, (gray + hotB) / 2 + 2);
            }
        }
        Assert.True(cold > values.Length / 2, "most of a one-cell map is cold");
        Assert.True(hot > 0, "the hot cell's centre reaches v = 1");
    }

    [Fact]
    public void Uniform_opacity_tints_cold_pixels_dark_blue()
    {
        var film = SyntheticFilm.Chest(140, 140);
        var options = new HeatmapRenderOptions { Opacity = 0.4, OpacityFollowsValue = false };

        var (_, _, rgba) = SyntheticFilm.DecodeRgba(HeatmapRenderer.RenderOverlayPng(film, SyntheticFilm.OneHotSpot(6, 6), options));

        // Pixel (0, 0) is cold: 0.6 * gray + 0.4 * (0, 0, 128).
        var gray = film.Pixels[0];
        Assert.InRange(rgba[0], 0.6 * gray - 1, 0.6 * gray + 1);
        Assert.InRange(rgba[2], 0.6 * gray + 0.4 * 128 - 1, 0.6 * gray + 0.4 * 128 + 1);
    }

    [Fact]
    public void Heatmap_layer_stacked_over_the_film_looks_like_the_overlay()
    {
        var film = SyntheticFilm.Chest(211, 190);
        var rng = new Random(7);
        var grid = Enumerable.Range(0, CamResult.CellCount).Select(_ => (float)rng.NextDouble()).ToArray();
        grid[20] = 1f;
        var cam = new CamResult(grid, Empty: false);

        var (_, _, overlay) = SyntheticFilm.DecodeRgba(HeatmapRenderer.RenderOverlayPng(film, cam));
        var (_, _, layer) = SyntheticFilm.DecodeRgba(HeatmapRenderer.RenderHeatmapOnlyPng(film.Width, film.Height, cam));

        for (var i = 0; i < film.Pixels.Length; i++)
        {
            var a = layer[4 * i + 3] / 255.0;
            for (var ch = 0; ch < 3; ch++)
            {
                var stacked = (1 - a) * film.Pixels[i] + a * layer[4 * i + ch];
                Assert.InRange(overlay[4 * i + ch], stacked - 2, stacked + 2);
            }
        }
    }

    [Fact]
    public void Rasterizer_rejects_a_buffer_too_small_for_the_film()
    {
        var film = SyntheticFilm.Chest(20, 10);
        Assert.Throws<ArgumentException>(() =>
            HeatmapRasterizer.DrawOverlay(film, CamResult.EmptyMap(), HeatmapRenderOptions.Default, new byte[20 * 10 * 4 - 1], 80));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            HeatmapRenderer.RenderOverlayPng(film, CamResult.EmptyMap(), new HeatmapRenderOptions { Opacity = 1.5 }));
    }

    private static void AssertGray(GrayImage film, byte[] rgba)
    {
        for (var i = 0; i < film.Pixels.Length; i++)
        {
            var g = film.Pixels[i];
            Assert.Equal((g, g, g, (byte)255), (rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2], rgba[4 * i + 3]));
        }
    }
}
