using System.CommandLine;
using CxrQa.Storage;

namespace CxrQa.Admin;

/// <summary><c>keys create|list|set-team|revoke</c>: the server's API keys. <c>create</c> (optionally <c>--team</c>) prints the
/// secret once, as the last line of stdout (only its SHA-256 is stored); <c>list</c> shows ids, names, roles, states and
/// teams, never secrets; <c>set-team</c> gives an existing key a team (its team-less cases take it); <c>revoke</c> takes
/// <c>--id ID</c> or <c>--name NAME</c> (every live key of that name) and exits 3 when nothing matched.</summary>
public static class KeysCommand
{
    /// <param name="resolve">Turns --data-dir and --postgres (null when not given) into the database to use. Default:
    /// <see cref="DatabaseSettings.Resolve"/> (CXRQA_DATA_DIR / CXRQA_POSTGRES, else ./data); the server binary passes
    /// its own configuration's fallbacks, so a container's keys land in the database the server uses.</param>
    public static Command Create(Func<string?, string?, DatabaseSettings>? resolve = null)
    {
        resolve ??= DatabaseSettings.Resolve;
        var role = new Option<string>("--role") { Description = "submitter, reviewer or admin.", Required = true };
        role.AcceptOnlyFromAmong([.. ApiKeyRoles.All]);
        var name = new Option<string>("--name") { Description = "Who or what holds the key (shown in the audit trail).", Required = true };
        var team = new Option<string?>("--team")
        {
            Description = "The site or team the key belongs to (optional). Its submissions are that team's cases; a reviewer key with a team reviews only them.",
        };
        var create = WithDatabase(resolve, new Command("create", "Create an API key; the key is shown once, on the last line.") { role, name, team },
            (parse, admin, ct) => admin.CreateAsync(parse.GetValue(role)!, parse.GetValue(name)!, parse.GetValue(team), ct));

        var list = WithDatabase(resolve, new Command("list", "List the keys: id, role, state, creation time, team and name (never secrets)."),
            (_, admin, ct) => admin.ListAsync(ct));

        var teamId = new Option<string?>("--id") { Description = "The key's id (see 'keys list')." };
        var teamName = new Option<string?>("--name") { Description = "The key's name." };
        var newTeam = new Option<string>("--team") { Description = "The team to give the key.", Required = true };
        var setTeam = WithDatabase(resolve,
            new Command("set-team", "Give a key (--id or --name) a team; the cases it submitted without a team take it too.") { teamId, teamName, newTeam },
            (parse, admin, ct) => admin.SetTeamAsync(parse.GetValue(teamId), parse.GetValue(teamName), parse.GetValue(newTeam)!, ct));
        setTeam.Validators.Add(r =>
        {
            if ((r.GetValue(teamId) is null) == (r.GetValue(teamName) is null))
                r.AddError("give exactly one of --id or --name");
        });

        var id = new Option<string?>("--id") { Description = "The key's id (see 'keys list')." };
        var byName = new Option<string?>("--name") { Description = "Revoke every live key with this name." };
        var revoke = WithDatabase(resolve,
            new Command("revoke", "Revoke a key by --id, or every live key with --name; the server refuses it (401) from the next request on.") { id, byName },
            (parse, admin, ct) => admin.RevokeAsync(parse.GetValue(id), parse.GetValue(byName), ct));
        revoke.Validators.Add(r =>
        {
            if ((r.GetValue(id) is null) == (r.GetValue(byName) is null))
                r.AddError("give exactly one of --id or --name");
        });

        return new Command("keys", "Manage the server's API keys.") { create, list, setTeam, revoke };
    }

    /// <summary>Adds --data-dir and --postgres to the command and runs the action on the database they name.</summary>
    private static Command WithDatabase(Func<string?, string?, DatabaseSettings> resolve, Command command,
        Func<ParseResult, ApiKeyAdmin, CancellationToken, Task<int>> action)
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "The server's data directory (default CXRQA_DATA_DIR, else ./data)." };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (default CXRQA_POSTGRES; else SQLite in the data directory)." };
        command.Options.Add(dataDir);
        command.Options.Add(postgres);
        command.SetAction((parse, ct) => action(parse,
            new ApiKeyAdmin(resolve(parse.GetValue(dataDir), parse.GetValue(postgres)), Console.Out, Console.Error), ct));
        return command;
    }
}
