using System.Runtime.InteropServices;
using CxrQa.Core.Io;
using CxrQa.Storage;

namespace CxrQa.Server.Cases;

/// <summary>
/// The files of a case under <c>&lt;data&gt;/cases/&lt;id&gt;/</c>. A case folder appears atomically: its files are
/// written into a temp folder, fsynced, the folder renamed into place and the parent fsynced; only then is the row
/// committed. A folder without a row is therefore a crash leftover, removed at start-up. Films may carry patient data:
/// every folder here is created 0700 and every file 0600 (<see cref="PrivateFiles"/>).
/// </summary>
public sealed partial class CaseFiles
{
    public const string TempPrefix = ".tmp-";
    public const string HeatmapFileName = "heatmap.png";

    private readonly ILogger<CaseFiles> _logger;

    public CaseFiles(DatabaseSettings settings, ILogger<CaseFiles> logger)
    {
        _logger = logger;
        Root = Path.Combine(settings.DataDirectory, "cases");
        PrivateFiles.CreateFolder(Root);
    }

    public string Root { get; }

    /// <summary>Case ids are UUID v7 in 32 lower-case hex digits; anything else never touches the file system.</summary>
    public static bool IsValidId(string id) => id.Length == 32 && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public string PathOf(string id, string fileName)
    {
        if (!IsValidId(id) || fileName.Contains('/') || fileName.Contains('\\') || fileName.StartsWith('.'))
            throw new ArgumentException("invalid case file reference");
        return Path.Combine(Root, id, fileName);
    }

    public async Task WriteAsync(string id, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> files, CancellationToken cancellationToken)
    {
        if (!IsValidId(id))
            throw new ArgumentException("invalid case id", nameof(id));
        var temp = Path.Combine(Root, $"{TempPrefix}{id}-{Guid.NewGuid():N}");
        PrivateFiles.CreateFolder(temp);
        try
        {
            foreach (var (name, bytes) in files)
            {
                await using var stream = new FileStream(Path.Combine(temp, name), PrivateFiles.NewFile(asynchronous: true));
                await stream.WriteAsync(bytes, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            FsyncDirectory(temp);
            Directory.Move(temp, Path.Combine(Root, id));
            FsyncDirectory(Root);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Adds or replaces one file of an existing case durably: written to a temp file beside the case folders
    /// (a crash leftover there is removed at start-up), fsynced, renamed into the case folder, the folder fsynced.</summary>
    public async Task WriteFileAsync(string id, string fileName, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var path = PathOf(id, fileName);
        var temp = Path.Combine(Root, $"{TempPrefix}{id}-{Guid.NewGuid():N}-{fileName}");
        try
        {
            await using (var stream = new FileStream(temp, PrivateFiles.NewFile(asynchronous: true)))
            {
                await stream.WriteAsync(bytes, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            FsyncDirectory(Path.GetDirectoryName(path)!);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public void Delete(string id)
    {
        if (IsValidId(id))
            TryDelete(Path.Combine(Root, id));
    }

    /// <summary>Removes temp folders and case folders without a row (older than the grace period).</summary>
    public async Task<int> CleanOrphansAsync(ICaseStore store, TimeSpan grace, CancellationToken cancellationToken)
    {
        var removed = 0;
        var cutoff = DateTime.UtcNow - grace;
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(dir);
            if (Directory.GetLastWriteTimeUtc(dir) > cutoff)
                continue;
            var orphan = name.StartsWith(TempPrefix, StringComparison.Ordinal)
                || !IsValidId(name)
                || !await store.ExistsAsync(name, cancellationToken);
            if (!orphan)
                continue;
            TryDelete(dir);
            removed++;
        }
        foreach (var file in Directory.EnumerateFiles(Root))
        {
            if (File.GetLastWriteTimeUtc(file) > cutoff)
                continue;
            TryDelete(file);
            removed++;
        }
        if (removed > 0)
            LogCleaned(removed);
        return removed;
    }

    private void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
            else if (File.Exists(path))
                File.Delete(path);
        }
        catch (IOException e)
        {
            LogDeleteFailed(e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            LogDeleteFailed(e.Message);
        }
    }

    /// <summary>Makes a rename or a new entry in a directory durable (Linux; elsewhere a no-op).</summary>
    private static void FsyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var fd = NativeFile.Open(path, 0 /* O_RDONLY */);
        if (fd < 0)
            throw new IOException($"open of a case folder for fsync failed (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (NativeFile.Fsync(fd) != 0)
                throw new IOException($"fsync of a case folder failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = NativeFile.Close(fd);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "removed {Count} orphaned case file(s) left by an interrupted write")]
    private partial void LogCleaned(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not remove an orphaned case entry: {Reason}")]
    private partial void LogDeleteFailed(string reason);

    private static class NativeFile
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
