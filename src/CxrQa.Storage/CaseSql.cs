using CxrQa.Domain;
namespace CxrQa.Storage;

/// <summary>How a case row is selected and read, shared by the case store and the joins of the review store.</summary>
internal static class CaseSql
{
    /// <summary>The case columns under their record names, qualified by <paramref name="alias"/> so joins can use them.</summary>
    public static string Columns(string alias) => $"""
        {alias}.id AS Id, {alias}.created_at AS CreatedAt, {alias}.status AS Status, {alias}.prediction AS Prediction,
        {alias}.pneumonia_probability AS PneumoniaProbability, {alias}.confidence AS Confidence, {alias}.logit AS Logit,
        {alias}.ood_score AS OodScore, {alias}.reasons_json AS Reasons, {alias}.heatmap_grid_json AS HeatmapGridJson,
        {alias}.model_name AS ModelName, {alias}.model_version AS ModelVersion, {alias}.input_sha256 AS InputSha256,
        {alias}.film_file AS FilmFile, {alias}.content_type AS ContentType, {alias}.heatmap_file AS HeatmapFile,
        {alias}.metadata_json AS MetadataJson, {alias}.submitted_by AS SubmittedBy,
        {alias}.submitted_key_id AS SubmittedKeyId, {alias}.submitted_team AS SubmittedTeam, {alias}.message AS Message
        """;
}

/// <summary>A case row as Dapper reads it (times arrive as text on SQLite, DateTime on PostgreSQL; the reasons through
/// <see cref="CaseTypeHandlers"/>; status and prediction by hand, since Dapper reads enums without handlers).</summary>
internal sealed class CaseRow
{
    public string Id { get; set; } = "";
    public object CreatedAt { get; set; } = "";
    public string Status { get; set; } = "";
    public string Prediction { get; set; } = "";
    public double PneumoniaProbability { get; set; }
    public double Confidence { get; set; }
    public double Logit { get; set; }
    public double? OodScore { get; set; }
    public IReadOnlyList<ReasonCode> Reasons { get; set; } = [];
    public string HeatmapGridJson { get; set; } = "";
    public string ModelName { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public string InputSha256 { get; set; } = "";
    public string FilmFile { get; set; } = "";
    public string ContentType { get; set; } = "";
    public string HeatmapFile { get; set; } = "";
    public string MetadataJson { get; set; } = "";
    public string SubmittedBy { get; set; } = "";
    public string? SubmittedKeyId { get; set; }
    public string? SubmittedTeam { get; set; }
    public string? Message { get; set; }

    public CaseRecord ToRecord() => new()
    {
        Id = Id, CreatedAt = DbValues.Time(CreatedAt), Status = CaseStatusNames.Parse(Status), Prediction = ScreeningClassNames.Parse(Prediction),
        PneumoniaProbability = PneumoniaProbability, Confidence = Confidence, Logit = Logit, OodScore = OodScore,
        Reasons = Reasons, HeatmapGridJson = HeatmapGridJson, ModelName = ModelName,
        ModelVersion = ModelVersion, InputSha256 = InputSha256, FilmFile = FilmFile, ContentType = ContentType,
        HeatmapFile = HeatmapFile, MetadataJson = MetadataJson, SubmittedBy = SubmittedBy,
        SubmittedKeyId = SubmittedKeyId, SubmittedTeam = SubmittedTeam, Message = Message,
    };
}
