using CxrQa.Domain;
namespace CxrQa.Core.Quality;

/// <summary>What the gate found: the reason codes (<see cref="Routing.ReasonCodes"/>; empty when the film passes)
/// and the measurements behind them. Any reason sends the case to review.</summary>
public sealed record QualityAssessment(IReadOnlyList<string> Reasons, QualityMeasurements Measurements)
{
    public bool Passed => Reasons.Count == 0;
}
