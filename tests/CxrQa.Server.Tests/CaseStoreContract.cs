using System.Data.Common;
using CxrQa.Server.Tests.Support;
using CxrQa.Storage;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>What every ICaseStore / IApiKeyStore / migration runner must do, run against SQLite and PostgreSQL.</summary>
public abstract class CaseStoreContract
{
    protected abstract Task<CxrQaDatabase> NewDatabaseAsync();

    private async Task<CxrQaDatabase> MigratedAsync()
    {
        var db = await NewDatabaseAsync();
        await SchemaMigrations.ApplyAsync(db, CancellationToken.None);
        return db;
    }

    public static CaseRecord Sample(string? id = null, string status = "automated") => new()
    {
        Id = id ?? Guid.CreateVersion7().ToString("N"),
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
        Status = status,
        Prediction = "Pneumonia",
        PneumoniaProbability = 0.987654321,
        Confidence = 0.987654321,
        Logit = 4.25,
        OodScore = null,
        ReasonsJson = "[]",
        HeatmapGridJson = "[[0.5]]",
        ModelName = "m",
        ModelVersion = "1.0.0",
        InputSha256 = new string('a', 64),
        FilmFile = "film.jpg",
        ContentType = "image/jpeg",
        HeatmapFile = "heatmap.png",
        MetadataJson = """{"format":"jpeg","width":224}""",
        SubmittedBy = "tester",
    };

    [Fact]
    public async Task Migrations_apply_once_then_are_a_no_op()
    {
        var db = await NewDatabaseAsync();
        var first = await SchemaMigrations.ApplyAsync(db, CancellationToken.None);
        var second = await SchemaMigrations.ApplyAsync(db, CancellationToken.None);
        Assert.Equal(SchemaMigrations.All.Select(m => m.Version), first);
        Assert.Empty(second);
        Assert.Equal(SchemaMigrations.All.Select(m => m.Version), await SchemaMigrations.AppliedAsync(db, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_migrations_apply_each_step_exactly_once()
    {
        var db = await NewDatabaseAsync();
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SchemaMigrations.ApplyAsync(db, CancellationToken.None))));
        Assert.Equal(SchemaMigrations.All.Select(m => m.Version), runs.SelectMany(r => r).Order());
    }

    [Fact]
    public async Task A_case_round_trips_with_its_audit_event()
    {
        var db = await MigratedAsync();
        var store = new SqlCaseStore(db);
        var record = Sample() with { OodScore = 12.5, ReasonsJson = """["low_confidence"]""", Status = "pending_review" };
        await store.InsertAsync(record, new Actor("tester", null), auditSample: false, CancellationToken.None);

        var back = await store.GetAsync(record.Id, CancellationToken.None);
        Assert.NotNull(back);
        Assert.Equal(record with { CreatedAt = back.CreatedAt }, back);
        Assert.Equal(record.CreatedAt, back.CreatedAt, TimeSpan.FromMilliseconds(1));
        Assert.True(await store.ExistsAsync(record.Id, CancellationToken.None));
        Assert.Equal(1, await store.CountByStatusAsync("pending_review", CancellationToken.None));

        var audit = Assert.Single(await store.AuditTrailAsync(record.Id, CancellationToken.None));
        Assert.Equal(("tester", AuditActions.Created), (audit.Actor, audit.Action));
        Assert.Null(audit.BeforeJson);
        Assert.Contains("pending_review", audit.AfterJson);
    }

    [Fact]
    public async Task Unknown_case_is_null_and_a_duplicate_id_is_refused()
    {
        var db = await MigratedAsync();
        var store = new SqlCaseStore(db);
        Assert.Null(await store.GetAsync(new string('0', 32), CancellationToken.None));
        var record = Sample();
        await store.InsertAsync(record, new Actor("a", null), auditSample: false, CancellationToken.None);
        await Assert.ThrowsAnyAsync<DbException>(() => store.InsertAsync(record, new Actor("b", null), auditSample: false, CancellationToken.None));
        Assert.Single(await store.AuditTrailAsync(record.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Api_keys_are_stored_as_hashes_found_by_secret_and_revocable()
    {
        var db = await MigratedAsync();
        var keys = new SqlApiKeyStore(db);
        var created = await keys.CreateAsync("alice", ApiKeyRoles.Reviewer, CancellationToken.None);
        Assert.Equal(43, created.Secret.Length);

        var found = await keys.FindBySecretAsync(created.Secret, CancellationToken.None);
        Assert.Equal(("alice", ApiKeyRoles.Reviewer, false), (found!.Name, found.Role, found.Revoked));
        Assert.Null(await keys.FindBySecretAsync(created.Secret + "x", CancellationToken.None));

        await using (var connection = await db.OpenAsync(CancellationToken.None))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT key_sha256 FROM api_keys";
            Assert.Equal(ApiKeySecrets.Hash(created.Secret), await command.ExecuteScalarAsync());
        }

        Assert.True(await keys.RevokeAsync(created.Record.Id, CancellationToken.None));
        Assert.True((await keys.FindBySecretAsync(created.Secret, CancellationToken.None))!.Revoked);
        await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync("bob", "root", CancellationToken.None));
    }
}

public sealed class SqliteCaseStoreTests : CaseStoreContract, IDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override Task<CxrQaDatabase> NewDatabaseAsync() => Task.FromResult(new CxrQaDatabase(_databases.NewSettings()));

    public void Dispose() => _databases.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseStoreTests(PostgresServer postgres) : CaseStoreContract
{
    protected override async Task<CxrQaDatabase> NewDatabaseAsync() => new(await postgres.NewSettingsAsync());
}
