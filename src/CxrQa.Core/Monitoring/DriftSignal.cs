namespace CxrQa.Core.Monitoring;

/// <summary>
/// One watched event: "the film's <see cref="Source"/> value is above <see cref="Cutoff"/>". Under the reference the
/// event happens at <see cref="ReferenceRate"/>; the CUSUM is tuned to detect a rise to <see cref="AlternativeRate"/>.
/// Every signal is a Bernoulli rate, so the OOD score, the confidence and the predicted class are watched the same way
/// and their statistics are on one scale (log-likelihood ratios) with one alarm threshold.
/// </summary>
/// <param name="Name">Stable name for metrics and the operator's page, e.g. "uncertainty_high".</param>
/// <param name="Source">The observation it reads, e.g. "uncertainty" or "ood_score".</param>
/// <param name="Description">What the event means, in words.</param>
public sealed record DriftSignal(string Name, string Source, double Cutoff, double ReferenceRate, double AlternativeRate, string Description)
{
    /// <summary>Null when the film does not carry this value (e.g. no OOD gate): the signal skips the film.</summary>
    public bool? Event(IReadOnlyDictionary<string, double> observation) =>
        observation.TryGetValue(Source, out var v) && double.IsFinite(v) ? v > Cutoff : null;

    /// <summary>Log-likelihood ratio of one film under the alternative rate vs the reference rate.</summary>
    public double LogLikelihoodRatio(bool happened) => happened
        ? Math.Log(AlternativeRate / ReferenceRate)
        : Math.Log((1 - AlternativeRate) / (1 - ReferenceRate));
}
