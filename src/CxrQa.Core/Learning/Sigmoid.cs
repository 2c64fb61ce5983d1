namespace CxrQa.Core.Learning;

/// <summary>Logistic function and log-loss pieces written so that large |logits| neither overflow nor lose digits.</summary>
public static class Sigmoid
{
    public static double Of(double logit) =>
        logit >= 0 ? 1 / (1 + Math.Exp(-logit)) : Math.Exp(logit) / (1 + Math.Exp(logit));

    /// <summary>log(1 + e^x).</summary>
    public static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));
}
