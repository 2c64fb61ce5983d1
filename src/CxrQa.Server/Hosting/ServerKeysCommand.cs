using System.CommandLine;
using CxrQa.Admin;
using CxrQa.Storage;

namespace CxrQa.Server.Hosting;

/// <summary><c>CxrQa.Server keys create|list|revoke ...</c>: the key commands in the server binary (a container ships no
/// CLI). The CLI's own command; only the fallbacks differ: the server's configuration (CxrQa:DataDirectory,
/// ConnectionStrings:Postgres, e.g. ConnectionStrings__Postgres in compose) names the database the server uses.</summary>
public static class ServerKeysCommand
{
    public static bool Handles(string[] args) => args is ["keys", ..];

    public static Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().Build();
        var keys = KeysCommand.Create((dataDir, postgres) => DatabaseSettings.Resolve(
            dataDir ?? configuration[$"{ServerOptions.Section}:{nameof(ServerOptions.DataDirectory)}"],
            postgres ?? configuration.GetConnectionString("Postgres")));
        return new RootCommand("CxrQa server: API key administration") { keys }.Parse(args).InvokeAsync();
    }
}
