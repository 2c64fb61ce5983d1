using System.Collections.Concurrent;
using CxrQa.Storage;

namespace CxrQa.Server.Cases;

/// <summary>
/// Files made from a case's stored film on their first request and then kept in the case folder (Grad-CAM overlay,
/// display and thumbnail PNGs, de-identified DICOM): a film never changes, so neither does anything made from it.
/// Concurrent first requests for one file share one rendering, and at most <see cref="ServerOptions.PreviewConcurrency"/>
/// renderings run at once, whatever the number of cases asked for: a decode of a large or deflated film takes
/// hundreds of MB, and eight at once took the server from 0.7 to 5 GB (issue 16). Written durably and 0600 through
/// <see cref="CaseFiles.WriteFileAsync"/>.
/// </summary>
public sealed class CaseRenderings(CaseFiles files, ServerOptions options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.PreviewConcurrency));
    private readonly ConcurrentDictionary<string, Lazy<Task<string?>>> _rendering = new(StringComparer.Ordinal);

    /// <summary>The path of <paramref name="fileName"/> in the case folder, made first from the film's bytes by
    /// <paramref name="render"/> when missing; null when the case's film is missing. A film error thrown by the
    /// rendering reaches every request that waited for it; nothing is kept then, so a later request tries again.</summary>
    public async Task<string?> PathAsync(CaseRecord record, string fileName, Func<byte[], byte[]> render, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var path = files.PathOf(record.Id, fileName);
        if (File.Exists(path))
            return path;
        var key = $"{record.Id}/{fileName}";
        var rendering = _rendering.GetOrAdd(key, _ => new Lazy<Task<string?>>(() => RenderAsync(record, fileName, path, render)));
        try
        {
            // The rendering is not cancelled with one request: another may be waiting for it, and the file is kept.
            return await rendering.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (rendering.Value.IsCompleted)
                _rendering.TryRemove(new KeyValuePair<string, Lazy<Task<string?>>>(key, rendering));
        }
    }

    private async Task<string?> RenderAsync(CaseRecord record, string fileName, string path, Func<byte[], byte[]> render)
    {
        await Task.Yield();
        await _slots.WaitAsync();
        try
        {
            if (File.Exists(path))
                return path;
            var filmPath = files.PathOf(record.Id, record.FilmFile);
            if (!File.Exists(filmPath))
                return null;
            var film = await File.ReadAllBytesAsync(filmPath);
            var bytes = await Task.Run(() => render(film));
            await files.WriteFileAsync(record.Id, fileName, bytes, CancellationToken.None);
            return path;
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
