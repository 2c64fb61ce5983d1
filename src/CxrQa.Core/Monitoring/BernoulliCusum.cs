namespace CxrQa.Core.Monitoring;

/// <summary>
/// Page's CUSUM for a rise in a Bernoulli rate: S_t = max(0, S_{t-1} + LLR_t). It restarts at 0 whenever the evidence
/// favours the reference, so an old calm stretch never hides a recent change, and it alarms at S_t &gt;= h. The CUSUM
/// is the optimal detector of a change in a known direction (Lorden's criterion); h sets the false-alarm rate.
/// </summary>
public static class BernoulliCusum
{
    public static double Step(double statistic, DriftSignal signal, bool happened) =>
        Step(statistic, signal.LogLikelihoodRatio(happened));

    /// <summary>The same step with the film's log-likelihood ratio already worked out (the simulation's inner loop).</summary>
    public static double Step(double statistic, double logLikelihoodRatio) => Math.Max(0, statistic + logLikelihoodRatio);
}
