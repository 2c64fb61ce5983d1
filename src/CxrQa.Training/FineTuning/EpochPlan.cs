using CxrQa.Core.Augmentation;

namespace CxrQa.Training.FineTuning;

/// <summary>The films of one epoch, in order, as indices into the training list; reproducible from (seed, epoch).</summary>
public static class EpochPlan
{
    public static int[] Order(IReadOnlyList<int> labels, ClassBalancing balancing, int seed, int epoch)
    {
        var random = SeedMixer.Random(seed, epoch, -1);
        if (balancing == ClassBalancing.PosWeight)
        {
            var order = Enumerable.Range(0, labels.Count).ToArray();
            random.Shuffle(order);
            return order;
        }
        var byClass = Enumerable.Range(0, 2).Select(c => Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToArray()).ToArray();
        if (byClass.Any(c => c.Length == 0))
            throw new InvalidOperationException("balanced sampling needs films of both classes in the training part");
        var drawn = new int[labels.Count];
        for (var k = 0; k < drawn.Length; k++)
        {
            var pool = byClass[random.Next(2)];
            drawn[k] = pool[random.Next(pool.Length)];
        }
        return drawn;
    }
}
