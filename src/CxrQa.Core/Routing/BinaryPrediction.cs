using CxrQa.Domain;
namespace CxrQa.Core.Routing;

/// <summary>The predicted class and its confidence, from the calibrated pneumonia probability.</summary>
public readonly record struct BinaryPrediction(ScreeningClass Class, double Confidence)
{
    /// <summary>Pneumonia when p &gt;= 0.5 (the same rule the screening service applies); confidence = max(p, 1 - p).</summary>
    public static BinaryPrediction FromPneumoniaProbability(double p)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "a probability lies in [0, 1]");
        return p >= 0.5 ? new(ScreeningClass.Pneumonia, p) : new(ScreeningClass.Normal, 1 - p);
    }

    public string ClassName => Class.Name();
}
