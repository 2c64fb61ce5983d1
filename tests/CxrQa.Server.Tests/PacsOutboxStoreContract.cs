using CxrQa.Domain;
using CxrQa.Server.Tests.Support;
using CxrQa.Storage;

namespace CxrQa.Server.Tests;

/// <summary>What the PACS outbox must do on SQLite and PostgreSQL: rows written with the case (or the decision) in one
/// transaction, claims that never hand one row to two senders at once, leases that expire, retries that wait.</summary>
public abstract class PacsOutboxStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 4, 0, 0, TimeSpan.Zero); // after the sample cases were created
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract Task<CxrQaDatabase> NewDatabaseAsync();

    private async Task<CxrQaDatabase> MigratedAsync()
    {
        var db = await NewDatabaseAsync();
        await SchemaMigrations.ApplyAsync(db, None);
        return db;
    }

    private static CaseRecord DicomCase(string status = "automated") => CaseStoreContract.Sample(status: status) with
    {
        FilmFile = "film.dcm",
        ContentType = PacsForwarding.DicomContentType,
    };

    [Fact]
    public async Task A_dicom_case_queues_its_report_and_overlay_with_the_case()
    {
        var db = await MigratedAsync();
        var cases = new SqlCaseStore(db, new PacsForwarding(true));
        var outbox = new SqlPacsOutboxStore(db);
        var dicom = DicomCase();
        await cases.InsertAsync(dicom, new Actor("pacs", null), auditSample: false, None);
        await cases.InsertAsync(CaseStoreContract.Sample(), new Actor("ward", null), auditSample: false, None);

        var rows = await outbox.ForCaseAsync(dicom.Id, None);
        Assert.Equal(PacsObjectKinds.OnCreated, rows.Select(r => r.Kind));
        Assert.All(rows, r => Assert.Equal(PacsOutboxStates.Pending, r.State));
        Assert.All(rows, r => Assert.Equal(0, r.Attempts));
        Assert.Equal(2, await outbox.PendingCountAsync(None)); // the JPEG case has no study to join: nothing queued
    }

    [Fact]
    public async Task Without_a_pacs_nothing_is_queued()
    {
        var db = await MigratedAsync();
        var dicom = DicomCase("pending_review");
        await new SqlCaseStore(db).InsertAsync(dicom, new Actor("pacs", null), auditSample: false, None);
        var reviews = new SqlReviewStore(db);
        await reviews.ClaimAsync(dicom.Id, new Actor("dr", null), T0, Lease, None);
        await reviews.DecideAsync(dicom.Id, new Actor("dr", null), ReviewLabels.Pneumonia, null, T0, None);
        Assert.Equal(0, await new SqlPacsOutboxStore(db).PendingCountAsync(None));
    }

    [Fact]
    public async Task A_decision_on_a_dicom_case_queues_the_verified_report_in_its_transaction()
    {
        var db = await MigratedAsync();
        var pacs = new PacsForwarding(true);
        var dicom = DicomCase("pending_review");
        var jpeg = CaseStoreContract.Sample(status: "pending_review");
        var cases = new SqlCaseStore(db, pacs);
        await cases.InsertAsync(dicom, new Actor("pacs", null), auditSample: false, None);
        await cases.InsertAsync(jpeg, new Actor("ward", null), auditSample: false, None);
        var reviews = new SqlReviewStore(db, pacs);
        var dr = new Actor("dr", null);
        foreach (var id in new[] { dicom.Id, jpeg.Id })
        {
            Assert.Equal(ReviewOutcome.Done, (await reviews.ClaimAsync(id, dr, T0, Lease, None)).Outcome);
            Assert.Equal(ReviewOutcome.Done, (await reviews.DecideAsync(id, dr, ReviewLabels.Normal, null, T0.AddMinutes(1), None)).Outcome);
        }
        // A refused decision (already decided) queues nothing more.
        Assert.Equal(ReviewOutcome.AlreadyDecided, (await reviews.DecideAsync(dicom.Id, dr, ReviewLabels.Pneumonia, null, T0.AddMinutes(2), None)).Outcome);

        var outbox = new SqlPacsOutboxStore(db);
        Assert.Equal([.. PacsObjectKinds.OnCreated, PacsObjectKinds.VerifiedReport], (await outbox.ForCaseAsync(dicom.Id, None)).Select(r => r.Kind));
        Assert.Empty(await outbox.ForCaseAsync(jpeg.Id, None));
    }

    [Fact]
    public async Task A_claim_is_exclusive_until_its_lease_runs_out_and_only_its_holder_settles_it()
    {
        var db = await MigratedAsync();
        var dicom = DicomCase();
        await new SqlCaseStore(db, new PacsForwarding(true)).InsertAsync(dicom, new Actor("pacs", null), auditSample: false, None);
        var outbox = new SqlPacsOutboxStore(db);

        var first = await outbox.ClaimAsync(10, T0, Lease, None);
        Assert.Equal(2, first.Count);
        Assert.All(first, i => Assert.Equal(1, i.Attempts));
        Assert.Empty(await outbox.ClaimAsync(10, T0.AddSeconds(119), Lease, None)); // leased

        // The lease ran out (the sender died mid-send): another sender takes the rows over; the first one's claim is void.
        var second = await outbox.ClaimAsync(10, T0 + Lease + TimeSpan.FromSeconds(1), Lease, None);
        Assert.Equal(first.Select(i => i.Id), second.Select(i => i.Id));
        Assert.All(second, i => Assert.Equal(2, i.Attempts));
        Assert.False(await outbox.MarkSentAsync(first[0], T0.AddMinutes(3), None));
        Assert.True(await outbox.MarkSentAsync(second[0], T0.AddMinutes(3), None));
        Assert.False(await outbox.MarkSentAsync(second[0], T0.AddMinutes(3), None)); // settled once

        Assert.Equal(1, await outbox.PendingCountAsync(None));
        var rows = await outbox.ForCaseAsync(dicom.Id, None);
        Assert.Equal(PacsOutboxStates.Sent, rows.Single(r => r.Id == second[0].Id).State);
        Assert.Equal(T0.AddMinutes(3), rows.Single(r => r.Id == second[0].Id).SentAt);
    }

    [Fact]
    public async Task A_failed_row_waits_for_its_retry_time_and_keeps_its_error()
    {
        var db = await MigratedAsync();
        var dicom = DicomCase();
        await new SqlCaseStore(db, new PacsForwarding(true)).InsertAsync(dicom, new Actor("pacs", null), auditSample: false, None);
        var outbox = new SqlPacsOutboxStore(db);
        var claimed = await outbox.ClaimAsync(1, T0, Lease, None);
        var item = Assert.Single(claimed);
        Assert.True(await outbox.ScheduleRetryAsync(item, T0.AddSeconds(30), "PACS answered HTTP 503", None));

        // The other row is still due; the failed one is not, until its time.
        var other = Assert.Single(await outbox.ClaimAsync(10, T0.AddSeconds(1), Lease, None));
        Assert.NotEqual(item.Id, other.Id);
        Assert.Empty(await outbox.ClaimAsync(10, T0.AddSeconds(29), Lease, None));
        var again = Assert.Single(await outbox.ClaimAsync(10, T0.AddSeconds(30), Lease, None));
        Assert.Equal(item.Id, again.Id);
        Assert.Equal(2, again.Attempts);
        Assert.Equal("PACS answered HTTP 503", (await outbox.ForCaseAsync(dicom.Id, None)).Single(r => r.Id == item.Id).LastError);
    }

    [Fact]
    public async Task Concurrent_senders_never_claim_the_same_row()
    {
        var db = await MigratedAsync();
        var cases = new SqlCaseStore(db, new PacsForwarding(true));
        for (var i = 0; i < 20; i++)
            await cases.InsertAsync(DicomCase(), new Actor("pacs", null), auditSample: false, None);
        var outbox = new SqlPacsOutboxStore(db);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var mine = new List<PacsOutboxItem>();
            IReadOnlyList<PacsOutboxItem> batch;
            while ((batch = await outbox.ClaimAsync(3, T0, Lease, None)).Count > 0)
                mine.AddRange(batch);
            return mine;
        })));
        var all = claims.SelectMany(c => c).Select(i => i.Id).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(40, all.Distinct().Count());
    }
}

public sealed class SqlitePacsOutboxStoreTests : PacsOutboxStoreContract, IDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override Task<CxrQaDatabase> NewDatabaseAsync() => Task.FromResult(new CxrQaDatabase(_databases.NewSettings()));

    public void Dispose() => _databases.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresPacsOutboxStoreTests(PostgresServer postgres) : PacsOutboxStoreContract
{
    protected override async Task<CxrQaDatabase> NewDatabaseAsync() => new(await postgres.NewSettingsAsync());
}
