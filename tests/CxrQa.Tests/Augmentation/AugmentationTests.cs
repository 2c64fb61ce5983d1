using CxrQa.Core.Augmentation;

namespace CxrQa.Tests.Augmentation;

public sealed class AugmentationTests
{
    private const int Size = 224;

    /// <summary>A film-like test image: a gradient with a disc, levels within [Low, High].</summary>
    private static byte[] Image(int low = 40, int high = 210)
    {
        var pixels = new byte[Size * Size];
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
            {
                var v = low + (high - low) * (0.6 * x / (Size - 1.0) + 0.2 * y / (Size - 1.0));
                if ((x - 150) * (x - 150) + (y - 80) * (y - 80) < 30 * 30) v = high;
                pixels[y * Size + x] = (byte)Math.Round(v);
            }
        return pixels;
    }

    [Fact]
    public void Geometry_at_zero_strength_is_the_identity()
    {
        var image = Image();
        Assert.Equal(image, GeometricJitter.Apply(image, Size, Size, 0, 1, 0, 0, false));
        // Also through the sampling path (a rotation of 0 by a non-short-circuited call: scale 1 + 0).
        Assert.Equal(image, GeometricJitter.Apply(image, Size, Size, 1e-12, 1, 0, 0, false));
    }

    [Fact]
    public void Whole_pixel_translation_moves_content_exactly()
    {
        var image = Image();
        var shifted = GeometricJitter.Apply(image, Size, Size, 0, 1, 10.0 / Size, 0, false);
        for (var y = 0; y < Size; y++)
            for (var x = 10; x < Size; x++)
                Assert.Equal(image[y * Size + x - 10], shifted[y * Size + x]);
        // Left of the shifted content, the edge column is replicated.
        Assert.Equal(image[5 * Size], shifted[5 * Size + 3]);
    }

    [Fact]
    public void Flip_mirrors_columns_and_twice_is_the_identity()
    {
        var image = Image();
        var flipped = GeometricJitter.Apply(image, Size, Size, 0, 1, 0, 0, true);
        Assert.Equal(image[7 * Size + 0], flipped[7 * Size + Size - 1]);
        Assert.Equal(image, GeometricJitter.Apply(flipped, Size, Size, 0, 1, 0, 0, true));
    }

    [Theory]
    [InlineData(7, 1.1, 0.06, -0.06)]
    [InlineData(-7, 0.9, -0.06, 0.06)]
    public void Geometry_and_blur_stay_within_the_input_range(double rotation, double scale, double tx, double ty)
    {
        var image = Image(low: 50, high: 200);
        var moved = GeometricJitter.Apply(image, Size, Size, rotation, scale, tx, ty, false);
        Assert.InRange(moved.Min(), (byte)50, (byte)200);
        Assert.InRange(moved.Max(), (byte)50, (byte)200);
        Assert.NotEqual(image, moved);
        BlurAndNoise.GaussianBlurInPlace(moved, Size, Size, 1.0);
        Assert.InRange(moved.Min(), (byte)50, (byte)200);
        Assert.InRange(moved.Max(), (byte)50, (byte)200);
    }

    [Fact]
    public void Photometric_at_zero_strength_is_the_identity_and_monotone_otherwise()
    {
        Assert.Equal(Enumerable.Range(0, 256).Select(i => (byte)i), PhotometricJitter.Table(0, 1, 1));
        foreach (var (b, c, g) in new[] { (0.1, 1.25, 0.8), (-0.1, 0.8, 1.25), (0.0, 1.0, 1.25) })
        {
            var table = PhotometricJitter.Table(b, c, g);
            for (var i = 1; i < 256; i++)
                Assert.True(table[i] >= table[i - 1], $"table not monotone at {i} for b {b} c {c} g {g}");
        }
        // Brightness +0.1 lifts mid-gray by ~25 levels; gamma < 1 brightens; contrast > 1 spreads around 0.5.
        Assert.InRange((int)PhotometricJitter.Table(0.1, 1, 1)[128], 153, 155);
        Assert.True(PhotometricJitter.Table(0, 1, 0.8)[64] > 64);
        Assert.True(PhotometricJitter.Table(0, 1.25, 1)[200] > 200 && PhotometricJitter.Table(0, 1.25, 1)[50] < 50);
    }

    [Fact]
    public void Blur_and_noise_at_zero_strength_are_the_identity_and_blur_keeps_a_flat_image()
    {
        var image = Image();
        var copy = image.ToArray();
        BlurAndNoise.GaussianBlurInPlace(copy, Size, Size, 0);
        BlurAndNoise.GaussianNoiseInPlace(copy, 0, new Random(1));
        Assert.Equal(image, copy);
        var flat = Enumerable.Repeat((byte)117, Size * Size).ToArray();
        BlurAndNoise.GaussianBlurInPlace(flat, Size, Size, 1.0);
        Assert.All(flat, v => Assert.Equal(117, v));
    }

    [Fact]
    public void Noise_has_about_the_requested_spread()
    {
        var flat = Enumerable.Repeat((byte)128, Size * Size).ToArray();
        BlurAndNoise.GaussianNoiseInPlace(flat, 5, new Random(3));
        var mean = flat.Average(v => (double)v);
        var sd = Math.Sqrt(flat.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 127.8, 128.2);
        Assert.InRange(sd, 4.7, 5.3);
    }

    [Fact]
    public void Augmenter_with_no_jitter_is_the_identity()
    {
        var image = Image();
        Assert.Equal(image, new FilmAugmenter(AugmentationOptions.None).Augment(image, Size, seed: 5, epoch: 3, index: 9));
    }

    [Fact]
    public void Augmenter_is_deterministic_per_seed_epoch_and_index()
    {
        var image = Image();
        var augmenter = new FilmAugmenter(AugmentationOptions.Default);
        var a = augmenter.Augment(image, Size, 42, 1, 7);
        Assert.Equal(a, augmenter.Augment(image, Size, 42, 1, 7));
        Assert.NotEqual(a, augmenter.Augment(image, Size, 42, 1, 8));
        Assert.NotEqual(a, augmenter.Augment(image, Size, 42, 2, 7));
        Assert.NotEqual(a, augmenter.Augment(image, Size, 43, 1, 7));
        Assert.Equal(Image(), image); // the input is untouched
    }

    [Fact]
    public void Drawn_parameters_stay_within_their_ranges()
    {
        var o = AugmentationOptions.Default;
        var augmenter = new FilmAugmenter(o);
        var random = new Random(11);
        var draws = Enumerable.Range(0, 2000).Select(_ => augmenter.Draw(random)).ToList();
        Assert.All(draws, p =>
        {
            Assert.InRange(p.RotationDegrees, -o.RotationDegrees, o.RotationDegrees);
            Assert.InRange(p.Scale, o.ScaleMin, o.ScaleMax);
            Assert.InRange(p.TranslateX, -o.Translation, o.Translation);
            Assert.InRange(p.TranslateY, -o.Translation, o.Translation);
            Assert.InRange(p.Brightness, -o.Brightness, o.Brightness);
            Assert.InRange(p.Contrast, o.ContrastMin, o.ContrastMax);
            Assert.InRange(p.Gamma, o.GammaMin, o.GammaMax);
            Assert.InRange(p.BlurSigma, 0, o.BlurSigmaMax);
            Assert.InRange(p.NoiseSigma, 0, o.NoiseSigmaMax);
            Assert.False(p.Flip);
            Assert.False(p.BlurSigma > 0 && p.NoiseSigma > 0);
        });
        Assert.InRange(draws.Count(p => p.BlurSigma > 0) / 2000.0, 0.3, 0.4);
        Assert.Contains(draws, p => p.NoiseSigma > 0);
        var flips = new FilmAugmenter(o with { HorizontalFlip = true });
        var flipRandom = new Random(2);
        Assert.InRange(Enumerable.Range(0, 1000).Count(_ => flips.Draw(flipRandom).Flip), 400, 600);
    }

    [Fact]
    public void Seed_mixer_separates_nearby_inputs()
    {
        var seeds = new HashSet<int>();
        for (var e = 0; e < 10; e++)
            for (var i = 0; i < 100; i++)
                seeds.Add(SeedMixer.Mix(42, e, i));
        Assert.Equal(1000, seeds.Count);
        Assert.Equal(SeedMixer.Mix(42, 3, 5), SeedMixer.Mix(42, 3, 5));
    }
}
