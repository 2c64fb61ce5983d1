using CxrQa.Domain;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Routing;

namespace CxrQa.Core.Evaluation;

/// <summary>Two bundles' answers on the same films (e.g. fp32 and its int8 quantization): how far the scores moved and
/// whether what the service does with each film (route, predict, explain) changed.</summary>
public sealed record PrecisionComparisonResult
{
    public required int Films { get; init; }
    public required double ReferenceAuc { get; init; }
    public required double CandidateAuc { get; init; }
    public required double MeanAbsLogitDifference { get; init; }
    public required double P99AbsLogitDifference { get; init; }
    public required double MaxAbsLogitDifference { get; init; }
    /// <summary>Films whose predicted class differs.</summary>
    public required int PredictionChanges { get; init; }
    /// <summary>Films routed differently: automated by one and sent for review by the other, or automated by both with
    /// different answers.</summary>
    public required int RoutingChanges { get; init; }
    public required int ReferenceAutomated { get; init; }
    public required int CandidateAutomated { get; init; }
    /// <summary>Films with the same predicted class and a non-empty Grad-CAM map from both (the maps compared).</summary>
    public required int CamFilms { get; init; }
    public required double MeanCamCorrelation { get; init; }
    public required double MinCamCorrelation { get; init; }
    /// <summary>For the films routed differently: each review reason given by one bundle and not the other, with how often.</summary>
    public IReadOnlyDictionary<string, int> ChangedReasons { get; init; } = new Dictionary<string, int>();

    public double RoutingUnchangedRate => Films == 0 ? 1 : 1 - (double)RoutingChanges / Films;
}

public static class PrecisionComparison
{
    public static PrecisionComparisonResult Compare(IReadOnlyList<ScreeningResult> reference, IReadOnlyList<ScreeningResult> candidate, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(labels);
        if (reference.Count != candidate.Count || reference.Count != labels.Count)
            throw new ArgumentException($"{reference.Count} reference answers, {candidate.Count} candidate answers and {labels.Count} labels");
        if (reference.Count == 0) throw new ArgumentException("no films to compare");
        var differences = reference.Zip(candidate, (r, c) => Math.Abs(r.Logit - c.Logit)).OrderBy(d => d).ToArray();
        var correlations = new List<double>();
        int predictionChanges = 0, routingChanges = 0;
        var changedReasons = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < reference.Count; i++)
        {
            var (r, c) = (reference[i], candidate[i]);
            var samePrediction = r.Prediction == c.Prediction;
            if (!samePrediction) predictionChanges++;
            var bothAutomated = r.Decision.Status == CaseStatus.Automated && c.Decision.Status == CaseStatus.Automated;
            if (r.Decision.Status != c.Decision.Status || (bothAutomated && !samePrediction))
            {
                routingChanges++;
                foreach (var reason in r.Decision.Reasons.Except(c.Decision.Reasons).Concat(c.Decision.Reasons.Except(r.Decision.Reasons)))
                    changedReasons[reason] = changedReasons.GetValueOrDefault(reason) + 1;
            }
            if (samePrediction && r.Heatmap is { Empty: false } a && c.Heatmap is { Empty: false } b)
                correlations.Add(Pearson(a.Grid, b.Grid));
        }
        return new PrecisionComparisonResult
        {
            Films = reference.Count,
            ReferenceAuc = Auc.Compute(reference.Select(r => r.PneumoniaProbability).ToArray(), labels.ToArray()),
            CandidateAuc = Auc.Compute(candidate.Select(r => r.PneumoniaProbability).ToArray(), labels.ToArray()),
            MeanAbsLogitDifference = differences.Average(),
            P99AbsLogitDifference = differences[(int)Math.Min(differences.Length - 1, Math.Ceiling(0.99 * differences.Length) - 1)],
            MaxAbsLogitDifference = differences[^1],
            PredictionChanges = predictionChanges,
            RoutingChanges = routingChanges,
            ReferenceAutomated = reference.Count(r => r.Decision.Status == CaseStatus.Automated),
            CandidateAutomated = candidate.Count(r => r.Decision.Status == CaseStatus.Automated),
            CamFilms = correlations.Count,
            MeanCamCorrelation = correlations.Count == 0 ? double.NaN : correlations.Average(),
            MinCamCorrelation = correlations.Count == 0 ? double.NaN : correlations.Min(),
            ChangedReasons = changedReasons,
        };
    }

    /// <summary>Pearson correlation of two equally long series; 1 when both are constant and equal, 0 when only one is constant.</summary>
    public static double Pearson(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length || a.Length == 0) throw new ArgumentException($"series of {a.Length} and {b.Length} values");
        double meanA = 0, meanB = 0;
        for (var i = 0; i < a.Length; i++) { meanA += a[i]; meanB += b[i]; }
        meanA /= a.Length;
        meanB /= b.Length;
        double cov = 0, varA = 0, varB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var (da, db) = (a[i] - meanA, b[i] - meanB);
            cov += da * db;
            varA += da * da;
            varB += db * db;
        }
        if (varA == 0 || varB == 0) return varA == varB && a.SequenceEqual(b) ? 1 : 0;
        return cov / Math.Sqrt(varA * varB);
    }
}
