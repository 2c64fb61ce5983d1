using CxrQa.Server.Tests.Support;
using CxrQa.Storage;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>Listing and revoking keys (the stores behind <c>keys list</c> / <c>keys revoke</c>), on SQLite and PostgreSQL.</summary>
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
        var second = await keys.CreateAsync("pacs", ApiKeyRoles.Submitter, CancellationToken.None);
        var other = await keys.CreateAsync("dr-a", ApiKeyRoles.Reviewer, CancellationToken.None);

        var listed = await keys.ListAsync(CancellationToken.None);
        Assert.Equal([first.Record.Id, second.Record.Id, other.Record.Id], listed.Select(k => k.Id));
        Assert.All(listed, k => Assert.False(k.Revoked));

        Assert.Equal(2, await keys.RevokeByNameAsync("pacs", CancellationToken.None));
        Assert.Equal(0, await keys.RevokeByNameAsync("pacs", CancellationToken.None));
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
