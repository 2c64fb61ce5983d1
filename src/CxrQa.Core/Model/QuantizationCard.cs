using System.Text.Json.Serialization;

namespace CxrQa.Core.Model;

/// <summary>How an int8 bundle's graph was made from its fp32 source (<c>cxrqa quantize</c>).</summary>
public sealed record QuantizationCard
{
    public const string Int8 = "int8";

    [JsonPropertyName("precision")] public string Precision { get; init; } = Int8;
    [JsonPropertyName("format")] public string Format { get; init; } = "ONNX QDQ (QuantizeLinear/DequantizeLinear), fused by ONNX Runtime into integer kernels";
    [JsonPropertyName("weights")] public string Weights { get; init; } = "int8, symmetric (-127..127), one scale per output channel; int32 biases";
    [JsonPropertyName("activations")] public string Activations { get; init; } = "uint8, asymmetric, one scale per tensor, static (calibrated)";
    public const string AlwaysFp32 =
        "the last residual block's addition and ReLU (feature_map, for Grad-CAM), the pooling (embedding, for the gates) and the linear head(s)";

    [JsonPropertyName("kept_fp32")] public string KeptFp32 { get; init; } = AlwaysFp32;
    /// <summary><c>minmax</c> or <c>percentile:P</c> (<see cref="Quantization.ActivationRangeMethod"/>).</summary>
    [JsonPropertyName("range_method")] public required string RangeMethod { get; init; }
    [JsonPropertyName("range_method_selection")] public string? RangeMethodSelection { get; init; }
    [JsonPropertyName("calibration_subset")] public required string CalibrationSubset { get; init; }
    /// <summary>Relative paths (under the training data folder) of the films the activation ranges were observed on.</summary>
    [JsonPropertyName("calibration_films")] public required IReadOnlyList<string> CalibrationFilms { get; init; }
    /// <summary>How the int8 convolutions' biases were corrected, and what it did on held-out films; null: not corrected.</summary>
    [JsonPropertyName("bias_correction")] public string? BiasCorrection { get; init; }
    [JsonPropertyName("int8_convolutions")] public int Int8Convolutions { get; init; }
    [JsonPropertyName("quantized_tensors")] public int QuantizedTensors { get; init; }
    [JsonPropertyName("source_model")] public required string SourceModel { get; init; }
    [JsonPropertyName("source_file_sha256")] public string? SourceFileSha256 { get; init; }
    [JsonPropertyName("command")] public string? Command { get; init; }
}
