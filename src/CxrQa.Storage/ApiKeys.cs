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

/// <summary>A stored key: only the SHA-256 of the secret is kept.</summary>
public sealed record ApiKeyRecord(string Id, string Name, string Role, DateTimeOffset CreatedAt, bool Revoked);

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
    public async Task<CreatedApiKey> CreateAsync(string name, string role, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("a key needs a name", nameof(name));
        if (!ApiKeyRoles.IsValid(role))
            throw new ArgumentException($"role must be one of {string.Join(", ", ApiKeyRoles.All)}", nameof(role));
        var secret = ApiKeySecrets.NewSecret();
        var record = new ApiKeyRecord(Guid.CreateVersion7().ToString("N"), name, role, DateTimeOffset.UtcNow, Revoked: false);
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await IdOfNameAsync(connection, name, cancellationToken) is { } existing)
            throw new ApiKeyNameTakenException(name, existing);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO api_keys (id, name, role, key_sha256, created_at, revoked)
                VALUES (@Id, @Name, @Role, @Hash, @CreatedAt, @Revoked)
                """,
                new { record.Id, record.Name, record.Role, Hash = ApiKeySecrets.Hash(secret), CreatedAt = DbValues.ToDb(record.CreatedAt), Revoked = false },
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
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition("""
            SELECT id AS Id, name AS Name, role AS Role, created_at AS CreatedAt, revoked AS Revoked
            FROM api_keys WHERE key_sha256 = @hash
            """, new { hash = ApiKeySecrets.Hash(secret) }, cancellationToken: cancellationToken));
        return row is null ? null : new ApiKeyRecord(row.Id, row.Name, row.Role, DbValues.Time(row.CreatedAt), DbValues.Bool(row.Revoked));
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
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition("""
            SELECT id AS Id, name AS Name, role AS Role, created_at AS CreatedAt, revoked AS Revoked
            FROM api_keys ORDER BY created_at, id
            """, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ApiKeyRecord(r.Id, r.Name, r.Role, DbValues.Time(r.CreatedAt), DbValues.Bool(r.Revoked)))];
    }

    private sealed class KeyRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Role { get; set; } = "";
        public object CreatedAt { get; set; } = "";
        public object Revoked { get; set; } = false;
    }
}
