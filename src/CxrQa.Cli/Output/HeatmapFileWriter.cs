namespace CxrQa.Cli.Output;

/// <summary>Writes <c>&lt;name&gt;.gradcam.png</c> files; a name already used in this run gets the case id appended.</summary>
public sealed class HeatmapFileWriter(string directory)
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public async Task<string> WriteAsync(string filmPath, string caseId, byte[] png, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var stem = Path.GetFileNameWithoutExtension(filmPath);
        var name = _used.Add(stem) ? $"{stem}.gradcam.png" : $"{stem}-{caseId[..8]}.gradcam.png";
        var path = Path.Combine(directory, name);
        await File.WriteAllBytesAsync(path, png, ct);
        return path;
    }
}
