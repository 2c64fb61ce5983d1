using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace CxrQa.Storage;

public static class ApiKeyRoles
{
    public const string Submitter = "submitter";
    public const string Reviewer = "reviewer";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Submitter, Reviewer, Admin];

    public static bool IsValid(string role) => All.Contains(role);
}

/// <summary>A stored key: only the SHA-256 of the secret is kept. <paramref name="Team"/>: the site or team the key
/// belongs to, null for none (migration 9; see <see cref="TeamScope"/> for what it changes).</summary>
public sealed record ApiKeyRecord(string Id, string Name, string Role, DateTimeOffset CreatedAt, bool Revoked, string? Team = null);

/// <summary>What <see cref="IApiKeyStore.SetTeamAsync"/> did: the key as it is now, and how many of the cases it had
/// submitted without a team took the key's team.</summary>
public sealed record TeamAssignment(ApiKeyRecord Key, long CasesBackFilled);

/// <summary>A freshly created key: <see cref="Secret"/> is shown once and never stored.</summary>
public sealed record CreatedApiKey(ApiKeyRecord Record, string Secret);

public static class ApiKeySecrets
{
    public const int SecretBytes = 32;

    /// <summary>32 random bytes, base64url without padding (43 characters).</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

/// <summary>A key of that name exists already (live or revoked): names are never reused, so that a name in the audit
/// trail or on a claim means one key.</summary>
public sealed class ApiKeyNameTakenException(string name, string existingId)
    : Exception($"a key named '{name}' exists already (id {existingId}); key names are never reused, even after a revoke: choose another name")
{
    public string Name { get; } = name;
    public string ExistingId { get; } = existingId;
}

public interface IApiKeyStore
{
    /// <exception cref="ApiKeyNameTakenException">a key with this name exists (live or revoked).</exception>
    Task<CreatedApiKey> CreateAsync(string name, string role, CancellationToken cancellationToken);

    /// <summary>A key of a site or team (<paramref name="team"/> null: none).</summary>
    /// <exception cref="ApiKeyNameTakenException">a key with this name exists (live or revoked).</exception>
    Task<CreatedApiKey> CreateAsync(string name, string role, string? team, CancellationToken cancellationToken);

    /// <summary>Gives the key with this id a team; the cases it submitted without one take it too (in the same
    /// transaction), so a key that predates teams brings its cases along. Cases recorded with another team keep theirs:
    /// a case belongs to the team that submitted it. Null when no key has this id.</summary>
    Task<TeamAssignment?> SetTeamAsync(string id, string team, CancellationToken cancellationToken);

    /// <summary>The key whose secret hashes to this value, revoked or not; null when unknown.</summary>
    Task<ApiKeyRecord?> FindBySecretAsync(string secret, CancellationToken cancellationToken);

    Task<bool> RevokeAsync(string id, CancellationToken cancellationToken);

    /// <summary>Revokes every live key with this name; returns how many were revoked.</summary>
    Task<int> RevokeByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every key, oldest first: ids, names, roles and states, never secrets or hashes.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken);
}

public sealed class SqlApiKeyStore(CxrQaDatabase database) : IApiKeyStore
{
    public Task<CreatedApiKey> CreateAsync(string name, string role, CancellationToken cancellationToken) =>
        CreateAsync(name, role, team: null, cancellationToken);

    public async Task<CreatedApiKey> CreateAsync(string name, string role, string? team, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("a key needs a name", nameof(name));
        if (!ApiKeyRoles.IsValid(role))
            throw new ArgumentException($"role must be one of {string.Join(", ", ApiKeyRoles.All)}", nameof(role));
        var secret = ApiKeySecrets.NewSecret();
        var record = new ApiKeyRecord(Guid.CreateVersion7().ToString("N"), name, role, DateTimeOffset.UtcNow, Revoked: false,
            team is null ? null : ApiKeyTeams.Check(team));
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await IdOfNameAsync(connection, name, cancellationToken) is { } existing)
            throw new ApiKeyNameTakenException(name, existing);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO api_keys (id, name, role, key_sha256, created_at, revoked, team)
                VALUES (@Id, @Name, @Role, @Hash, @CreatedAt, @Revoked, @Team)
                """,
                new { record.Id, record.Name, record.Role, Hash = ApiKeySecrets.Hash(secret), CreatedAt = DbValues.ToDb(record.CreatedAt), Revoked = false, record.Team },
                cancellationToken: cancellationToken));
        }
        catch (System.Data.Common.DbException)
        {
            // Two creations of one name at once: the unique index (migration 5) let one through.
            if (await IdOfNameAsync(connection, name, CancellationToken.None) is { } raced)
                throw new ApiKeyNameTakenException(name, raced);
            throw;
        }
        return new CreatedApiKey(record, secret);
    }

    private static Task<string?> IdOfNameAsync(System.Data.Common.DbConnection connection, string name, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT id FROM api_keys WHERE name = @name", new { name }, cancellationToken: ct));

    public async Task<ApiKeyRecord?> FindBySecretAsync(string secret, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            $"SELECT {KeyRow.Columns} FROM api_keys WHERE key_sha256 = @hash",
            new { hash = ApiKeySecrets.Hash(secret) }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<TeamAssignment?> SetTeamAsync(string id, string team, CancellationToken cancellationToken)
    {
        var checkedTeam = ApiKeyTeams.Check(team);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE api_keys SET team = @team WHERE id = @id", new { id, team = checkedTeam }, tx, cancellationToken: cancellationToken)) == 0)
            return null;
        var backFilled = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cases SET submitted_team = @team WHERE submitted_key_id = @id AND submitted_team IS NULL",
            new { id, team = checkedTeam }, tx, cancellationToken: cancellationToken));
        var key = (await connection.QuerySingleAsync<KeyRow>(new CommandDefinition(
            $"SELECT {KeyRow.Columns} FROM api_keys WHERE id = @id", new { id }, tx, cancellationToken: cancellationToken))).ToRecord();
        await tx.CommitAsync(cancellationToken);
        return new TeamAssignment(key, backFilled);
    }

    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked = @revoked WHERE id = @id", new { id, revoked = true }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<int> RevokeByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked = @revoked WHERE name = @name AND revoked = @live",
            new { name, revoked = true, live = false }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(
            $"SELECT {KeyRow.Columns} FROM api_keys ORDER BY created_at, id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    private sealed class KeyRow
    {
        public const string Columns = "id AS Id, name AS Name, role AS Role, created_at AS CreatedAt, revoked AS Revoked, team AS Team";

        public string? Team { get; set; }

        public ApiKeyRecord ToRecord() => new(Id, Name, Role, DbValues.Time(CreatedAt), DbValues.Bool(Revoked), Team);

        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Role { get; set; } = "";
        public object CreatedAt { get; set; } = "";
        public object Revoked { get; set; } = false;
    }
}
