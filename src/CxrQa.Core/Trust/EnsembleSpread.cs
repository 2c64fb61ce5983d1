namespace CxrQa.Core.Trust;

/// <summary>How much an ensemble's members disagree on one film: the standard deviation of their logits (0 for a
/// single network). Members trained from different seeds agree on films like their training data and part ways on
/// films unlike it, which is why deep ensembles are the strongest simple uncertainty baseline under shift
/// (Ovadia et al. 2019).</summary>
public static class EnsembleSpread
{
    public static double Of(ReadOnlySpan<float> memberLogits)
    {
        if (memberLogits.Length < 2) return 0;
        double mean = 0;
        foreach (var z in memberLogits) mean += z;
        mean /= memberLogits.Length;
        double sum = 0;
        foreach (var z in memberLogits) sum += (z - mean) * (z - mean);
        return Math.Sqrt(sum / memberLogits.Length);
    }
}
