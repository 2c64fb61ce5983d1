using System.Diagnostics;
using Npgsql;

namespace CxrQa.Server.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL server from Debian's binaries (/usr/lib/postgresql/N/bin), on 127.0.0.1 and a free port
/// with its socket in its own /tmp folder. As root it runs as the 'postgres' user. Missing binaries fail the tests
/// with a clear message (scripts/ensure-test-deps.sh installs them): nothing is skipped.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string _root = "";
    private string _bin = "";
    private bool _asPostgresUser;

    public int Port { get; private set; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=40;Timeout=30";

    /// <summary>A fresh, empty database for one test.</summary>
    /// <summary>Settings for a new empty database on this server (case files under the temp folder).</summary>
    public async Task<CxrQa.Storage.DatabaseSettings> NewSettingsAsync() => new(Path.GetTempPath(), await CreateDatabaseAsync());

    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        _asPostgresUser = Environment.UserName == "root";
        _root = Path.Combine("/tmp", "cxrqa-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_root);
        if (_asPostgresUser)
            await RunAsync("chown", ["postgres", _root], asPostgres: false);
        var data = Path.Combine(_root, "data");
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"]);
        Port = ServerProcess.FreePort();
        await RunAsync(Path.Combine(_bin, "pg_ctl"),
        [
            "-D", data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "120",
            "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            "start",
        ]);
    }

    public async Task DisposeAsync()
    {
        if (_root.Length == 0)
            return;
        try
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        }
    }

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. The PostgreSQL tests need Debian's " +
            "'postgresql' package: run scripts/ensure-test-deps.sh (as root) or apt-get install postgresql.");
    }

    private Task RunAsync(string file, string[] args) => RunAsync(file, args, _asPostgresUser);

    private static async Task RunAsync(string file, string[] args, bool asPostgres)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/tmp",
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
                info.ArgumentList.Add(a);
        }
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        // pg_ctl start leaves the server holding inherited pipes: read without waiting for EOF.
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr}");
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
