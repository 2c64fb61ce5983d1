using System.Text.Json.Serialization;
using CxrQa.Domain;

namespace CxrQa.Core.Routing;

/// <summary>
/// What the risk-controlled policy certified on the calibration split, for the model card: per predicted class, the
/// threshold, the evidence behind it and what share of cases it automates.
/// </summary>
public sealed record RiskControlCard
{
    /// <summary>Probability that a class's certificate is wrong (per class; see <see cref="DeltaPerClass"/>).</summary>
    [JsonPropertyName("delta")] public required double Delta { get; init; }
    /// <summary>The delta each class was actually tested at (Delta, or Delta / 2 when the two were made joint).</summary>
    [JsonPropertyName("delta_per_class")] public required double DeltaPerClass { get; init; }
    /// <summary>Factor in (0, 1] applied to each alpha before selection, as headroom for distribution shift.</summary>
    [JsonPropertyName("safety_margin")] public double SafetyMargin { get; init; } = 1.0;
    /// <summary>No threshold below this is ever chosen.</summary>
    [JsonPropertyName("threshold_floor")] public double ThresholdFloor { get; init; } = 0.5;
    [JsonPropertyName("normal")] public required ClassRiskCard Normal { get; init; }
    [JsonPropertyName("pneumonia")] public required ClassRiskCard Pneumonia { get; init; }
    /// <summary>
    /// Calibration films production would automate (eligible and at or above their class's threshold) / all
    /// calibration films. Unlike the per-class coverage it counts every film, not only the certified ones.
    /// </summary>
    [JsonPropertyName("overall_coverage")] public required double OverallCoverage { get; init; }
    [JsonPropertyName("calibration_cases")] public required int CalibrationCases { get; init; }
    /// <summary>
    /// What one certified answer is: "patients" (one film per patient, chosen by a hash of names) or "films" (every
    /// film counted as independent). The per-class n, errors, coverage and predicted cases count these units.
    /// </summary>
    [JsonPropertyName("units")] public string Units { get; init; } = "films";
    /// <summary>With units "patients": how many patients (one eligible film each) the certificate was computed on.</summary>
    [JsonPropertyName("patients_certified")] public int? PatientsCertified { get; init; }
    /// <summary>With an eligibility mask: calibration films that pass every gate (only these were certified on).</summary>
    [JsonPropertyName("eligible_cases")] public int? EligibleCases { get; init; }
    /// <summary>When the thresholds were certified under simulated shifts too: what each set alone would have allowed.</summary>
    [JsonPropertyName("shift_scenarios")] public IReadOnlyList<ShiftScenarioCard>? ShiftScenarios { get; init; }

    public ClassRiskCard For(ScreeningClass predicted) => predicted == ScreeningClass.Pneumonia ? Pneumonia : Normal;
}

/// <summary>The certificate for automated answers of one predicted class.</summary>
public sealed record ClassRiskCard
{
    /// <summary>The error rate promised among automated answers of this class (before the safety margin).</summary>
    [JsonPropertyName("alpha")] public required double Alpha { get; init; }
    /// <summary>The error rate the threshold was certified at: Alpha x safety margin.</summary>
    [JsonPropertyName("certified_alpha")] public required double CertifiedAlpha { get; init; }
    /// <summary>Automate answers of this class with confidence at or above this; null = never automate this class.</summary>
    [JsonPropertyName("threshold")] public double? Threshold { get; init; }
    /// <summary>Calibration answers (units: see <see cref="RiskControlCard.Units"/>) of this class at or above the threshold.</summary>
    [JsonPropertyName("n")] public required int N { get; init; }
    [JsonPropertyName("errors")] public required int Errors { get; init; }
    /// <summary>Clopper-Pearson upper bound of their error rate at 1 - delta.</summary>
    [JsonPropertyName("upper_bound")] public required double UpperBound { get; init; }
    /// <summary>N / calibration cases predicted as this class.</summary>
    [JsonPropertyName("coverage")] public required double Coverage { get; init; }
    /// <summary>Certified calibration units (eligible films, or one per patient) predicted as this class.</summary>
    [JsonPropertyName("predicted_cases")] public required int PredictedCases { get; init; }
}

/// <summary>What one calibration set (clean, or one simulated shift) certified on its own.</summary>
public sealed record ShiftScenarioCard
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("normal_threshold")] public double? NormalThreshold { get; init; }
    [JsonPropertyName("pneumonia_threshold")] public double? PneumoniaThreshold { get; init; }
    /// <summary>Calibration films of this set production would automate at this set's own thresholds / all films.</summary>
    [JsonPropertyName("coverage")] public required double Coverage { get; init; }
    /// <summary>Certified units of this set at or above its own Normal threshold.</summary>
    [JsonPropertyName("normal_n")] public int? NormalN { get; init; }
    /// <summary>Certified units of this set at or above its own Pneumonia threshold.</summary>
    [JsonPropertyName("pneumonia_n")] public int? PneumoniaN { get; init; }
    /// <summary>Units this set was certified on (eligible films under this shift, one per patient when patients are known).</summary>
    [JsonPropertyName("units_certified")] public int? UnitsCertified { get; init; }
    /// <summary>Films of this set that pass every gate (null: no mask given).</summary>
    [JsonPropertyName("eligible_cases")] public int? EligibleCases { get; init; }
    /// <summary>Classes for which the gates left too few eligible units in this set to certify anything: the set
    /// takes no part in choosing that class's threshold, and the promise is not claimed in this world (its films
    /// mostly go to review). Null: none.</summary>
    [JsonPropertyName("gated_out")] public IReadOnlyList<string>? GatedOut { get; init; }
}
