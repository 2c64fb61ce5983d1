namespace CxrQa.Core.Data;

/// <summary>
/// Deals whole patients into parts of given sizes so that each part gets close to its share of every class.
/// Pure and seeded: the same inputs and seed give the same assignment on every machine (System.Random with a
/// seed uses a fixed legacy algorithm).
/// </summary>
public static class StratifiedGroupPartitioner
{
    /// <param name="labels">Class of each item (0 or 1).</param>
    /// <param name="groups">Patient of each item; items of one patient always land in one part.</param>
    /// <param name="fractions">Target share of each part (positive, summing to 1).</param>
    /// <param name="seed">Orders patients of equal size; change it to get a different but equally balanced split.</param>
    /// <returns>The part index of each item.</returns>
    public static int[] Assign(IReadOnlyList<int> labels, IReadOnlyList<string> groups, IReadOnlyList<double> fractions, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(fractions);
        if (labels.Count != groups.Count)
            throw new ArgumentException($"{labels.Count} labels but {groups.Count} patient ids", nameof(groups));
        if (fractions.Count < 1 || fractions.Any(f => !(f > 0)) || Math.Abs(fractions.Sum() - 1) > 1e-9)
            throw new ArgumentException("fractions must be positive and sum to 1", nameof(fractions));

        var patients = CountByPatient(labels, groups);
        Shuffle(patients, new Random(seed));
        // Largest patients first: they are the hardest to place, and small ones then even out what they leave.
        // OrderByDescending is stable, so the seeded shuffle decides among patients of equal size.
        var order = patients.OrderByDescending(p => p.Normal + p.Pneumonia).ToList();

        var totals = new[] { labels.Count(l => l == BinaryLabel.Normal), labels.Count(l => l == BinaryLabel.Pneumonia) };
        var parts = fractions.Count;
        var filled = new int[parts, 2];
        var partOfPatient = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in order)
        {
            int best = -1;
            double bestCost = double.PositiveInfinity, bestSize = double.PositiveInfinity;
            for (var f = 0; f < parts; f++)
            {
                // Cost: how full this part would be, relative to its target, in the classes this patient brings.
                var cost = FillCost(filled[f, 0] + p.Normal, totals[0] * fractions[f], p.Normal)
                         + FillCost(filled[f, 1] + p.Pneumonia, totals[1] * fractions[f], p.Pneumonia);
                var size = (filled[f, 0] + filled[f, 1]) / fractions[f];
                if (cost < bestCost - 1e-12 || (Math.Abs(cost - bestCost) <= 1e-12 && size < bestSize))
                    (best, bestCost, bestSize) = (f, cost, size);
            }
            filled[best, 0] += p.Normal;
            filled[best, 1] += p.Pneumonia;
            partOfPatient[p.Id] = best;
        }

        var result = new int[labels.Count];
        for (var i = 0; i < result.Length; i++) result[i] = partOfPatient[groups[i]];
        return result;
    }

    private static double FillCost(int filledAfter, double target, int added) =>
        added == 0 ? 0 : added * filledAfter / Math.Max(target, 1e-9);

    private sealed record PatientCounts(string Id, int Normal, int Pneumonia);

    private static List<PatientCounts> CountByPatient(IReadOnlyList<int> labels, IReadOnlyList<string> groups)
    {
        var counts = new Dictionary<string, (int Normal, int Pneumonia)>(StringComparer.Ordinal);
        var firstSeen = new List<string>();
        for (var i = 0; i < labels.Count; i++)
        {
            var id = groups[i] ?? throw new ArgumentException($"patient id {i} is null", nameof(groups));
            if (!counts.TryGetValue(id, out var c)) firstSeen.Add(id);
            counts[id] = labels[i] switch
            {
                BinaryLabel.Normal => (c.Normal + 1, c.Pneumonia),
                BinaryLabel.Pneumonia => (c.Normal, c.Pneumonia + 1),
                _ => throw new ArgumentException($"label {i} is {labels[i]}; expected 0 or 1", nameof(labels)),
            };
        }
        // Sorting the ids removes any dependence on the order the items came in.
        firstSeen.Sort(StringComparer.Ordinal);
        return firstSeen.Select(id => new PatientCounts(id, counts[id].Normal, counts[id].Pneumonia)).ToList();
    }

    private static void Shuffle<T>(IList<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
