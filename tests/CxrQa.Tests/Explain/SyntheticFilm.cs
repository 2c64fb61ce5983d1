using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using SkiaSharp;

namespace CxrQa.Tests.Explain;

/// <summary>Made-up films and CAMs for rendering tests: never a dataset image.</summary>
internal static class SyntheticFilm
{
    /// <summary>A chest-film-like picture: bright body, two dark lung fields, a bright mediastinum, faint ribs.</summary>
    public static GrayImage Chest(int width, int height)
    {
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var v = (y + 0.5) / height;
            for (var x = 0; x < width; x++)
            {
                var u = (x + 0.5) / width;
                var value = 150.0 + 40.0 * v;
                var inLung = Ellipse(u, v, 0.30, 0.45, 0.16, 0.32) || Ellipse(u, v, 0.70, 0.45, 0.16, 0.32);
                if (inLung)
                    value = 45.0 + 30.0 * Math.Max(0.0, Math.Sin(v * 40.0)); // ribs across the dark lungs
                if (Math.Abs(u - 0.5) < 0.07 && v > 0.15)
                    value = 215.0;
                pixels[y * width + x] = (byte)Math.Clamp(value, 0.0, 255.0);
            }
        }
        return new GrayImage(width, height, pixels);
    }

    /// <summary>A CAM with one hot cell and zeros around it (so most of the film has v = 0 exactly).</summary>
    public static CamResult OneHotSpot(int row, int column)
    {
        var grid = new float[CamResult.CellCount];
        grid[row * CamResult.Side + column] = 1f;
        return new CamResult(grid, Empty: false);
    }

    /// <summary>Decodes a PNG to unpremultiplied RGBA bytes.</summary>
    public static (int Width, int Height, byte[] Rgba) DecodeRgba(byte[] png)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(png)) ?? throw new InvalidDataException("not an image");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = SKBitmap.Decode(codec, info) ?? throw new InvalidDataException("undecodable");
        Assert.Equal(info.Width * 4, bitmap.RowBytes);
        return (info.Width, info.Height, bitmap.GetPixelSpan().ToArray());
    }

    private static bool Ellipse(double u, double v, double cu, double cv, double ru, double rv)
        => Math.Pow((u - cu) / ru, 2) + Math.Pow((v - cv) / rv, 2) <= 1.0;
}
