namespace CxrQa.Core.Calibration;

/// <summary>
/// Fits the temperature T of <see cref="TemperatureScaling"/> by minimising the binary NLL of sigmoid(logit / T)
/// on held-out cases.
/// </summary>
/// <remarks>
/// The NLL is convex in 1/T (it is a logistic regression with one slope and no intercept), hence unimodal in log T,
/// so golden-section search on log T finds the minimum without derivatives or step-size tuning. T is bounded to
/// [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>]: on separable data the NLL keeps falling as T -> 0
/// and an unbounded fit would run away; the bound is then the answer.
/// </remarks>
public static class TemperatureFitter
{
    public const double MinTemperature = 0.05;
    public const double MaxTemperature = 20.0;

    private static readonly double InverseGoldenRatio = (Math.Sqrt(5) - 1) / 2;

    /// <summary>The temperature in [0.05, 20] minimising the mean NLL; 1 when every logit is 0 (any T fits equally).</summary>
    public static double Fit(ReadOnlySpan<double> logits, ReadOnlySpan<int> labels)
    {
        BinaryNll.CheckInputs(logits, labels);
        var allZero = true;
        foreach (var z in logits)
            allZero &= z == 0;
        if (allZero)
            return 1.0;

        var lo = Math.Log(MinTemperature);
        var hi = Math.Log(MaxTemperature);
        var c = hi - InverseGoldenRatio * (hi - lo);
        var d = lo + InverseGoldenRatio * (hi - lo);
        var fc = BinaryNll.Mean(logits, labels, Math.Exp(c));
        var fd = BinaryNll.Mean(logits, labels, Math.Exp(d));
        // 1e-10 in log T is a relative precision of 1e-10 in T: far below what the data can resolve.
        while (hi - lo > 1e-10)
        {
            if (fc <= fd)
            {
                hi = d;
                d = c;
                fd = fc;
                c = hi - InverseGoldenRatio * (hi - lo);
                fc = BinaryNll.Mean(logits, labels, Math.Exp(c));
            }
            else
            {
                lo = c;
                c = d;
                fc = fd;
                d = lo + InverseGoldenRatio * (hi - lo);
                fd = BinaryNll.Mean(logits, labels, Math.Exp(d));
            }
        }

        // The interior search never evaluates the end points; a minimum at a bound must still return the bound.
        var best = Math.Exp((lo + hi) / 2);
        var bestNll = BinaryNll.Mean(logits, labels, best);
        foreach (var edge in (ReadOnlySpan<double>)[MinTemperature, MaxTemperature])
        {
            var nll = BinaryNll.Mean(logits, labels, edge);
            if (nll < bestNll)
                (best, bestNll) = (edge, nll);
        }
        return Math.Clamp(best, MinTemperature, MaxTemperature);
    }
}
