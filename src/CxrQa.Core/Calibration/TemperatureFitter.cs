namespace CxrQa.Core.Calibration;

/// <summary>
/// Fits the temperature T of <see cref="TemperatureScaling"/> by minimising the binary NLL of sigmoid(logit / T)
/// on held-out cases.
/// </summary>
/// <remarks>
/// In the inverse temperature b = 1/T the NLL is a one-parameter logistic regression (slope b, no intercept), so it
/// is convex and its derivative g(b) = mean((sigmoid(b z) - y) z) is increasing. We find the root of g by Newton
/// steps safeguarded by bisection: the bracket can only shrink, so it cannot diverge, and solving g = 0 rather than
/// comparing NLL values gives the minimiser to machine precision (comparing values stalls at sqrt(epsilon)).
/// T is bounded to [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>]: on separable data the NLL keeps
/// falling as T -> 0 and an unbounded fit would run away; the bound is then the answer.
/// </remarks>
public static class TemperatureFitter
{
    public const double MinTemperature = 0.05;
    public const double MaxTemperature = 20.0;

    /// <summary>The temperature in [0.05, 20] minimising the mean NLL; 1 when every logit is 0 (any T fits equally).</summary>
    public static double Fit(ReadOnlySpan<double> logits, ReadOnlySpan<int> labels)
    {
        BinaryNll.CheckInputs(logits, labels);
        var allZero = true;
        foreach (var z in logits)
            allZero &= z == 0;
        if (allZero)
            return 1.0;

        double lo = 1 / MaxTemperature, hi = 1 / MinTemperature;
        if (Derivatives(logits, labels, lo).Gradient >= 0)
            return MaxTemperature;
        if (Derivatives(logits, labels, hi).Gradient <= 0)
            return MinTemperature;

        var b = 1.0;
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var (gradient, curvature) = Derivatives(logits, labels, b);
            if (gradient == 0)
                break;
            if (gradient < 0)
                lo = b;
            else
                hi = b;
            var newton = curvature > 0 ? b - gradient / curvature : double.NaN;
            var next = newton > lo && newton < hi ? newton : lo + (hi - lo) / 2;
            if (Math.Abs(next - b) <= 1e-15 * b || hi - lo <= 1e-15 * hi)
            {
                b = next;
                break;
            }
            b = next;
        }
        return Math.Clamp(1 / b, MinTemperature, MaxTemperature);
    }

    /// <summary>First and second derivative of the mean NLL with respect to the inverse temperature.</summary>
    private static (double Gradient, double Curvature) Derivatives(ReadOnlySpan<double> logits, ReadOnlySpan<int> labels, double inverseTemperature)
    {
        double gradient = 0, curvature = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var z = logits[i];
            var p = TemperatureScaling.Probability(z * inverseTemperature, 1.0);
            gradient += (p - labels[i]) * z;
            curvature += p * (1 - p) * z * z;
        }
        return (gradient / logits.Length, curvature / logits.Length);
    }
}
