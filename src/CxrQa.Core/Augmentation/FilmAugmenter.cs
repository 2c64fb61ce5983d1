using CxrQa.Core.Imaging;

namespace CxrQa.Core.Augmentation;

/// <summary>
/// Augments one training film: draws <see cref="AugmentationParameters"/> from <see cref="AugmentationOptions"/> with
/// a generator seeded by (seed, epoch, index), then applies geometry, exposure, and blur or noise.
/// <para>Why after CLAHE, on the 224x224 enhanced image: every film is decoded and enhanced once and kept in memory
/// (decoding and CLAHE per step would cost more than the network on 2 cores). The jitter therefore models shift as it
/// reaches the network after our preprocessing (CLAHE equalises much of the global exposure difference, the residual
/// contrast/gamma difference is what we simulate), not a re-run of CLAHE on a differently exposed raw film.</para>
/// </summary>
/// <param name="enhance">The serving enhancement (CLAHE) of a Size x Size unenhanced film: a framing crop is taken from
/// the unenhanced film and enhanced afterwards, as a tighter acquisition would be. Null: crops are taken from the
/// enhanced film.</param>
public sealed class FilmAugmenter(AugmentationOptions options, Func<GrayImage, GrayImage>? enhance = null)
{
    public AugmentationOptions Options { get; } = options;

    public AugmentationParameters Draw(Random random)
    {
        var o = Options;
        double Uniform(double lo, double hi) => hi <= lo ? lo : lo + (hi - lo) * random.NextDouble();
        // Contrast and gamma are drawn log-uniformly, so 0.8 and 1.25 are equally likely extremes around 1.
        double LogUniform(double lo, double hi) => hi <= lo ? lo : Math.Exp(Uniform(Math.Log(lo), Math.Log(hi)));
        var rotation = Uniform(-o.RotationDegrees, o.RotationDegrees);
        var scale = LogUniform(o.ScaleMin, o.ScaleMax);
        var tx = Uniform(-o.Translation, o.Translation);
        var ty = Uniform(-o.Translation, o.Translation);
        var flip = o.HorizontalFlip && random.NextDouble() < 0.5;
        var brightness = Uniform(-o.Brightness, o.Brightness);
        var contrast = LogUniform(o.ContrastMin, o.ContrastMax);
        var gamma = LogUniform(o.GammaMin, o.GammaMax);
        var pick = random.NextDouble();
        var blur = pick < o.BlurProbability ? Uniform(0, o.BlurSigmaMax) : 0;
        var noise = pick >= o.BlurProbability && pick < o.BlurProbability + (1 - o.BlurProbability) * o.NoiseProbability
            ? Uniform(0, o.NoiseSigmaMax) : 0;
        var framing = o.FramingProbability > 0 && random.NextDouble() < o.FramingProbability
            ? FramingCrop.Draw(random, o.FramingAreaMin, o.FramingAspectMax) : FramingCrop.Full;
        return new AugmentationParameters(rotation, scale, tx, ty, flip, brightness, contrast, gamma, blur, noise, framing);
    }

    /// <summary>The augmented copy of <paramref name="pixels"/> (size x size, enhanced); the input is not changed.</summary>
    /// <param name="unenhanced">The same film before enhancement (size x size), the source of framing crops; empty:
    /// crops come from <paramref name="pixels"/>.</param>
    public byte[] Augment(ReadOnlySpan<byte> pixels, int size, int seed, int epoch, int index, ReadOnlySpan<byte> unenhanced = default)
    {
        var random = SeedMixer.Random(seed, epoch, index);
        var p = Draw(random);
        if (p.Framing.IsFull) return Apply(pixels, size, p, random);
        var framed = !unenhanced.IsEmpty && enhance is not null
            ? enhance(new GrayImage(size, size, p.Framing.Apply(unenhanced, size, size, size, size))).Pixels
            : p.Framing.Apply(pixels, size, size, size, size);
        return Apply(framed, size, p, random);
    }

    /// <summary>Geometry, exposure, blur and noise of <paramref name="p"/> (its framing crop is applied by the caller,
    /// before enhancement).</summary>
    /// <param name="noiseRandom">Draws the noise field (only used when <see cref="AugmentationParameters.NoiseSigma"/> &gt; 0).</param>
    public static byte[] Apply(ReadOnlySpan<byte> pixels, int size, AugmentationParameters p, Random noiseRandom)
    {
        var result = GeometricJitter.Apply(pixels, size, size, p.RotationDegrees, p.Scale, p.TranslateX, p.TranslateY, p.Flip);
        PhotometricJitter.ApplyInPlace(result, p.Brightness, p.Contrast, p.Gamma);
        BlurAndNoise.GaussianBlurInPlace(result, size, size, p.BlurSigma);
        BlurAndNoise.GaussianNoiseInPlace(result, p.NoiseSigma, noiseRandom);
        return result;
    }
}
