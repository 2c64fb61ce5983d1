using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;

namespace CxrQa.Core.Pipeline;

/// <summary>A film file found on disk: the path as the user will recognise it, and where it really is.</summary>
public sealed record FilmFile(string DisplayPath, string FullPath, bool ExplicitlyNamed);

/// <summary>What expanding the user's paths found: films in order, and what was skipped (with why).</summary>
public sealed record FilmFileListing(IReadOnlyList<FilmFile> Films, IReadOnlyList<string> Skipped);

/// <summary>Turns paths (files and folders, folders recursively) into films, and reads them within the limits.</summary>
public static class FilmFiles
{
    /// <summary>
    /// Files are kept in the order given; a folder contributes its image files (by content, not name) in ordinal path
    /// order, shown as the folder joined with the path inside it. Non-image files inside folders are skipped;
    /// a named file is always kept so that its error is reported.
    /// </summary>
    public static async Task<FilmFileListing> ExpandAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default)
    {
        var films = new List<FilmFile>();
        var skipped = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var inside = Directory.EnumerateFiles(path, "*", new EnumerationOptions
                    {
                        RecurseSubdirectories = true,
                        IgnoreInaccessible = true,
                        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
                    })
                    .Select(f => Path.GetRelativePath(path, f))
                    .Order(StringComparer.Ordinal);
                foreach (var relative in inside)
                {
                    var full = Path.Combine(path, relative);
                    if (await LooksLikeFilmAsync(full, cancellationToken))
                        films.Add(new FilmFile(Path.Join(path, relative), Path.GetFullPath(full), false));
                    else
                        skipped.Add(Path.Join(path, relative));
                }
            }
            else
            {
                films.Add(new FilmFile(path, Path.GetFullPath(path), true));
            }
        }
        return new FilmFileListing(films, skipped);
    }

    /// <summary>Reads a film's bytes, refusing files over the size limit before reading them.</summary>
    public static async Task<FilmInput> ReadAsync(FilmFile file, DecodeLimits limits, CancellationToken cancellationToken = default)
    {
        try
        {
            var info = new FileInfo(file.FullPath);
            if (!info.Exists)
                throw new CxrQaException(ErrorCodes.FileNotFound, $"no such file: {file.DisplayPath}");
            if (info.Length > limits.MaxFileBytes)
                throw new CxrQaException(ErrorCodes.FileTooLarge,
                    $"file is {info.Length:N0} bytes; the limit is {limits.MaxFileBytes:N0}");
            var bytes = await File.ReadAllBytesAsync(file.FullPath, cancellationToken);
            return new FilmInput(file.DisplayPath, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CxrQaException(ErrorCodes.FileUnreadable, $"cannot read {file.DisplayPath}: {e.Message}", e);
        }
    }

    private static async Task<bool> LooksLikeFilmAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
            var head = new byte[FilmDecoder.SniffLength];
            var n = await stream.ReadAtLeastAsync(head, FilmDecoder.SniffLength, throwOnEndOfStream: false, cancellationToken);
            return FilmDecoder.Sniff(head.AsSpan(0, n)) is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
