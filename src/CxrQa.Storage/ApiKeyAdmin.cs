using System.Globalization;

namespace CxrQa.Storage;

/// <summary>
/// The key commands shared by the CLI (<c>cxrqa keys ...</c>) and the server binary (<c>CxrQa.Server keys ...</c>, for a
/// container that ships no CLI): create, list, revoke. Writes to the given writers; returns the process exit code
/// (0 ok, 1 refused: the name is taken, 2 database unreachable, 3 nothing matched). Secrets are printed only by create, once; list never shows
/// secrets or hashes.
/// </summary>
public sealed class ApiKeyAdmin(DatabaseSettings settings, TextWriter output, TextWriter error)
{
    public const int Ok = 0;
    public const int NameTaken = 1;
    public const int Setup = 2;
    public const int NotFound = 3;

    /// <summary>How <c>keys list</c> shows a key without a team.</summary>
    public const string NoTeam = "-";

    public Task<int> CreateAsync(string role, string name, CancellationToken ct) => CreateAsync(role, name, team: null, ct);

    /// <summary>A key of a site or team (<paramref name="team"/> null: none); what a team changes: <see cref="TeamScope"/>.</summary>
    public Task<int> CreateAsync(string role, string name, string? team, CancellationToken ct) => RunAsync("create the key", async (database, store) =>
    {
        CreatedApiKey created;
        try
        {
            created = await store.CreateAsync(name, role, team, ct);
        }
        catch (ApiKeyNameTakenException e)
        {
            error.WriteLine($"error: {e.Message} ({database.Description}).");
            return NameTaken;
        }
        var ofTeam = created.Record.Team is { } t ? $" of team '{t}'" : "";
        output.WriteLine($"created {created.Record.Role} key '{created.Record.Name}'{ofTeam} (id {created.Record.Id}) in {database.Description}.");
        output.WriteLine("The key is shown only now; send it as 'Authorization: Bearer <key>':");
        output.WriteLine(created.Secret);
        return Ok;
    }, ct);

    public Task<int> ListAsync(CancellationToken ct) => RunAsync("list the keys", async (_, store) =>
    {
        var keys = await store.ListAsync(ct);
        var teamWidth = Math.Max("team".Length, keys.Select(k => (k.Team ?? NoTeam).Length).DefaultIfEmpty(0).Max());
        output.WriteLine($"{"id",-32}  {"role",-9}  {"state",-7}  {"created (UTC)",-19}  {"team".PadRight(teamWidth)}  name");
        foreach (var k in keys)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{k.Id,-32}  {k.Role,-9}  {(k.Revoked ? "revoked" : "live"),-7}  {k.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {(k.Team ?? NoTeam).PadRight(teamWidth)}  {k.Name}"));
        output.WriteLine($"{keys.Count} key(s), {keys.Count(k => !k.Revoked)} live.");
        return Ok;
    }, ct);

    /// <summary>Gives the key with this id (or this name: names are unique) a team; the cases it submitted without a team
    /// take it (<see cref="IApiKeyStore.SetTeamAsync"/>). Exit 3 when no key matched.</summary>
    public Task<int> SetTeamAsync(string? id, string? name, string team, CancellationToken ct) => RunAsync("set the key's team", async (database, store) =>
    {
        if ((id is null) == (name is null))
            throw new ArgumentException("give exactly one of --id or --name");
        var keyId = id ?? (await store.ListAsync(ct)).FirstOrDefault(k => k.Name == name)?.Id;
        var assigned = keyId is null ? null : await store.SetTeamAsync(keyId, team, ct);
        if (assigned is null)
        {
            error.WriteLine(id is not null ? $"no key with id {id} in {database.Description}." : $"no key named '{name}' in {database.Description}.");
            return NotFound;
        }
        output.WriteLine($"key '{assigned.Key.Name}' (id {assigned.Key.Id}) is now of team '{assigned.Key.Team}'; "
            + $"{assigned.CasesBackFilled} case(s) it submitted without a team took it, in {database.Description}.");
        return Ok;
    }, ct);

    /// <summary>Revokes the key with this id, or every live key with this name. A revoked key is refused (401) from the
    /// next request on: the server looks keys up on every request.</summary>
    public Task<int> RevokeAsync(string? id, string? name, CancellationToken ct) => RunAsync("revoke the key", async (database, store) =>
    {
        if ((id is null) == (name is null))
            throw new ArgumentException("give exactly one of --id or --name");
        var count = id is not null ? (await store.RevokeAsync(id, ct) ? 1 : 0) : await store.RevokeByNameAsync(name!, ct);
        if (count == 0)
        {
            error.WriteLine(id is not null ? $"no key with id {id} in {database.Description}." : $"no live key named '{name}' in {database.Description}.");
            return NotFound;
        }
        output.WriteLine($"revoked {count} key(s) in {database.Description}.");
        return Ok;
    }, ct);

    private async Task<int> RunAsync(string what, Func<CxrQaDatabase, SqlApiKeyStore, Task<int>> action, CancellationToken ct)
    {
        var database = new CxrQaDatabase(settings);
        try
        {
            await SchemaMigrations.ApplyAsync(database, ct);
            return await action(database, new SqlApiKeyStore(database));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or ArgumentException)
        {
            error.WriteLine($"error: could not {what} in {database.Description}: {e.Message}");
            return Setup;
        }
    }
}
