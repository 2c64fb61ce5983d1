using CxrQa.Core.Model;
using CxrQa.Core.OutOfDistribution;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Core.Trust;

/// <summary>What the shift gates measured on one film. NaN: the bundle has no such gate.</summary>
public sealed record ShiftSignals(double FeatureShift, double EnsembleSpread, int Members)
{
    public static ShiftSignals None { get; } = new(double.NaN, double.NaN, 1);
}

/// <summary>
/// The per-film shift gates that send a film to review besides the OOD gate: the multi-depth feature density
/// (<see cref="FeatureShiftDetector"/>) and the ensemble members' disagreement (<see cref="EnsembleSpread"/>).
/// One rule, used by serving (<see cref="Pipeline.ScreeningService"/>) and by calibration (which films count as
/// automatable): a score above its threshold, or not a number, is a reason.
/// </summary>
public sealed record ShiftGates(FeatureShiftDetector? Detector, double? FeatureShiftThreshold, double? SpreadThreshold)
{
    public static ShiftGates None { get; } = new(null, null, null);

    public ShiftSignals Measure(ModelOutputs outputs, int film) => new(
        Detector is null
            ? double.NaN
            : Detector.Score(Detector.Pick([.. outputs.DepthFeatures, outputs.Embeddings],
                FilmScores.FeatureDimensions(outputs.DepthFeatures.Count > 0)), film),
        outputs.Members > 1 ? EnsembleSpread.Of(outputs.MembersOf(film)) : double.NaN,
        outputs.Members);

    public IReadOnlyList<string> Reasons(ShiftSignals signals) => Reasons(signals.FeatureShift, signals.EnsembleSpread);

    public IReadOnlyList<string> Reasons(double featureShift, double spread)
    {
        var reasons = new List<string>(2);
        if (Detector is not null && FeatureShiftThreshold is { } t && !(featureShift <= t))
            reasons.Add(ReasonCodes.FeatureShift);
        if (SpreadThreshold is { } u && !(spread <= u))
            reasons.Add(ReasonCodes.EnsembleDisagreement);
        return reasons;
    }
}
