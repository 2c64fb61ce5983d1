using CxrQa.Storage;

namespace CxrQa.Server.Security;

/// <summary>A case the request may read, with what it may see of it.</summary>
/// <param name="Reader">Who reads (the key's name and id), for the audit trail.</param>
/// <param name="MayReadIdentified">Whether the original DICOM, patient headers included, may be served; otherwise a
/// de-identified copy.</param>
public sealed record ReadableCase(CaseRecord Record, ReviewRecord? Review, Actor Reader, bool MayReadIdentified);

/// <summary>
/// Least privilege on /cases/*: a submitter key reads only the cases it submitted; a reviewer key the cases in the
/// review queue (any state) of its team (<see cref="TeamScope"/>: a reviewer key without a team, every team's); an
/// admin key every case. Only reviewers and admins see identified DICOM. A request
/// without a key (an open loopback server, CxrQa:RequireKeyForPredict unset) reads every case, de-identified. A case
/// the request may not read is answered exactly like one that does not exist (404), so ids cannot be probed.
/// </summary>
public sealed class CaseAccess(ICaseStore cases, IReviewStore reviews, TimeProvider time)
{
    /// <summary>The case when it exists and the request may read it; otherwise null.</summary>
    public async Task<ReadableCase?> FindAsync(string id, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!Cases.CaseFiles.IsValidId(id))
            return null;
        // One query when the case is queued (the review row comes with its case), two otherwise.
        var queued = await reviews.GetAsync(id, cancellationToken);
        var record = queued?.Case ?? await cases.GetAsync(id, cancellationToken);
        if (record is null)
            return null;
        var actor = http.User.ApiKeyActor();
        var role = http.User.ApiKeyRole();
        var allowed = role switch
        {
            null => true,
            ApiKeyRoles.Admin => true,
            ApiKeyRoles.Reviewer => queued is not null && http.User.ReviewScope().Includes(record),
            ApiKeyRoles.Submitter => record.SubmittedKeyId is not null && record.SubmittedKeyId == actor.KeyId,
            _ => false,
        };
        if (!allowed)
            return null;
        return new ReadableCase(record, queued?.Review, actor, MayReadIdentified: role is ApiKeyRoles.Reviewer or ApiKeyRoles.Admin);
    }

    /// <summary>Records that the reader was served <paramref name="view"/> of the film (before the bytes go out: a
    /// read that cannot be audited is not served).</summary>
    public Task AuditReadAsync(ReadableCase readable, string view, bool deidentified, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readable);
        return cases.RecordFilmReadAsync(readable.Record.Id, readable.Reader, view, deidentified, time.GetUtcNow(), cancellationToken);
    }
}
