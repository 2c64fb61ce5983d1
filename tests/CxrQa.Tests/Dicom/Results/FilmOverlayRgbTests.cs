using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using SkiaSharp;

namespace CxrQa.Tests.Dicom.Results;

/// <summary>The overlay's RGB pixels for the Secondary Capture are the same picture as the overlay PNG the review
/// page shows.</summary>
public sealed class FilmOverlayRgbTests
{
    [Fact]
    public void RgbFrameMatchesTheOverlayPngPixelForPixel()
    {
        var pixels = new byte[37 * 23];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(i * 13 % 251);
        var film = new GrayImage(37, 23, pixels);
        var grid = Enumerable.Range(0, CamResult.CellCount).Select(i => i / (float)(CamResult.CellCount - 1)).ToArray();
        var cam = new CamResult(grid, Empty: false);
        var preprocessing = new PreprocessingOptions();

        var frame = FilmOverlay.RenderRgb(film, cam, preprocessing);
        using var png = SKBitmap.Decode(FilmOverlay.RenderPng(film, cam, preprocessing));

        Assert.Equal((37, 23), (frame.Width, frame.Height));
        frame.Validate();
        for (var y = 0; y < 23; y++)
            for (var x = 0; x < 37; x++)
            {
                var c = png.GetPixel(x, y);
                var i = 3 * (y * 37 + x);
                Assert.Equal((c.Red, c.Green, c.Blue), (frame.Rgb[i], frame.Rgb[i + 1], frame.Rgb[i + 2]));
            }
        Assert.True(frame.Rgb.Where((_, i) => i % 3 == 0).Zip(frame.Rgb.Where((_, i) => i % 3 == 2)).Any(p => p.First != p.Second),
            "the heatmap colours the film");
    }
}
