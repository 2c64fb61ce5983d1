using CxrQa.Core.Calibration;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Core.Evaluation;

/// <summary>Truth of a shift-benchmark film. <see cref="Other"/>: neither normal nor pneumonia (another disease), so
/// any automated answer on it is wrong.</summary>
public enum BenchmarkTruth { Normal = 0, Pneumonia = 1, Other = 2 }

/// <summary>
/// One scenario of the shift benchmark: discrimination at the bundle's decision rule (p &gt;= 0.5) and what routing
/// did: the automated share and the automated error with a two-sided 95 % Clopper-Pearson interval.
/// </summary>
public sealed record ShiftScenarioResult(
    string Name, string Description, int Films, int Normal, int Pneumonia, int Other,
    double Auc, double Sensitivity, double Specificity,
    int Automated, int AutomatedWrong, double AutomatedErrorLower, double AutomatedErrorUpper,
    IReadOnlyDictionary<string, int> Reasons)
{
    /// <summary>Specificity at the probability threshold that gives 96 % sensitivity on the benchmark's clean reference
    /// scenario (the framing-probe measure, independent of the bundle's own threshold); NaN without normals.</summary>
    public double SpecificityAtReferenceSensitivity { get; init; } = double.NaN;

    public double AutomatedShare => Films == 0 ? 0 : (double)Automated / Films;

    /// <summary>The highest threshold whose sensitivity on these films is at least <paramref name="sensitivity"/>.</summary>
    public static double ThresholdAtSensitivity(IReadOnlyList<BenchmarkTruth> truth, IReadOnlyList<ScreeningResult> results, double sensitivity)
    {
        var positives = Enumerable.Range(0, truth.Count).Where(i => truth[i] == BenchmarkTruth.Pneumonia)
            .Select(i => results[i].PneumoniaProbability).OrderDescending().ToArray();
        if (positives.Length == 0) return double.NaN;
        var needed = (int)Math.Ceiling(sensitivity * positives.Length - 1e-9);
        return positives[Math.Clamp(needed, 1, positives.Length) - 1];
    }

    /// <summary>Specificity when "pneumonia" means p &gt;= <paramref name="threshold"/>.</summary>
    public static double SpecificityAt(IReadOnlyList<BenchmarkTruth> truth, IReadOnlyList<ScreeningResult> results, double threshold)
    {
        var normals = Enumerable.Range(0, truth.Count).Where(i => truth[i] == BenchmarkTruth.Normal).ToArray();
        return normals.Length == 0 || double.IsNaN(threshold) ? double.NaN
            : normals.Count(i => results[i].PneumoniaProbability < threshold) / (double)normals.Length;
    }
    public double AutomatedError => Automated == 0 ? 0 : (double)AutomatedWrong / Automated;

    public static ShiftScenarioResult Measure(string name, string description, IReadOnlyList<BenchmarkTruth> truth,
        IReadOnlyList<ScreeningResult> results)
    {
        if (truth.Count != results.Count) throw new ArgumentException($"{truth.Count} labels for {results.Count} results", nameof(results));
        var labelled = Enumerable.Range(0, truth.Count).Where(i => truth[i] != BenchmarkTruth.Other).ToArray();
        var scores = labelled.Select(i => results[i].PneumoniaProbability).ToArray();
        var labels = labelled.Select(i => (int)truth[i]).ToArray();
        var bothClasses = labels.Distinct().Count() == 2;
        int tp = 0, fn = 0, tn = 0, fp = 0, automated = 0, wrong = 0;
        var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < truth.Count; i++)
        {
            var r = results[i];
            var saysPneumonia = BinaryPrediction.FromPneumoniaProbability(r.PneumoniaProbability).Class == ScreeningClass.Pneumonia;
            var right = truth[i] switch
            {
                BenchmarkTruth.Pneumonia => saysPneumonia,
                BenchmarkTruth.Normal => !saysPneumonia,
                _ => false,
            };
            if (truth[i] == BenchmarkTruth.Pneumonia) { if (saysPneumonia) tp++; else fn++; }
            if (truth[i] == BenchmarkTruth.Normal) { if (saysPneumonia) fp++; else tn++; }
            if (r.Decision.Status == CaseStatus.Automated)
            {
                automated++;
                if (!right) wrong++;
            }
            foreach (var reason in r.Decision.Reasons)
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
        }
        return new ShiftScenarioResult(name, description, truth.Count,
            truth.Count(t => t == BenchmarkTruth.Normal), truth.Count(t => t == BenchmarkTruth.Pneumonia), truth.Count(t => t == BenchmarkTruth.Other),
            bothClasses ? CxrQa.Core.Evaluation.Auc.Compute(scores, labels) : double.NaN,
            tp + fn == 0 ? double.NaN : (double)tp / (tp + fn),
            tn + fp == 0 ? double.NaN : (double)tn / (tn + fp),
            automated, wrong,
            automated == 0 ? 0 : BinomialBounds.ClopperPearsonLower(wrong, automated, 0.025),
            automated == 0 ? 1 : BinomialBounds.ClopperPearsonUpper(wrong, automated, 0.025),
            reasons);
    }
}
