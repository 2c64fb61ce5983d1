using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CxrQa.Storage;

public enum SqlDialect
{
    Sqlite,
    Postgres,
}

/// <summary>Where the state lives: the data directory (case files, and the SQLite database unless PostgreSQL is
/// configured) and an optional PostgreSQL connection string.</summary>
public sealed record DatabaseSettings(string DataDirectory, string? PostgresConnectionString)
{
    public const string DataDirectoryVariable = "CXRQA_DATA_DIR";
    public const string PostgresVariable = "CXRQA_POSTGRES";
    public const string SqliteFileName = "cxrqa.db";

    /// <summary>Open SQLite read-only and never create the data directory (export reads a live server's state and
    /// must not change it).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Explicit values win, then the environment (CXRQA_DATA_DIR, CXRQA_POSTGRES), then ./data.</summary>
    public static DatabaseSettings Resolve(string? dataDirectory, string? postgres)
    {
        var dir = !string.IsNullOrWhiteSpace(dataDirectory) ? dataDirectory
            : Environment.GetEnvironmentVariable(DataDirectoryVariable) is { Length: > 0 } env ? env
            : "./data";
        var pg = !string.IsNullOrWhiteSpace(postgres) ? postgres
            : Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } pgEnv ? pgEnv
            : null;
        return new DatabaseSettings(Path.GetFullPath(dir), pg);
    }
}

/// <summary>Opens connections to the configured database. Thread-safe; holds no connection itself (pooling does).</summary>
public sealed class CxrQaDatabase
{
    private readonly string _connectionString;

    public CxrQaDatabase(DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        CaseTypeHandlers.EnsureRegistered();
        Settings = settings;
        if (settings.PostgresConnectionString is { } pg)
        {
            Dialect = SqlDialect.Postgres;
            _connectionString = pg;
        }
        else
        {
            Dialect = SqlDialect.Sqlite;
            if (!settings.ReadOnly)
                Directory.CreateDirectory(settings.DataDirectory);
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(settings.DataDirectory, DatabaseSettings.SqliteFileName),
                Mode = settings.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString();
        }
    }

    public DatabaseSettings Settings { get; }

    public SqlDialect Dialect { get; }

    /// <summary>For logs: the engine and where, never a password.</summary>
    public string Description => Dialect == SqlDialect.Sqlite
        ? $"SQLite {Path.Combine(Settings.DataDirectory, DatabaseSettings.SqliteFileName)}"
        : DescribePostgres(_connectionString);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (Dialect == SqlDialect.Postgres)
        {
            var pg = new NpgsqlConnection(_connectionString);
            await pg.OpenAsync(cancellationToken);
            return pg;
        }
        var sqlite = new SqliteConnection(_connectionString);
        await sqlite.OpenAsync(cancellationToken);
        // WAL: readers never block the writer; synchronous=FULL: a committed row survives a power cut.
        await using var pragma = sqlite.CreateCommand();
        pragma.CommandText = Settings.ReadOnly
            ? "PRAGMA busy_timeout=30000;"
            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return sqlite;
    }

    private static string DescribePostgres(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
    }
}
