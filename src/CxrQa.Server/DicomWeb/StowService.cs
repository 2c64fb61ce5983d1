using CxrQa.Core.Dicom;
using CxrQa.Core.Dicom.Results;
using CxrQa.Core.Pipeline;
using CxrQa.Server.Cases;
using CxrQa.Server.Http;
using CxrQa.Server.Inference;
using CxrQa.Storage;

namespace CxrQa.Server.DicomWeb;

/// <summary>What a Store Instances request came to, and whether the server asks the sender to retry later.</summary>
public sealed record StowOutcome(StoreInstancesResponse Response, bool RetryLater);

/// <summary>
/// The STOW-RS receiver behind POST /dicomweb/studies: every instance that is a DICOM film of the target study is
/// screened through <see cref="CaseService"/> (the same queue, limits, store and PACS outbox as POST /predict) and
/// becomes a case; every other part is answered as a failed instance with the standard's reason.
/// </summary>
public sealed partial class StowService(CaseService cases, FilmLimits limits, ResultObjectsOptions resultObjects, ILogger<StowService> logger)
{
    /// <param name="targetStudy">The Study Instance UID of the request URL, or null for /studies.</param>
    /// <param name="caseUrl">The absolute URL of a case, by id (the Retrieve URL of a stored instance).</param>
    public async Task<StowOutcome> StoreAsync(IReadOnlyList<StowPart> parts, string? targetStudy, Actor actor, Func<string, string> caseUrl,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(caseUrl);
        var failed = new List<FailedSop>();
        var candidates = new List<(StowPart Part, DicomInstanceIdentity Identity)>();
        foreach (var part in parts)
        {
            var identity = DicomInstanceIdentity.TryRead(part.Bytes, limits.Screening);
            if (!part.MediaType.Equals(UploadReader.DicomMediaType, StringComparison.OrdinalIgnoreCase) || identity is null)
            {
                failed.Add(new FailedSop(identity?.SopClassUid, identity?.SopInstanceUid, FailureReason.CannotUnderstand));
                LogPartFailed(part.Index, FailureReason.CannotUnderstand, "not a DICOM instance");
            }
            else if (targetStudy is not null && !string.Equals(identity.StudyInstanceUid, targetStudy, StringComparison.Ordinal))
            {
                failed.Add(new FailedSop(identity.SopClassUid, identity.SopInstanceUid, FailureReason.DataSetDoesNotMatchSopClass));
                LogPartFailed(part.Index, FailureReason.DataSetDoesNotMatchSopClass, "not of the study in the request URL");
            }
            else if (OwnResultObjects.IsOwn(identity, resultObjects))
            {
                // A PACS forwarding everything it stores sends our report and overlay back; screening the overlay would
                // answer with new objects, sent back again, without end.
                failed.Add(new FailedSop(identity.SopClassUid, identity.SopInstanceUid, FailureReason.ReferencedSopClassNotSupported));
                LogPartFailed(part.Index, FailureReason.ReferencedSopClassNotSupported, "a CxrQa result object, not a film");
            }
            else
            {
                candidates.Add((part, identity));
            }
        }

        var referenced = new List<ReferencedSop>();
        var retryLater = false;
        if (candidates.Count > 0)
        {
            IReadOnlyList<CaseOutcome>? outcomes = null;
            try
            {
                outcomes = await cases.ScreenAsync(
                    candidates.Select(c => new FilmInput($"instance {c.Part.Index}", c.Part.Bytes)).ToList(), actor, cancellationToken);
            }
            catch (Exception e) when (e is QueueFullException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The whole request found no room (or no time): nothing was stored by this request's screening that
                // the answer cannot name, so each instance is "out of resources" and the sender retries them.
                retryLater = true;
                foreach (var (part, identity) in candidates)
                {
                    failed.Add(new FailedSop(identity.SopClassUid, identity.SopInstanceUid, FailureReason.OutOfResources));
                    LogPartFailed(part.Index, FailureReason.OutOfResources, e is QueueFullException ? ApiErrorCodes.QueueFull : ApiErrorCodes.Timeout);
                }
            }
            for (var i = 0; outcomes is not null && i < outcomes.Count; i++)
            {
                var (part, identity) = candidates[i];
                if (outcomes[i].Case is { } view)
                {
                    referenced.Add(new ReferencedSop(identity.SopClassUid, identity.SopInstanceUid, caseUrl(view.CaseId)));
                    continue;
                }
                var reason = FailureReason.ForFilmError(outcomes[i].Error!.Code);
                failed.Add(new FailedSop(identity.SopClassUid, identity.SopInstanceUid, reason));
                LogPartFailed(part.Index, reason, outcomes[i].Error!.Code);
            }
        }
        return new StowOutcome(new StoreInstancesResponse(referenced, failed), retryLater);
    }

    // The part's position and the stable code only: UIDs and header values stay out of the log.
    [LoggerMessage(Level = LogLevel.Information, Message = "STOW-RS part {Index} not stored: failure reason {Reason:X4} ({Why})")]
    private partial void LogPartFailed(int index, ushort reason, string why);
}
