namespace CxrQa.Core.Calibration;

/// <summary>Pure maths for turning a logit into a calibrated probability.</summary>
public static class TemperatureScaling
{
    /// <summary>sigmoid(logit / temperature), computed without overflow for large |logit|.</summary>
    public static double Probability(double logit, double temperature)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive and finite");
        var z = logit / temperature;
        return z >= 0 ? 1.0 / (1.0 + Math.Exp(-z)) : Math.Exp(z) / (1.0 + Math.Exp(z));
    }
}
