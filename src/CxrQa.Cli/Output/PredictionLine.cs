using System.Text.Json;
using System.Text.Json.Serialization;
using CxrQa.Core.Pipeline;
using CxrQa.Domain;

namespace CxrQa.Cli.Output;

/// <summary>One JSON line of <c>predict</c> output. Field names are a public contract.</summary>
public sealed record PredictionLine
{
    [JsonPropertyName("file")] public required string File { get; init; }
    [JsonPropertyName("prediction")] public string? Prediction { get; init; }
    [JsonPropertyName("pneumonia_probability")] public double? PneumoniaProbability { get; init; }
    [JsonPropertyName("confidence")] public double? Confidence { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("reasons")] public IReadOnlyList<string>? Reasons { get; init; }
    [JsonPropertyName("case_id")] public string? CaseId { get; init; }
    [JsonPropertyName("model")] public ModelIdentity? Model { get; init; }
    [JsonPropertyName("review_folder")] public string? ReviewFolder { get; init; }
    /// <summary>Grad-CAM for the predicted class, 7x7, top row first, normalised to [0, 1].</summary>
    [JsonPropertyName("heatmap_grid")] public double[][]? HeatmapGrid { get; init; }
    [JsonPropertyName("heatmap_empty")] public bool? HeatmapEmpty { get; init; }
    [JsonPropertyName("heatmap_file")] public string? HeatmapFile { get; init; }
    [JsonPropertyName("error")] public ErrorBody? Error { get; init; }

    public sealed record ErrorBody(
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("message")] string Message);

    public static PredictionLine From(string file, ScreeningResult r, string? reviewFolder, string? heatmapFile) => new()
    {
        File = file,
        Prediction = r.Prediction,
        PneumoniaProbability = Math.Round(r.PneumoniaProbability, 6),
        Confidence = Math.Round(r.Confidence, 6),
        Status = r.Decision.StatusText,
        Reasons = r.Decision.Reasons,
        CaseId = r.CaseId,
        Model = r.Model,
        ReviewFolder = reviewFolder,
        HeatmapGrid = Core.Explain.HeatmapGridJson.ToRows(r.Heatmap),
        HeatmapEmpty = r.Heatmap.Empty ? true : null,
        HeatmapFile = heatmapFile,
    };

    public static PredictionLine Failed(string file, string code, string message) => new()
    {
        File = file,
        Error = new ErrorBody(code, message),
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
