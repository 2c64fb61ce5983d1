using System.CommandLine;
using CxrQa.Cli.Output;
using CxrQa.Storage;

namespace CxrQa.Cli.Commands;

/// <summary><c>keys create --role ROLE --name NAME [--data-dir DIR] [--postgres CONN]</c>: makes an API key for the server.
/// The secret is printed once, as the last line of stdout; only its SHA-256 is stored.</summary>
public static class KeysCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role") { Description = "submitter, reviewer or admin.", Required = true };
        role.AcceptOnlyFromAmong([.. ApiKeyRoles.All]);
        var name = new Option<string>("--name") { Description = "Who or what holds the key (shown in the audit trail).", Required = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "The server's data directory (default CXRQA_DATA_DIR, else ./data)." };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (default CXRQA_POSTGRES; else SQLite in the data directory)." };
        var create = new Command("create", "Create an API key; the key is shown once, on the last line.") { role, name, dataDir, postgres };
        create.SetAction((parse, ct) => CreateAsync(parse.GetValue(role)!, parse.GetValue(name)!, parse.GetValue(dataDir), parse.GetValue(postgres), ct));
        return new Command("keys", "Manage the server's API keys.") { create };
    }

    private static async Task<int> CreateAsync(string role, string name, string? dataDir, string? postgres, CancellationToken ct)
    {
        var err = StandardStreams.CreateErrorConsole();
        var database = new CxrQaDatabase(DatabaseSettings.Resolve(dataDir, postgres));
        try
        {
            await SchemaMigrations.ApplyAsync(database, ct);
            var created = await new SqlApiKeyStore(database).CreateAsync(name, role, ct);
            Console.Out.WriteLine($"created {created.Record.Role} key '{created.Record.Name}' (id {created.Record.Id}) in {database.Description}.");
            Console.Out.WriteLine("The key is shown only now; send it as 'Authorization: Bearer <key>':");
            Console.Out.WriteLine(created.Secret);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or ArgumentException)
        {
            StandardStreams.Error(err, $"could not create the key in {database.Description}: {e.Message}");
            return ExitCodes.Setup;
        }
    }
}
