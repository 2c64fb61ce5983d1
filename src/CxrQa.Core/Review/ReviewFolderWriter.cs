using System.Text.Json;
using System.Text.Json.Serialization;
using CxrQa.Core.Imaging;
using CxrQa.Core.Pipeline;
using CxrQa.Domain;

namespace CxrQa.Core.Review;

/// <summary>
/// Files a pending case for a radiologist as <c>&lt;review-dir&gt;/&lt;case-id&gt;/</c>: a COPY of the input (the user's
/// file is never moved or touched) and a <c>case.json</c> sidecar. The folder is assembled under a temporary name,
/// every file fsynced, then renamed into place, so a reader never sees a half-written case.
/// </summary>
public sealed class ReviewFolderWriter(string reviewDirectory)
{
    public const string SidecarName = "case.json";

    public string ReviewDirectory { get; } = Path.GetFullPath(reviewDirectory);

    public async Task<string> WriteAsync(ScreeningOutcome outcome, IReadOnlyDictionary<string, byte[]>? extraFiles = null,
        CancellationToken cancellationToken = default)
    {
        var result = outcome.Result ?? throw new ArgumentException("only screened films can be filed for review", nameof(outcome));
        Directory.CreateDirectory(ReviewDirectory);
        var final = Path.Combine(ReviewDirectory, result.CaseId);
        var staging = Path.Combine(ReviewDirectory, ".staging-" + result.CaseId);
        Directory.CreateDirectory(staging);
        try
        {
            var filmName = "film" + Extension(result.Metadata.Format);
            await WriteDurablyAsync(Path.Combine(staging, filmName), outcome.Input.Bytes, cancellationToken);
            foreach (var (name, bytes) in extraFiles ?? new Dictionary<string, byte[]>())
                await WriteDurablyAsync(Path.Combine(staging, SafeName(name)), bytes, cancellationToken);
            var sidecar = JsonSerializer.SerializeToUtf8Bytes(ReviewSidecar.From(outcome, filmName), SidecarJson);
            await WriteDurablyAsync(Path.Combine(staging, SidecarName), sidecar, cancellationToken);
            Directory.Move(staging, final);
            return final;
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    private static async Task WriteDurablyAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await stream.WriteAsync(bytes, cancellationToken);
        stream.Flush(flushToDisk: true);
    }

    private static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => ".jpeg",
        ImageFormat.Png => ".png",
        ImageFormat.Dicom => ".dcm",
        _ => ".bin",
    };

    // Extra file names come from code, but never let one escape the case folder.
    private static string SafeName(string name) => Path.GetFileName(name) is { Length: > 0 } n && n == name
        ? n
        : throw new ArgumentException($"'{name}' is not a plain file name", nameof(name));

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static readonly JsonSerializerOptions SidecarJson = new() { WriteIndented = true };
}

/// <summary>The sidecar a radiologist's tools (and a later import) read.</summary>
public sealed record ReviewSidecar(
    [property: JsonPropertyName("case_id")] string CaseId,
    [property: JsonPropertyName("source_name")] string SourceName,
    [property: JsonPropertyName("film")] string Film,
    [property: JsonPropertyName("prediction")] string Prediction,
    [property: JsonPropertyName("pneumonia_probability")] double PneumoniaProbability,
    [property: JsonPropertyName("confidence")] double Confidence,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reasons")] IReadOnlyList<string> Reasons,
    [property: JsonPropertyName("model")] ModelIdentity Model,
    [property: JsonPropertyName("input_sha256")] string InputSha256,
    [property: JsonPropertyName("created")] DateTimeOffset Created)
{
    public static ReviewSidecar From(ScreeningOutcome outcome, string filmName)
    {
        var r = outcome.Result!;
        return new ReviewSidecar(r.CaseId, outcome.Input.Name, filmName, r.Prediction, r.PneumoniaProbability, r.Confidence,
            r.Decision.StatusText, r.Decision.Reasons, r.Model, r.InputSha256, DateTimeOffset.UtcNow);
    }
}
