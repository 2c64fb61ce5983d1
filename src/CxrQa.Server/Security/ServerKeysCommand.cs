using CxrQa.Storage;

namespace CxrQa.Server.Security;

/// <summary>
/// <c>CxrQa.Server keys create --role ROLE --name NAME | list | revoke --id ID | --name NAME [--data-dir DIR] [--postgres CONN]</c>:
/// the CLI's key commands in the server binary, for a container that ships no CLI. The database is the one the server
/// would use: --data-dir / --postgres, else the server's configuration (CxrQa:DataDirectory, ConnectionStrings:Postgres,
/// e.g. ConnectionStrings__Postgres), else CXRQA_DATA_DIR / CXRQA_POSTGRES.
/// </summary>
public static class ServerKeysCommand
{
    public const string Usage = "usage: CxrQa.Server keys create --role submitter|reviewer|admin --name NAME | keys list | " +
        "keys revoke (--id ID | --name NAME)   [--data-dir DIR] [--postgres CONN]";

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        if (args.Length == 0 || args.Length % 2 == 0)
            return Fail();
        var verb = args[0];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || !values.TryAdd(args[i][2..], args[i + 1]))
                return Fail();
        }
        string? Take(string key) => values.Remove(key, out var v) ? v : null;
        var settings = DatabaseSettings.Resolve(
            Take("data-dir") ?? configuration[$"{ServerOptions.Section}:{nameof(ServerOptions.DataDirectory)}"],
            Take("postgres") ?? configuration.GetConnectionString("Postgres"));
        var admin = new ApiKeyAdmin(settings, Console.Out, Console.Error);
        var (role, name, id) = (Take("role"), Take("name"), Take("id"));
        if (values.Count > 0)
            return Fail();
        return verb switch
        {
            "create" when role is not null && name is not null && id is null && ApiKeyRoles.IsValid(role) =>
                await admin.CreateAsync(role, name, CancellationToken.None),
            "list" when role is null && name is null && id is null => await admin.ListAsync(CancellationToken.None),
            "revoke" when role is null && (name is null) != (id is null) => await admin.RevokeAsync(id, name, CancellationToken.None),
            _ => Fail(),
        };
    }

    private static int Fail()
    {
        Console.Error.WriteLine(Usage);
        return 1;
    }
}
