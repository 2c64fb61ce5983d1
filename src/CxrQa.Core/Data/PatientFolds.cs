namespace CxrQa.Core.Data;

/// <summary>One cross-validation fold: item indices to fit on and to score.</summary>
public sealed record Fold(int Index, int[] Train, int[] Test);

/// <summary>k-fold cross-validation by patient, stratified by class as far as whole patients allow.</summary>
public static class PatientFolds
{
    public static IReadOnlyList<Fold> Split(IReadOnlyList<int> labels, IReadOnlyList<string> patientIds, int k, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        var fractions = Enumerable.Repeat(1.0 / k, k).ToArray();
        var partOf = StratifiedGroupPartitioner.Assign(labels, patientIds, fractions, seed);
        return Enumerable.Range(0, k)
            .Select(f => new Fold(
                f,
                Enumerable.Range(0, partOf.Length).Where(i => partOf[i] != f).ToArray(),
                Enumerable.Range(0, partOf.Length).Where(i => partOf[i] == f).ToArray()))
            .ToList();
    }
}
