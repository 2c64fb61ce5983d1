using CxrQa.Server.Tests.Support;
using Dapper;
using CxrQa.Storage;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>Creating, listing and revoking keys (the stores behind <c>keys create|list|revoke</c>), on SQLite and
/// PostgreSQL; a key name names one key for good.</summary>
public abstract class ApiKeyAdminContract
{
    protected abstract Task<DatabaseSettings> NewSettingsAsync();

    [Fact]
    public async Task Keys_are_listed_without_secrets_and_revoked_by_name_or_id()
    {
        var settings = await NewSettingsAsync();
        var db = new CxrQaDatabase(settings);
        await SchemaMigrations.ApplyAsync(db, CancellationToken.None);
        var keys = new SqlApiKeyStore(db);
        var first = await keys.CreateAsync("pacs", ApiKeyRoles.Submitter, CancellationToken.None);
        var second = await keys.CreateAsync("pacs-2", ApiKeyRoles.Submitter, CancellationToken.None);
        var other = await keys.CreateAsync("dr-a", ApiKeyRoles.Reviewer, CancellationToken.None);

        var listed = await keys.ListAsync(CancellationToken.None);
        Assert.Equal([first.Record.Id, second.Record.Id, other.Record.Id], listed.Select(k => k.Id));
        Assert.All(listed, k => Assert.False(k.Revoked));

        Assert.Equal(1, await keys.RevokeByNameAsync("pacs", CancellationToken.None));
        Assert.Equal(0, await keys.RevokeByNameAsync("pacs", CancellationToken.None));
        Assert.Equal(1, await keys.RevokeByNameAsync("pacs-2", CancellationToken.None));
        Assert.True((await keys.FindBySecretAsync(second.Secret, CancellationToken.None))!.Revoked);
        Assert.False((await keys.FindBySecretAsync(other.Secret, CancellationToken.None))!.Revoked);

        var output = new StringWriter();
        var error = new StringWriter();
        var admin = new ApiKeyAdmin(settings, output, error);
        Assert.Equal(ApiKeyAdmin.NotFound, await admin.RevokeAsync("no-such-id", null, CancellationToken.None));
        Assert.Equal(ApiKeyAdmin.Ok, await admin.RevokeAsync(other.Record.Id, null, CancellationToken.None));
        Assert.Equal(ApiKeyAdmin.Ok, await admin.ListAsync(CancellationToken.None));
        var text = output.ToString();
        Assert.Contains("3 key(s), 0 live.", text);
        foreach (var secret in new[] { first.Secret, second.Secret, other.Secret })
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(ApiKeySecrets.Hash(secret), text);
        }
    }

    [Fact]
    public async Task A_name_that_exists_is_refused_live_or_revoked_and_under_a_race_exactly_one_wins()
    {
        var settings = await NewSettingsAsync();
        var db = new CxrQaDatabase(settings);
        await SchemaMigrations.ApplyAsync(db, CancellationToken.None);
        var keys = new SqlApiKeyStore(db);
        var first = await keys.CreateAsync("ward-7-pacs", ApiKeyRoles.Submitter, CancellationToken.None);

        var taken = await Assert.ThrowsAsync<ApiKeyNameTakenException>(() => keys.CreateAsync("ward-7-pacs", ApiKeyRoles.Admin, CancellationToken.None));
        Assert.Equal(first.Record.Id, taken.ExistingId);
        await keys.RevokeAsync(first.Record.Id, CancellationToken.None);
        await Assert.ThrowsAsync<ApiKeyNameTakenException>(() => keys.CreateAsync("ward-7-pacs", ApiKeyRoles.Submitter, CancellationToken.None));

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(ApiKeyAdmin.NameTaken, await new ApiKeyAdmin(settings, output, error).CreateAsync(ApiKeyRoles.Submitter, "ward-7-pacs", CancellationToken.None));
        Assert.Contains("exists already", error.ToString());
        Assert.Contains(first.Record.Id, error.ToString());
        Assert.Equal("", output.ToString()); // no secret printed

        var racers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (await keys.CreateAsync("raced", ApiKeyRoles.Reviewer, CancellationToken.None)).Record.Id;
            }
            catch (ApiKeyNameTakenException)
            {
                return null;
            }
        })));
        Assert.Single(racers, id => id is not null);
        Assert.Single(await keys.ListAsync(CancellationToken.None), k => k.Name == "raced");
    }

    [Fact]
    public async Task A_key_may_belong_to_a_team_that_the_key_list_shows_and_set_team_changes()
    {
        var settings = await NewSettingsAsync();
        var db = new CxrQaDatabase(settings);
        await SchemaMigrations.ApplyAsync(db, CancellationToken.None);
        var keys = new SqlApiKeyStore(db);
        var teamed = await keys.CreateAsync("ward-7", ApiKeyRoles.Submitter, "St Mary's north", CancellationToken.None);
        var plain = await keys.CreateAsync("dr-b", ApiKeyRoles.Reviewer, CancellationToken.None);
        Assert.Equal("St Mary's north", teamed.Record.Team);
        Assert.Equal("St Mary's north", (await keys.FindBySecretAsync(teamed.Secret, CancellationToken.None))!.Team);
        Assert.Null((await keys.FindBySecretAsync(plain.Secret, CancellationToken.None))!.Team);
        await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync("bad", ApiKeyRoles.Reviewer, new string('t', ApiKeyTeams.MaxLength + 1), CancellationToken.None));
        Assert.DoesNotContain(await keys.ListAsync(CancellationToken.None), k => k.Name == "bad");

        var output = new StringWriter();
        var error = new StringWriter();
        var admin = new ApiKeyAdmin(settings, output, error);
        Assert.Equal(ApiKeyAdmin.Ok, await admin.CreateAsync(ApiKeyRoles.Reviewer, "dr-n", "north", CancellationToken.None));
        Assert.Contains("key 'dr-n' of team 'north'", output.ToString());
        Assert.Equal(ApiKeyAdmin.Ok, await admin.SetTeamAsync(null, "dr-b", "south", CancellationToken.None));
        Assert.Equal(ApiKeyAdmin.NotFound, await admin.SetTeamAsync(null, "nobody", "south", CancellationToken.None));
        Assert.Contains("no key named 'nobody'", error.ToString());
        output.GetStringBuilder().Clear();
        Assert.Equal(ApiKeyAdmin.Ok, await admin.ListAsync(CancellationToken.None));
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"\bteam\s+name$", lines[0]);
        Assert.Matches(@"\bSt Mary's north\s+ward-7$", Assert.Single(lines, l => l.EndsWith("ward-7", StringComparison.Ordinal)));
        Assert.Matches(@"\bsouth\s+dr-b$", Assert.Single(lines, l => l.EndsWith("dr-b", StringComparison.Ordinal)));
        Assert.Matches(@"\bnorth\s+dr-n$", Assert.Single(lines, l => l.EndsWith("dr-n", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Migration_5_keeps_the_oldest_of_keys_that_already_shared_a_name_and_renames_the_others()
    {
        var settings = await NewSettingsAsync();
        var db = new CxrQaDatabase(settings);
        await SchemaMigrations.ApplyAsync(db, upToVersion: 4, CancellationToken.None);
        await using (var connection = await db.OpenAsync(CancellationToken.None))
        {
            foreach (var (id, at) in new[] { ("bbbb", 2), ("aaaa", 1), ("cccc", 3) })
                await connection.ExecuteAsync("""
                    INSERT INTO api_keys (id, name, role, key_sha256, created_at, revoked)
                    VALUES (@id, 'pacs', 'submitter', @hash, @at, @revoked)
                    """, new { id, hash = "hash-" + id, at = DateTimeOffset.UnixEpoch.AddDays(at).UtcDateTime, revoked = false });
        }

        Assert.Equal([5], await SchemaMigrations.ApplyAsync(db, upToVersion: 5, CancellationToken.None));
        await SchemaMigrations.ApplyAsync(db, CancellationToken.None); // the store reads the later columns (team, migration 9)

        var names = (await new SqlApiKeyStore(db).ListAsync(CancellationToken.None)).Select(k => (k.Id, k.Name));
        Assert.Equal([("aaaa", "pacs"), ("bbbb", "pacs#bbbb"), ("cccc", "pacs#cccc")], names);
        await Assert.ThrowsAsync<ApiKeyNameTakenException>(() => new SqlApiKeyStore(db).CreateAsync("pacs", ApiKeyRoles.Submitter, CancellationToken.None));
    }
}

public sealed class SqliteApiKeyAdminTests : ApiKeyAdminContract, IDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override Task<DatabaseSettings> NewSettingsAsync() => Task.FromResult(_databases.NewSettings());

    public void Dispose() => _databases.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiKeyAdminTests(PostgresServer postgres) : ApiKeyAdminContract
{
    protected override Task<DatabaseSettings> NewSettingsAsync() => postgres.NewSettingsAsync();
}
