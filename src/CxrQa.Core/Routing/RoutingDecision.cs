using CxrQa.Domain;
namespace CxrQa.Core.Routing;

/// <summary>Where a case goes and why. Any reason means a person looks at it.</summary>
public sealed record RoutingDecision(CaseStatus Status, IReadOnlyList<string> Reasons)
{
    public string StatusText => Status.Name();
}
