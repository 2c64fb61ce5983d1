using CxrQa.Domain;
using CxrQa.Server.Tests.Support;
using CxrQa.Storage;

namespace CxrQa.Server.Tests;

/// <summary>What the automation store must do, on SQLite and PostgreSQL: one row per site created on first use,
/// read-decide-write under a lock (concurrent observers lose no film), events only when the switch moves, and the
/// audit-sample counts per predicted class of one model.</summary>
public abstract class AutomationStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract Task<CxrQaDatabase> NewDatabaseAsync();

    private async Task<(SqlCaseStore Cases, SqlReviewStore Reviews, SqlAutomationStore Automation)> StoresAsync()
    {
        var db = await NewDatabaseAsync();
        await SchemaMigrations.ApplyAsync(db, None);
        return (new SqlCaseStore(db), new SqlReviewStore(db), new SqlAutomationStore(db));
    }

    [Fact]
    public async Task A_pause_is_stored_with_its_event_and_read_back_by_site()
    {
        var (_, _, store) = await StoresAsync();
        Assert.Null(await store.GetAsync("ward-7", None));

        var paused = await store.UpdateAsync("ward-7", "m@1", T0, current => new AutomationChange(
            current with { Paused = true, PausedAt = T0, PauseCause = PauseCauses.Drift, PauseDetail = "why", Films = 42, StatisticsJson = """{"a":1.5}""" },
            new AutomationEventDraft("monitor", AutomationActions.Paused, """{"cause":"drift"}""")), None);
        await store.UpdateAsync("ward-7", "m@1", T0.AddMinutes(1), current => new AutomationChange(current with { Films = current.Films + 1 }, null), None);

        var back = await store.GetAsync("ward-7", None);
        Assert.Equal(paused with { Films = 43, UpdatedAt = back!.UpdatedAt }, back);
        Assert.Equal(T0, back.PausedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Null(await store.GetAsync("other-site", None));
        var e = Assert.Single(await store.EventsAsync("ward-7", 10, None));
        Assert.Equal(("monitor", AutomationActions.Paused, """{"cause":"drift"}"""), (e.Actor, e.Action, e.DetailJson));
    }

    [Fact]
    public async Task Concurrent_updates_serialise_on_the_row_and_lose_no_film()
    {
        var (_, _, store) = await StoresAsync();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() =>
            store.UpdateAsync("site", "m@1", T0, current => new AutomationChange(current with { Films = current.Films + 1 }, null), None))));

        Assert.Equal(40, (await store.GetAsync("site", None))!.Films);
    }

    [Fact]
    public async Task Audit_sample_counts_are_per_predicted_class_of_one_model_and_leave_out_unreadable_and_routed()
    {
        var (cases, reviews, store) = await StoresAsync();
        async Task DecideAsync(string prediction, string label, bool sample = true, string version = "1")
        {
            var record = CaseStoreContract.Sample(status: sample ? "automated" : "pending_review") with { Prediction = ScreeningClassNames.Parse(prediction), ModelVersion = version };
            await cases.InsertAsync(record, new Actor("ward", null), sample, None);
            await reviews.ClaimAsync(record.Id, new Actor("dr", null), T0, TimeSpan.FromHours(1), None);
            await reviews.DecideAsync(record.Id, new Actor("dr", null), label, null, T0, None);
        }
        await DecideAsync("Pneumonia", "Pneumonia");
        await DecideAsync("Pneumonia", "Normal");
        await DecideAsync("Pneumonia", "Unreadable");
        await DecideAsync("Normal", "Normal");
        await DecideAsync("Pneumonia", "Normal", sample: false);
        await DecideAsync("Pneumonia", "Normal", version: "2");

        var counts = (await store.AuditSampleCountsAsync(CaseStoreContract.Sample().ModelName, "1", None)).OrderBy(c => c.Prediction).ToList();

        Assert.Equal([new AuditSampleCount("Normal", 1, 0), new AuditSampleCount("Pneumonia", 2, 1)], counts);
    }
}

public sealed class SqliteAutomationStoreTests : AutomationStoreContract, IDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override Task<CxrQaDatabase> NewDatabaseAsync() => Task.FromResult(new CxrQaDatabase(_databases.NewSettings()));

    public void Dispose() => _databases.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAutomationStoreTests(PostgresServer postgres) : AutomationStoreContract
{
    protected override async Task<CxrQaDatabase> NewDatabaseAsync() => new(await postgres.NewSettingsAsync());
}
