namespace CxrQa.Core.Augmentation;

/// <summary>
/// Derives an independent, reproducible seed from (seed, epoch, index) with SplitMix64, so a film's augmentation and
/// an epoch's order depend only on those numbers: not on thread timing, batch composition or whether the run resumed.
/// </summary>
public static class SeedMixer
{
    public static int Mix(int seed, int epoch, int index)
    {
        var x = SplitMix((ulong)(uint)seed);
        x = SplitMix(x ^ (ulong)(uint)epoch);
        x = SplitMix(x ^ (ulong)(uint)index);
        return (int)(x >> 33);
    }

    public static Random Random(int seed, int epoch, int index) => new(Mix(seed, epoch, index));

    private static ulong SplitMix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
