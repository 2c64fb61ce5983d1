using CxrQa.Core.Explain;

namespace CxrQa.Tests.Explain;

/// <summary>Seeded random activations and head weights shaped like the ResNet18 serving graph's.</summary>
internal static class CamTestData
{
    public const int Channels = 512;

    /// <summary>Post-ReLU activations: half the entries zero, the rest |N(0,1)|, as a last ResNet block gives.</summary>
    public static float[] FeatureMap(int seed, int channels = Channels)
    {
        var rng = new Random(seed);
        var map = new float[channels * CamResult.CellCount];
        for (var i = 0; i < map.Length; i++)
            map[i] = (float)Math.Max(0.0, Gaussian(rng));
        return map;
    }

    /// <summary>Head weights of mixed sign, of the size a trained linear head has.</summary>
    public static float[] Weights(int seed, int channels = Channels)
    {
        var rng = new Random(seed);
        var w = new float[channels];
        for (var i = 0; i < w.Length; i++)
            w[i] = (float)(0.05 * Gaussian(rng));
        return w;
    }

    public static double Gaussian(Random rng)
    {
        // Box-Muller; 1 - NextDouble() keeps the log's argument in (0, 1].
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best])
                best = i;
        return best;
    }
}
