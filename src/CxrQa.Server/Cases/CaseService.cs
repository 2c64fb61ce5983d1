using CxrQa.Domain;
using System.Text.Json;
using CxrQa.Core.Errors;
using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using CxrQa.Core.Pipeline;
using CxrQa.Server.Http;
using CxrQa.Server.Inference;
using CxrQa.Server.Metrics;
using CxrQa.Server.Pacs;
using CxrQa.Admin.Automation;
using CxrQa.Storage;

namespace CxrQa.Server.Cases;

/// <summary>One screened upload item: a stored case, or the film's error.</summary>
public sealed record CaseOutcome(string FileName, CaseView? Case, ApiException? Error);

/// <summary>
/// Screens uploads through the inference queue and makes each answer durable: files written and fsynced under
/// cases/&lt;id&gt;/, then the row committed. Only then does the caller answer 200.
/// </summary>
public sealed partial class CaseService(
    InferenceQueue queue,
    ScreeningService screening,
    CaseFiles files,
    ICaseStore store,
    ServerOptions options,
    ServerMetrics metrics,
    AutomationMonitor monitor,
    PacsForwarding pacs,
    PacsOutboxSignal pacsOutbox,
    ILogger<CaseService> logger)
{
    public RoutingPolicyFacts Policy { get; } = RoutingPolicyFacts.From(screening.Trust);

    public async Task<IReadOnlyList<CaseOutcome>> ScreenAsync(IReadOnlyList<FilmInput> films, Actor actor, CancellationToken cancellationToken)
    {
        var outcomes = await queue.ScreenAsync(films, actor.KeyId ?? "", cancellationToken);
        var answers = new CaseOutcome[outcomes.Count];
        for (var i = 0; i < outcomes.Count; i++)
        {
            var outcome = outcomes[i];
            if (outcome.Result is not { } result)
            {
                metrics.CountError(outcome.Error!.Code);
                LogRefused(outcome.Error.Code);
                answers[i] = new CaseOutcome(outcome.Input.Name, null, ApiException.FromFilm(outcome.Error.Code, outcome.Error.Message));
                continue;
            }
            // The one place the site's pause applies: after routing, before the answer is stored. Every answered film
            // joins the monitored stream, whatever its routing.
            result = await monitor.ApplyAsync(result, cancellationToken);
            var (record, review) = await StoreAsync(outcome, result, actor, cancellationToken);
            metrics.CountAnswer(record.Status.Name(), result.Decision.Reasons);
            LogAnswered(record.Id, record.Status.Name(), string.Join(',', result.Decision.Reasons), review?.Origin ?? "none");
            answers[i] = new CaseOutcome(outcome.Input.Name, CaseView.From(record, Policy, review), null);
            // The store queued the case's results for the PACS with the case: this replica's sender goes now.
            if (pacs.Forwards(record.ContentType))
                pacsOutbox.Notify();
        }
        return answers;
    }

    private async Task<(CaseRecord Record, ReviewRecord? Review)> StoreAsync(ScreeningOutcome outcome, ScreeningResult result, Actor actor, CancellationToken cancellationToken)
    {
        var (filmFile, contentType) = StoredFilm(result.Metadata.Format);
        var record = new CaseRecord
        {
            Id = result.CaseId,
            CreatedAt = DateTimeOffset.UtcNow,
            Status = result.Decision.Status,
            Prediction = ScreeningClassNames.Parse(result.Prediction),
            Message = ReviewMessages.For(result.Decision.Status, ScreeningClassNames.Parse(result.Prediction), result.Decision.Reasons, Policy),
            PneumoniaProbability = result.PneumoniaProbability,
            Confidence = result.Confidence,
            Logit = result.Logit,
            OodScore = double.IsFinite(result.OodScore) ? result.OodScore : null,
            Reasons = [.. result.Decision.Reasons.Select(ReasonCode.Parse)],
            HeatmapGridJson = JsonSerializer.Serialize(HeatmapGridJson.ToRows(result.Heatmap)),
            ModelName = result.Model.Name,
            ModelVersion = result.Model.Version,
            InputSha256 = result.InputSha256,
            FilmFile = filmFile,
            ContentType = contentType,
            HeatmapFile = CaseFiles.HeatmapFileName,
            MetadataJson = JsonSerializer.Serialize(QualityOf(result), ServerJson.Options),
            SubmittedBy = actor.Name,
            SubmittedKeyId = actor.KeyId,
            SubmittedTeam = actor.Team,
        };
        // The overlay PNG is not made here: HeatmapOverlays draws it from the film and the stored grid on its first request.
        await files.WriteAsync(record.Id, new Dictionary<string, ReadOnlyMemory<byte>>
        {
            [filmFile] = outcome.Input.Bytes,
        }, cancellationToken);
        var auditSample = AuditSampling.IsSampled(record.Id, options.AuditSampleFraction);
        try
        {
            // The row is the commit point: files without a row are removed at the next start. The review row, when
            // the case goes to the queue, is committed with it.
            var review = await store.InsertAsync(record, actor, auditSample, CancellationToken.None);
            return (record, review);
        }
        catch
        {
            files.Delete(record.Id);
            throw;
        }
    }

    /// <summary>The measurements a client sees under "quality": sizes, format and the DICOM header facts (no PHI).</summary>
    private static StoredQuality QualityOf(ScreeningResult r)
    {
        var m = r.Metadata;
        return new(m.Format, m.OriginalWidth, m.OriginalHeight, m.BitsStored, m.Channels, Math.Round(m.Colourfulness, 4), m.Dicom,
            Finite(r.Signals.FeatureShift), Finite(r.Signals.EnsembleSpread), r.Signals.Members);
    }

    private static double? Finite(double v) => double.IsFinite(v) ? Math.Round(v, 4) : null;

    /// <summary>Stored with the case and shown as its <c>quality</c>: what the decoder learned and what the shift gates
    /// measured (<c>feature_shift</c>, <c>ensemble_spread</c> = standard deviation of the members' logits).</summary>
    private sealed record StoredQuality(ImageFormat Format, int Width, int Height, int BitsStored, int Channels, double Colourfulness, DicomFacts? Dicom,
        double? FeatureShift, double? EnsembleSpread, int EnsembleMembers);

    public static (string FileName, string ContentType) StoredFilm(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => ("film.jpg", "image/jpeg"),
        ImageFormat.Png => ("film.png", "image/png"),
        ImageFormat.Dicom => ("film.dcm", "application/dicom"),
        _ => throw new CxrQaException(ErrorCodes.UnsupportedFormat, "unknown film format"),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "case {CaseId} answered: {Status} [{Reasons}], review queue: {ReviewOrigin}")]
    private partial void LogAnswered(string caseId, string status, string reasons, string reviewOrigin);

    [LoggerMessage(Level = LogLevel.Information, Message = "film refused: {Code}")]
    private partial void LogRefused(string code);
}
