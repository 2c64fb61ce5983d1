using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Imaging;

public sealed class JpegRoundTripTests
{
    private static GrayImage Gradient(int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[96 * 80];
        for (var y = 0; y < 80; y++)
            for (var x = 0; x < 96; x++)
                pixels[y * 96 + x] = (byte)Math.Clamp(x * 2 + y + random.Next(-20, 21), 0, 255);
        return new GrayImage(96, 80, pixels);
    }

    private static double Rmse(GrayImage a, GrayImage b) =>
        Math.Sqrt(a.Pixels.Zip(b.Pixels, (p, q) => (double)(p - q) * (p - q)).Average());

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Keeps_the_size_and_loses_more_at_lower_quality(int seed)
    {
        var film = Gradient(seed);
        var q95 = JpegRoundTrip.Apply(film, 95);
        var q75 = JpegRoundTrip.Apply(film);
        var q30 = JpegRoundTrip.Apply(film, 30);
        Assert.Equal((film.Width, film.Height), (q75.Width, q75.Height));
        Assert.True(Rmse(film, q95) < Rmse(film, q75) && Rmse(film, q75) < Rmse(film, q30),
            $"rmse q95 {Rmse(film, q95):0.00}, q75 {Rmse(film, q75):0.00}, q30 {Rmse(film, q30):0.00}");
        Assert.True(Rmse(film, q75) < 12, "quality 75 keeps the film recognisable");
    }

    [Fact]
    public void A_flat_film_survives_unchanged()
    {
        var flat = new GrayImage(64, 64, Enumerable.Repeat((byte)117, 64 * 64).ToArray());
        Assert.All(JpegRoundTrip.Apply(flat).Pixels, p => Assert.InRange(p, 116, 118));
    }
}
