using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CxrQa.Core.Routing;
using CxrQa.Server.Reviews;
using CxrQa.Storage;
using CxrQa.Domain;

namespace CxrQa.Server.Cases;

/// <summary>The JSON answer for one case, the same for POST /predict and GET /cases/{id} (field names snake_case).</summary>
public sealed record CaseView(
    string CaseId,
    DateTimeOffset Created,
    string Prediction,
    double Confidence,
    double PneumoniaProbability,
    string Status,
    IReadOnlyList<string> Reasons,
    string Message,
    string ImageUrl,
    string HeatmapUrl,
    double[][] HeatmapGrid,
    JsonObject Quality,
    ModelView Model,
    string InputSha256,
    ReviewItem? Review)
{
    /// <param name="review">The case's review row (without the case fields), or null when it is not in the queue.</param>
    /// <param name="policy">Words the message of a case stored before migration 8 (newer cases carry theirs).</param>
    public static CaseView From(CaseRecord record, RoutingPolicyFacts policy, ReviewRecord? review)
    {
        var reasons = ReasonCode.Names(record.Reasons);
        var quality = JsonNode.Parse(record.MetadataJson) as JsonObject ?? new JsonObject();
        quality["ood_score"] = record.OodScore is { } ood ? JsonValue.Create(Math.Round(ood, 4)) : null;
        return new CaseView(
            record.Id, record.CreatedAt, record.Prediction.Name(), record.Confidence, record.PneumoniaProbability, record.Status.Name(),
            reasons, record.Message ?? ReviewMessages.For(record.Status, record.Prediction, reasons, policy),
            CaseUrls.Image(record.Id), CaseUrls.Heatmap(record.Id),
            JsonSerializer.Deserialize<double[][]>(record.HeatmapGridJson) ?? [],
            quality, new ModelView(record.ModelName, record.ModelVersion), record.InputSha256,
            review is null ? null : ReviewItem.From(review));
    }
}

public sealed record ModelView(string Name, string Version);

/// <summary>One item of a multi-file answer that failed; the others still carry their cases.</summary>
public sealed record FailedItemView(string File, FailedItemError Error);

public sealed record FailedItemError(string Code, string Message, int Status);

/// <summary>What the routing policy in force certifies, for the words of an answer.</summary>
/// <param name="Certified">Risk-controlled (certified thresholds) rather than a fixed confidence rule.</param>
/// <param name="AutomatableClasses">The predicted classes the certificate lets the service answer on its own.</param>
public sealed record RoutingPolicyFacts(bool Certified, IReadOnlySet<string> AutomatableClasses)
{
    public static RoutingPolicyFacts From(CxrQa.Core.Trust.BundleTrust trust)
    {
        if (trust.RiskControl is not { } risk)
            return new RoutingPolicyFacts(false, new HashSet<string> { "Normal", "Pneumonia" });
        var classes = new HashSet<string>();
        if (risk.Normal.Threshold is not null)
            classes.Add("Normal");
        if (risk.Pneumonia.Threshold is not null)
            classes.Add("Pneumonia");
        return new RoutingPolicyFacts(true, classes);
    }
}

/// <summary>Why a case went where it went, in words a radiologist reads.</summary>
public static class ReviewMessages
{
    public static string For(CaseStatus status, ScreeningClass prediction, IReadOnlyList<string> reasons, RoutingPolicyFacts policy)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        if (status == CaseStatus.Automated)
            return policy.Certified
                ? "Automated answer within the certified error rate"
                : "Automated answer: confidence at or above the configured threshold";
        if (reasons.Count == 0)
            return "Routed to radiologist";
        return string.Join("; ", reasons.Select(r => Phrase(r, prediction.Name(), policy))) + ": routed to radiologist";
    }

    /// <summary>One routing reason in the words a radiologist reads (also the text of the reason in the DICOM report).</summary>
    public static string Phrase(string reason, string prediction, RoutingPolicyFacts policy) => reason switch
    {
        // A Normal at 0.977 is not "low confidence" when Normal answers are never automated: say what is true.
        ReasonCodes.LowConfidence when policy.Certified && !policy.AutomatableClasses.Contains(prediction) =>
            $"{prediction} answers are not yet certified at this site",
        ReasonCodes.LowConfidence => $"Confidence below the certified level for {prediction} answers",
        ReasonCodes.AutomationPaused =>
            "Automated answers are paused at this site (its monitors saw films or audited errors unlike the certified ones)",
        ReasonCodes.OutOfDistribution => "Film looks unlike the training films (out of distribution)",
        ReasonCodes.FeatureShift => "Film differs from the training films in exposure, texture, framing or anatomy",
        ReasonCodes.EnsembleDisagreement => "The model's independently trained members disagree on this film",
        ReasonCodes.TooSmall => "Film is too small to read",
        ReasonCodes.BlankOrSaturated => "Film is blank or saturated",
        ReasonCodes.LowContrast => "Film has too little contrast",
        ReasonCodes.ColourImage => "Image is in colour, not a radiograph",
        ReasonCodes.NotChestModality => "DICOM header says this is not a chest radiograph",
        ReasonCodes.LateralView => "Lateral view; the model reads frontal films",
        ReasonCodes.PossiblyInverted => "Film may be inverted",
        _ => reason,
    };
}

/// <summary>Serializer settings shared by the stored JSON columns, the HTTP answers and the request bodies.</summary>
public static class ServerJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions());

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        // A repeated property is refused, not resolved to its last value: a proxy or logger that keeps the first
        // would otherwise see another decision than the one recorded.
        options.AllowDuplicateProperties = false;
        return options;
    }
}
