using CxrQa.Domain;
using System.Data.Common;
using Dapper;
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
        Status = CaseStatusNames.Parse(status),
        Prediction = ScreeningClass.Pneumonia,
        PneumoniaProbability = 0.987654321,
        Confidence = 0.987654321,
        Logit = 4.25,
        OodScore = null,
        Reasons = [],
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
        var record = Sample() with
        {
            OodScore = 12.5, Reasons = [ReasonCode.Parse(ReasonCodes.LowConfidence), ReasonCode.Parse(ReasonCodes.FeatureShift)], Status = CaseStatus.PendingReview,
            Message = "Confidence below the certified level for Pneumonia answers: routed to radiologist",
        };
        await store.InsertAsync(record, new Actor("tester", null), auditSample: false, CancellationToken.None);

        var back = await store.GetAsync(record.Id, CancellationToken.None);
        Assert.NotNull(back);
        Assert.Equal(record with { CreatedAt = back.CreatedAt, Reasons = back.Reasons }, back);
        Assert.Equal(record.Reasons, back.Reasons); // typed, through the Dapper type handler
        await using (var connection = await db.OpenAsync(CancellationToken.None))
            Assert.Equal("""["low_confidence","feature_shift"]""", await connection.ExecuteScalarAsync<string>(
                "SELECT reasons_json FROM cases WHERE id = @Id", new { record.Id })); // the column keeps the names
        Assert.Equal(record.CreatedAt, back.CreatedAt, TimeSpan.FromMilliseconds(1));
        Assert.True(await store.ExistsAsync(record.Id, CancellationToken.None));
        Assert.Equal(1, await store.CountByStatusAsync(CaseStatus.PendingReview, CancellationToken.None));

        var audit = Assert.Single(await store.AuditTrailAsync(record.Id, CancellationToken.None));
        Assert.Equal(("tester", AuditActions.Created), (audit.Actor, audit.Action));
        Assert.Null(audit.BeforeJson);
        Assert.Contains("pending_review", audit.AfterJson);
    }

    [Fact]
    public async Task The_owner_key_round_trips_and_film_reads_are_appended_to_the_trail()
    {
        var db = await MigratedAsync();
        var store = new SqlCaseStore(db);
        var record = Sample() with { SubmittedKeyId = "key-a" };
        await store.InsertAsync(record, new Actor("ward-a", "key-a"), auditSample: false, CancellationToken.None);
        Assert.Equal("key-a", (await store.GetAsync(record.Id, CancellationToken.None))!.SubmittedKeyId);
        var anonymous = Sample();
        await store.InsertAsync(anonymous, Actor.Anonymous, auditSample: false, CancellationToken.None);
        Assert.Null((await store.GetAsync(anonymous.Id, CancellationToken.None))!.SubmittedKeyId);

        await store.RecordFilmReadAsync(record.Id, new Actor("dr-r", "key-r"), "image", deidentified: false, record.CreatedAt.AddMinutes(1), CancellationToken.None);
        var trail = await store.AuditTrailAsync(record.Id, CancellationToken.None);
        Assert.Equal([AuditActions.Created, AuditActions.FilmRead], trail.Select(e => e.Action));
        var read = trail[1];
        Assert.Equal(("dr-r", "key-r"), (read.Actor, read.ActorKeyId));
        Assert.Equal("""{"view":"image","deidentified":false}""", read.AfterJson);
        Assert.Equal(record.CreatedAt.AddMinutes(1), read.At, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Migration_6_takes_a_cases_owner_from_its_created_event()
    {
        var db = await NewDatabaseAsync();
        await SchemaMigrations.ApplyAsync(db, upToVersion: 5, CancellationToken.None);
        var (keyed, unkeyed) = (Sample(), Sample());
        await using (var connection = await db.OpenAsync(CancellationToken.None))
        {
            foreach (var (c, key) in new[] { (keyed, "key-a"), (unkeyed, (string?)null) })
            {
                await connection.ExecuteAsync("""
                    INSERT INTO cases (id, created_at, status, prediction, pneumonia_probability, confidence, logit, ood_score,
                        reasons_json, heatmap_grid_json, model_name, model_version, input_sha256, film_file, content_type,
                        heatmap_file, metadata_json, submitted_by)
                    VALUES (@Id, @CreatedAt, 'automated', 'Normal', 0.1, 0.9, -2, NULL, '[]', '[[0]]', 'm', '1', 'x', 'film.jpg',
                        'image/jpeg', 'heatmap.png', '{}', 'ward-a')
                    """, new { c.Id, CreatedAt = c.CreatedAt.UtcDateTime });
                await connection.ExecuteAsync("""
                    INSERT INTO audit_events (case_id, actor, actor_key_id, action, at, before_json, after_json)
                    VALUES (@Id, 'ward-a', @key, 'created', @CreatedAt, NULL, '{}')
                    """, new { c.Id, key, CreatedAt = c.CreatedAt.UtcDateTime });
            }
        }
        Assert.Equal([6], await SchemaMigrations.ApplyAsync(db, upToVersion: 6, CancellationToken.None));
        await SchemaMigrations.ApplyAsync(db, CancellationToken.None);
        var store = new SqlCaseStore(db);
        var back = (await store.GetAsync(keyed.Id, CancellationToken.None))!;
        Assert.Equal("key-a", back.SubmittedKeyId);
        // A name is no proof of which key sent the film: without a recorded key id the case has no owner.
        Assert.Null((await store.GetAsync(unkeyed.Id, CancellationToken.None))!.SubmittedKeyId);
        // Migration 8 adds the stored routing message; a case from before it has none (the server words it on read).
        Assert.Null(back.Message);
        Assert.Equal((CaseStatus.Automated, ScreeningClass.Normal), (back.Status, back.Prediction));
    }

    [Fact]
    public async Task Migration_9_leaves_stored_cases_team_less_and_set_team_back_fills_them_from_their_owner_key()
    {
        var db = await NewDatabaseAsync();
        await SchemaMigrations.ApplyAsync(db, upToVersion: 8, CancellationToken.None);
        var (first, second, other, unowned) = (Sample(), Sample(), Sample(), Sample());
        await using (var connection = await db.OpenAsync(CancellationToken.None))
        {
            foreach (var key in new[] { "key-a", "key-b" })
                await connection.ExecuteAsync("""
                    INSERT INTO api_keys (id, name, role, key_sha256, created_at, revoked)
                    VALUES (@key, @key, 'submitter', @key, @at, @revoked)
                    """, new { key, at = DateTimeOffset.UnixEpoch.UtcDateTime, revoked = false });
            foreach (var (c, key) in new[] { (first, "key-a"), (second, "key-a"), (other, "key-b"), (unowned, (string?)null) })
                await connection.ExecuteAsync("""
                    INSERT INTO cases (id, created_at, status, prediction, pneumonia_probability, confidence, logit, ood_score,
                        reasons_json, heatmap_grid_json, model_name, model_version, input_sha256, film_file, content_type,
                        heatmap_file, metadata_json, submitted_by, submitted_key_id)
                    VALUES (@Id, @CreatedAt, 'pending_review', 'Normal', 0.1, 0.9, -2, NULL, '[]', '[[0]]', 'm', '1', 'x', 'film.jpg',
                        'image/jpeg', 'heatmap.png', '{}', 'ward', @key)
                    """, new { c.Id, CreatedAt = c.CreatedAt.UtcDateTime, key });
        }
        Assert.Equal([9], await SchemaMigrations.ApplyAsync(db, upToVersion: 9, CancellationToken.None));
        var store = new SqlCaseStore(db);
        var keys = new SqlApiKeyStore(db);
        // No key had a team before migration 9, so no stored case has one: only reviewers without a team and admins read them.
        foreach (var c in new[] { first, second, other, unowned })
            Assert.Null((await store.GetAsync(c.Id, CancellationToken.None))!.SubmittedTeam);
        Assert.All(await keys.ListAsync(CancellationToken.None), k => Assert.Null(k.Team));

        // A case recorded with a team keeps it (a case belongs to the team that submitted it).
        var recorded = Sample() with { SubmittedKeyId = "key-a", SubmittedTeam = "west" };
        await store.InsertAsync(recorded, new Actor("key-a", "key-a", "west"), auditSample: false, CancellationToken.None);
        Assert.Equal("west", (await store.GetAsync(recorded.Id, CancellationToken.None))!.SubmittedTeam);

        var assigned = await keys.SetTeamAsync("key-a", "  north ", CancellationToken.None);
        Assert.Equal(("key-a", "north", 2L), (assigned!.Key.Id, assigned.Key.Team, assigned.CasesBackFilled));
        var teams = await Task.WhenAll(new[] { first, second, other, unowned, recorded }.Select(async c => (await store.GetAsync(c.Id, CancellationToken.None))!.SubmittedTeam));
        Assert.Equal(new List<string?> { "north", "north", null, null, "west" }, teams.ToList());
        Assert.Equal([("key-a", "north"), ("key-b", null)], (await keys.ListAsync(CancellationToken.None)).Select(k => (k.Id, k.Team)));
        Assert.Null(await keys.SetTeamAsync("no-such-key", "north", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => keys.SetTeamAsync("key-b", " ", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => keys.SetTeamAsync("key-b", "a\nb", CancellationToken.None));
        Assert.Null((await keys.ListAsync(CancellationToken.None))[1].Team);
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
