namespace CxrQa.Core.Evaluation;

/// <summary>The promise for one predicted class (alpha, null when the policy promises nothing) next to what happened.</summary>
public sealed record RealisedClassRisk(string PredictedClass, double? Alpha, BinomialRate AutomatedError, int PredictedCases)
{
    /// <summary>Coverage of this predicted class: automated / predicted.</summary>
    public double Coverage => PredictedCases == 0 ? double.NaN : (double)AutomatedError.N / PredictedCases;

    /// <summary>Whether the observed rate is within the promise. Sampling noise alone can break this on a small set;
    /// the interval says whether the data contradict alpha (lower end above it).</summary>
    public bool? WithinAlpha => Alpha is { } a && AutomatedError.N > 0 ? AutomatedError.Rate <= a : null;
}

/// <summary>
/// What the routing policy actually did on a labelled set: the error rate among the films it automated, per predicted
/// class (the unit the risk-controlled policy certifies) and overall, each with a 95 % Clopper-Pearson interval.
/// </summary>
public sealed record RealisedRouting(RealisedClassRisk Normal, RealisedClassRisk Pneumonia, BinomialRate Overall, int Automated, int Total)
{
    public double Coverage => Total == 0 ? double.NaN : (double)Automated / Total;

    /// <param name="alphaNormal">The card's promised error rate for automated "Normal" answers (null: none promised).</param>
    /// <param name="alphaPneumonia">Likewise for "Pneumonia".</param>
    public static RealisedRouting Compute(IReadOnlyList<ScreenedCase> cases, double? alphaNormal, double? alphaPneumonia, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(cases);
        RealisedClassRisk For(bool pneumonia, double? alpha)
        {
            var predicted = cases.Where(c => c.PredictedPneumonia == pneumonia).ToList();
            var automated = predicted.Where(c => c.Automated).ToList();
            return new RealisedClassRisk(pneumonia ? "Pneumonia" : "Normal", alpha,
                BinomialRate.Of(automated.Count(c => !c.Correct), automated.Count, level), predicted.Count);
        }
        var all = cases.Where(c => c.Automated).ToList();
        return new RealisedRouting(For(false, alphaNormal), For(true, alphaPneumonia),
            BinomialRate.Of(all.Count(c => !c.Correct), all.Count, level), all.Count, cases.Count);
    }
}
