using CxrQa.Domain;
using System.Reflection;
using CxrQa.Admin.Automation;
using CxrQa.Core.Dicom.Results;
using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Routing;
using CxrQa.Server.Cases;
using CxrQa.Storage;

namespace CxrQa.Server.Pacs;

/// <summary>An outbox row whose objects cannot be made now (the case, its film or its decision is missing).</summary>
public sealed class PacsObjectsUnavailableException(string message) : Exception(message);

/// <summary>
/// Makes the DICOM objects of one outbox row from what the case stores: the film as received (its study, series and
/// patient modules are copied by <see cref="ResultObjectsBuilder"/>), the answer, the Grad-CAM grid and, for the
/// verified report, the radiologist's decision. Made at send time rather than stored: the builder is deterministic
/// (UIDs from the case id), so every attempt sends the same instances.
/// </summary>
public sealed class PacsResultObjects(
    ICaseStore cases,
    IReviewStore reviews,
    CaseFiles files,
    FilmDecoder decoder,
    FilmLimits limits,
    ScreeningService screening,
    AutomationOptions automation,
    ResultObjectsBuilder builder)
{
    private static readonly string SoftwareVersion =
        typeof(PacsResultObjects).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(PacsResultObjects).Assembly.GetName().Version?.ToString() ?? "unknown";

    private readonly RoutingPolicyFacts _policy = RoutingPolicyFacts.From(screening.Trust);

    public async Task<IReadOnlyList<DicomResultObject>> BuildAsync(PacsOutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var record = await cases.GetAsync(item.CaseId, cancellationToken)
            ?? throw new PacsObjectsUnavailableException("the case is not in the store");
        var path = files.PathOf(record.Id, record.FilmFile);
        if (!File.Exists(path))
            throw new PacsObjectsUnavailableException("the case's film file is missing");
        var film = await File.ReadAllBytesAsync(path, cancellationToken);
        var report = ReportOf(record);
        switch (item.Kind)
        {
            case PacsObjectKinds.ResultReport:
                return [builder.BuildReport(film, report)];
            case PacsObjectKinds.Overlay:
                // Drawn at the film's own size, as the overlay PNG of GET /cases/{id}/heatmap.png is.
                var decoded = decoder.Decode(film, limits.Screening);
                var overlay = FilmOverlay.RenderRgb(decoded.Image, HeatmapOverlays.CamOf(record.HeatmapGridJson), screening.Preprocessor.Options);
                return [builder.BuildOverlay(film, report, overlay)];
            case PacsObjectKinds.VerifiedReport:
                var review = (await reviews.GetAsync(record.Id, cancellationToken))?.Review;
                if (review is not { State: ReviewStates.Decided, DecidedBy: { } by, DecidedAt: { } at, Label: { } label })
                    throw new PacsObjectsUnavailableException("the case's review is not decided");
                var verification = new ReviewVerification(by, automation.Site, at, Enum.Parse<ReviewLabel>(label));
                return [builder.BuildVerifiedReport(film, report, verification)];
            default:
                throw new PacsObjectsUnavailableException($"unknown outbox kind '{item.Kind}'");
        }
    }

    private ScreeningReport ReportOf(CaseRecord record)
    {
        var reasons = ReasonCode.Names(record.Reasons);
        return new ScreeningReport(
            record.Id,
            record.Model,
            SoftwareVersion,
            record.CreatedAt,
            record.Prediction,
            record.PneumoniaProbability,
            record.Status,
            reasons.Select(r => new RoutingReason(r, ReviewMessages.Phrase(r, record.Prediction.Name(), _policy))).ToList());
    }
}
