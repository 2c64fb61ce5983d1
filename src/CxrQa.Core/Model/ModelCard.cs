using CxrQa.Core.OutOfDistribution;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CxrQa.Core.Model;

/// <summary>
/// The model's card, <c>model.json</c> beside the graph: what it is, how its input is made, how its answers are
/// routed and how well it did on validation. Loading checks the card against the graph.
/// </summary>
public sealed record ModelCard
{
    public const int CurrentFormat = 1;

    [JsonPropertyName("format")] public int Format { get; init; } = CurrentFormat;
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("version")] public required string Version { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    [JsonPropertyName("git_commit")] public string? GitCommit { get; init; }
    [JsonPropertyName("classes")] public IReadOnlyList<string> Classes { get; init; } = ["Normal", "Pneumonia"];
    [JsonPropertyName("preprocessing")] public required PreprocessingCard Preprocessing { get; init; }
    [JsonPropertyName("graph")] public required GraphCard Graph { get; init; }
    /// <summary>Temperature applied to the logit before the sigmoid (1 = uncalibrated).</summary>
    [JsonPropertyName("temperature")] public double Temperature { get; init; } = 1.0;
    [JsonPropertyName("decision_policy")] public required DecisionPolicyCard DecisionPolicy { get; init; }
    /// <summary>How <see cref="Temperature"/> was fitted, and what it did to calibration.</summary>
    [JsonPropertyName("calibration")] public CalibrationCard? Calibration { get; init; }
    /// <summary>The out-of-distribution gate: Mahalanobis distance of the embedding to the training films.</summary>
    [JsonPropertyName("out_of_distribution")] public OutOfDistributionCard? OutOfDistribution { get; init; }
    /// <summary>Per-film shift gates beyond the OOD gate (feature shift at several depths, ensemble disagreement).</summary>
    [JsonPropertyName("shift_gates")] public ShiftGatesCard? ShiftGates { get; init; }
    [JsonPropertyName("training")] public TrainingCard? Training { get; init; }
    /// <summary>The shift benchmark of this bundle as it stands (<c>evaluate --shift-benchmark --record-in-card</c>);
    /// recalibrating clears it, since the routing it measured has changed.</summary>
    [JsonPropertyName("shift_benchmark")] public ShiftBenchmarkCard? ShiftBenchmark { get; init; }
    /// <summary>Validation metrics by name (e.g. "cv_auc", "cv_auc_std", "cv_accuracy").</summary>
    [JsonPropertyName("validation_metrics")] public IReadOnlyDictionary<string, double> ValidationMetrics { get; init; } = new Dictionary<string, double>();

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

public sealed record PreprocessingCard
{
    [JsonPropertyName("input_size")] public int InputSize { get; init; } = 224;
    /// <summary>"squash": the film is resized to a square without keeping its aspect ratio, as the training films were.</summary>
    [JsonPropertyName("geometry")] public string Geometry { get; init; } = "squash";
    [JsonPropertyName("resize_filter")] public string ResizeFilter { get; init; } = "area";
    [JsonPropertyName("clahe")] public bool Clahe { get; init; } = true;
    [JsonPropertyName("clahe_clip_limit")] public double ClaheClipLimit { get; init; } = 2.0;
    [JsonPropertyName("clahe_tiles")] public int ClaheTiles { get; init; } = 8;
    /// <summary>What the graph's input holds: "gray replicated to 3 planes, 0..255; the graph subtracts the backbone's BGR mean image".</summary>
    [JsonPropertyName("input")] public string Input { get; init; } = "gray_0_255_x3";
}

public sealed record GraphCard
{
    /// <summary>"frozen_backbone_linear_head": the serving graph is assembled at load time from the NuGet ResNet18
    /// backbone and the <see cref="Head"/> weights in this card (so the 64 MB backbone is never committed).
    /// "onnx": <see cref="File"/> is the complete serving graph.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("file")] public string? File { get; init; }
    [JsonPropertyName("file_sha256")] public string? FileSha256 { get; init; }
    [JsonPropertyName("backbone")] public string? Backbone { get; init; }
    [JsonPropertyName("backbone_sha256")] public string? BackboneSha256 { get; init; }
    [JsonPropertyName("head")] public LinearHeadCard? Head { get; init; }
    /// <summary>An ensemble's members' heads, in the order of the graph's <c>member_logits</c> and of the blocks of
    /// <c>feature_map</c>; null for a single network (<see cref="Head"/>).</summary>
    [JsonPropertyName("members")] public IReadOnlyList<EnsembleMemberCard>? Members { get; init; }

    /// <summary>The linear heads whose feature maps Grad-CAM combines: the members', or the one head.</summary>
    [JsonIgnore]
    public IReadOnlyList<LinearHeadCard> Heads => Members?.Select(m => m.Head).ToList() ?? (Head is null ? [] : [Head]);
    [JsonPropertyName("input")] public string InputName { get; init; } = "image";
    [JsonPropertyName("outputs")] public GraphOutputsCard Outputs { get; init; } = new();
    /// <summary>Set when the graph is a static int8 (QDQ) quantization of another bundle's graph; null: fp32 compute.</summary>
    [JsonPropertyName("quantization")] public QuantizationCard? Quantization { get; init; }

    public const string FrozenBackboneLinearHead = "frozen_backbone_linear_head";
    public const string Onnx = "onnx";
}

public sealed record GraphOutputsCard
{
    [JsonPropertyName("logit")] public string Logit { get; init; } = "logit";
    [JsonPropertyName("feature_map")] public string FeatureMap { get; init; } = "feature_map";
    [JsonPropertyName("embedding")] public string Embedding { get; init; } = "embedding";
    /// <summary>[N, members] for an ensemble (absent otherwise).</summary>
    [JsonPropertyName("member_logits")] public string? MemberLogits { get; init; }
}

/// <summary>logit = Weights . embedding + Bias (the pneumonia logit).</summary>
/// <summary>One ensemble member: its head, and how it was trained (seed, run, validation AUC).</summary>
public sealed record EnsembleMemberCard
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("head")] public required LinearHeadCard Head { get; init; }
    [JsonPropertyName("seed")] public int? Seed { get; init; }
    [JsonPropertyName("val_auc")] public double? ValAuc { get; init; }
    [JsonPropertyName("command")] public string? Command { get; init; }
}

public sealed record LinearHeadCard
{
    [JsonPropertyName("weights")] public required float[] Weights { get; init; }
    [JsonPropertyName("bias")] public required float Bias { get; init; }
}

public sealed record DecisionPolicyCard
{
    public const string FixedConfidence = "fixed_confidence";
    public const string RiskControlled = "risk_controlled";

    /// <summary>"fixed_confidence": automated when the probability of the predicted class is at least <see cref="Threshold"/>.
    /// "risk_controlled": per-class thresholds certified on the calibration split (<see cref="RiskControl"/>).</summary>
    [JsonPropertyName("mode")] public string Mode { get; init; } = FixedConfidence;
    [JsonPropertyName("threshold")] public double Threshold { get; init; } = 0.80;
    [JsonPropertyName("risk_control")] public Routing.RiskControlCard? RiskControl { get; init; }
    /// <summary>The policy in words a radiologist can read.</summary>
    [JsonPropertyName("description")] public string? Description { get; init; }
}

public sealed record CalibrationCard
{
    [JsonPropertyName("method")] public string Method { get; init; } = "temperature scaling (NLL) on a patient-grouped calibration split";
    [JsonPropertyName("cases")] public required int Cases { get; init; }
    [JsonPropertyName("temperature")] public required double Temperature { get; init; }
    [JsonPropertyName("ece_before")] public required double EceBefore { get; init; }
    [JsonPropertyName("ece_after")] public required double EceAfter { get; init; }
    [JsonPropertyName("nll_before")] public required double NllBefore { get; init; }
    [JsonPropertyName("nll_after")] public required double NllAfter { get; init; }
    /// <summary>File in the bundle holding the calibration logits and labels, so thresholds can be recomputed for another alpha/delta.</summary>
    [JsonPropertyName("scores_file")] public string ScoresFile { get; init; } = "calibration.json";
}

public sealed record OutOfDistributionCard
{
    [JsonPropertyName("method")] public string Method { get; init; } = "Mahalanobis distance of the 512-d embedding to class means, shared Ledoit-Wolf-shrunk covariance";
    [JsonPropertyName("file")] public string File { get; init; } = "ood.bin";
    [JsonPropertyName("file_sha256")] public required string FileSha256 { get; init; }
    /// <summary>Films scoring above this squared distance are out of distribution.</summary>
    [JsonPropertyName("threshold")] public required double Threshold { get; init; }
    [JsonPropertyName("percentile")] public required double Percentile { get; init; }
    [JsonPropertyName("calibration_cases")] public required int CalibrationCases { get; init; }
    [JsonPropertyName("training_cases")] public required int TrainingCases { get; init; }
    [JsonPropertyName("shrinkage")] public required double Shrinkage { get; init; }
}

/// <summary>
/// The shift gates' thresholds, each fitted on held-out in-distribution films that are NOT used to certify the routing
/// thresholds (so the certificate counts only films that pass them), with the false-rejection rate it costs there.
/// </summary>
public sealed record ShiftGatesCard
{
    [JsonPropertyName("fitted_on")] public required string FittedOn { get; init; }
    [JsonPropertyName("fit_cases")] public required int FitCases { get; init; }
    [JsonPropertyName("feature_shift")] public FeatureShiftGateCard? FeatureShift { get; init; }
    [JsonPropertyName("ensemble_spread")] public GateThresholdCard? EnsembleSpread { get; init; }
    /// <summary>Share of the clean calibration films that the OOD and shift gates send to review (coverage they cost).</summary>
    [JsonPropertyName("calibration_rejected_fraction")] public double CalibrationRejectedFraction { get; init; }
}

public record GateThresholdCard
{
    [JsonPropertyName("threshold")] public required double Threshold { get; init; }
    /// <summary>The conformal false-rejection rate the threshold was fitted for (1 - percentile).</summary>
    [JsonPropertyName("target_false_rejection")] public required double TargetFalseRejection { get; init; }
    /// <summary>Measured on the fit films themselves.</summary>
    [JsonPropertyName("measured_false_rejection")] public required double MeasuredFalseRejection { get; init; }
}

public sealed record FeatureShiftGateCard : GateThresholdCard
{
    [JsonPropertyName("method")] public string Method { get; init; } = Describe(FeatureDensityKind.Mahalanobis, 0);
    [JsonPropertyName("neighbours")] public int? Neighbours { get; init; }
    [JsonPropertyName("reference_films")] public string? ReferenceFilms { get; init; }
    [JsonPropertyName("file")] public string File { get; init; } = "feature_shift.bin";
    [JsonPropertyName("file_sha256")] public required string FileSha256 { get; init; }
    [JsonPropertyName("dimensions")] public required IReadOnlyList<int> Dimensions { get; init; }

    public static string Describe(FeatureDensityKind kind, int neighbours) => kind == FeatureDensityKind.NearestNeighbour
        ? $"max over depths (listed by width: 64, 128, 256 = pooled stage 1, 2, 3; 512 = embedding) of the cosine distance to the {neighbours}-th nearest reference film, divided by its leave-one-out median over the references"
        : "max over depths (listed by width: 64, 128, 256 = pooled stage 1, 2, 3; 512 = embedding) of the class-conditional Mahalanobis distance (Ledoit-Wolf shared covariance, fitted on training films) divided by its training median";
}

/// <summary>What <c>evaluate --shift-benchmark</c> measured on this bundle: one row per scenario.</summary>
public sealed record ShiftBenchmarkCard
{
    [JsonPropertyName("measured")] public required DateTimeOffset Measured { get; init; }
    [JsonPropertyName("command")] public required string Command { get; init; }
    [JsonPropertyName("scenarios")] public required IReadOnlyList<ShiftBenchmarkRowCard> Scenarios { get; init; }
}

/// <summary>One scenario of <see cref="ShiftBenchmarkCard"/>; null where the scenario has no such number (e.g. no
/// normal films, nothing automated).</summary>
public sealed record ShiftBenchmarkRowCard
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("films")] public int Films { get; init; }
    [JsonPropertyName("auc")] public double? Auc { get; init; }
    [JsonPropertyName("sensitivity")] public double? Sensitivity { get; init; }
    [JsonPropertyName("specificity")] public double? Specificity { get; init; }
    [JsonPropertyName("specificity_at_reference_sensitivity")] public double? SpecificityAtReferenceSensitivity { get; init; }
    [JsonPropertyName("automated")] public int Automated { get; init; }
    [JsonPropertyName("automated_wrong")] public int AutomatedWrong { get; init; }
    [JsonPropertyName("automated_error_upper_95")] public double? AutomatedErrorUpper { get; init; }
}

public sealed record TrainingCard
{
    [JsonPropertyName("method")] public string? Method { get; init; }
    [JsonPropertyName("data_manifest_sha256")] public string? DataManifestSha256 { get; init; }
    [JsonPropertyName("images")] public int Images { get; init; }
    [JsonPropertyName("patients")] public int Patients { get; init; }
    [JsonPropertyName("images_per_class")] public IReadOnlyDictionary<string, int>? ImagesPerClass { get; init; }
    [JsonPropertyName("config")] public IReadOnlyDictionary<string, JsonElement>? Config { get; init; }
    [JsonPropertyName("command")] public string? Command { get; init; }
}
