using CxrQa.Core.Imaging;
using System.Security.Cryptography;
using CxrQa.Core.Errors;

namespace CxrQa.Core.Data;

/// <summary>
/// Scans a folder that holds <c>NORMAL/</c> and <c>PNEUMONIA/</c> (any case, any depth inside each), e.g.
/// <c>kermany-224/train</c>: hashes every file, skips non-images by their magic bytes, reads patient ids from the
/// names and drops byte-identical copies.
/// </summary>
public static class LabelledFolderDataset
{
    public static async Task<LabelledDataset> Scan(string root, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var fullRoot = System.IO.Path.GetFullPath(root);
        if (!Directory.Exists(fullRoot))
            throw new CxrQaException(ErrorCodes.FileNotFound, $"Dataset folder '{fullRoot}' does not exist.");

        var files = FindLabelledFiles(fullRoot);
        var found = new LabelledImage?[files.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (i, ct) => found[i] = await Read(fullRoot, files[i].Path, files[i].Label, ct).ConfigureAwait(false))
            .ConfigureAwait(false);

        var images = found.OfType<LabelledImage>().ToList();
        var dedup = ContentDeduplicator.Deduplicate(images);
        var manifest = DatasetManifest.Text(dedup.Kept);
        return new LabelledDataset(
            fullRoot, dedup.Kept, files.Count, files.Count - images.Count, dedup, manifest, DatasetManifest.Sha256(manifest));
    }

    private static List<(string Path, int Label)> FindLabelledFiles(string root)
    {
        var files = new List<(string, int)>();
        foreach (var label in (int[])[BinaryLabel.Normal, BinaryLabel.Pneumonia])
        {
            var name = BinaryLabel.FolderName(label);
            // A case-sensitive file system may hold both "normal" and "NORMAL": both are that class.
            var classDirs = Directory.EnumerateDirectories(root)
                .Where(d => string.Equals(System.IO.Path.GetFileName(d), name, StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (classDirs.Count == 0)
                throw new CxrQaException(ErrorCodes.FileNotFound,
                    $"Dataset folder '{root}' has no '{name}' folder; point at the folder that holds NORMAL/ and PNEUMONIA/.");
            foreach (var dir in classDirs)
                foreach (var file in Directory.EnumerateFiles(dir, "*", new EnumerationOptions
                         { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.None }))
                    files.Add((file, label));
        }
        files.Sort((a, b) => StringComparer.Ordinal.Compare(a.Item1, b.Item1));
        return files;
    }

    /// <returns>The image, or null when the bytes are not an image.</returns>
    private static async Task<LabelledImage?> Read(string root, string path, int label, CancellationToken ct)
    {
        try
        {
            await using var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan, BufferSize = 64 * 1024,
            });
            var header = new byte[FilmDecoder.SniffLength];
            var headerLength = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            if (FilmDecoder.Sniff(header.AsSpan(0, headerLength)) is null) return null;

            stream.Position = 0;
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false));
            var relative = System.IO.Path.GetRelativePath(root, path).Replace('\\', '/');
            return new LabelledImage(path, relative, label, hash, PatientIdParser.Parse(relative));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CxrQaException(ErrorCodes.FileUnreadable, $"Cannot read '{path}': {e.Message}", e);
        }
    }
}
