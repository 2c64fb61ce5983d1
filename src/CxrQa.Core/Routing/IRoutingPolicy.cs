namespace CxrQa.Core.Routing;

/// <summary>Decides from the calibrated pneumonia probability whether an answer may be automated.</summary>
public interface IRoutingPolicy
{
    RoutingDecision Route(double pneumoniaProbability);
}
