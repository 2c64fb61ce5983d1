namespace CxrQa.Core.Routing;

/// <summary>Stable reason codes for routing a case to a radiologist. Clients match on these strings.</summary>
public static class ReasonCodes
{
    public const string LowConfidence = "low_confidence";
}
