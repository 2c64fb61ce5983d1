using CxrQa.Storage;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests.Support;

/// <summary>Fresh SQLite databases in one temporary folder, for the SQLite half of a store contract.</summary>
public sealed class SqliteDatabases : IDisposable
{
    private readonly TempDirectory _dir = new();

    public DatabaseSettings NewSettings() => new(Path.Combine(_dir.Path, Guid.NewGuid().ToString("N")), null);

    public void Dispose()
    {
        // Pooled connections keep the files open; release them before the folder goes.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
