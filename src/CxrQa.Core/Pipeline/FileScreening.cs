using System.Runtime.CompilerServices;
using CxrQa.Core.Errors;

namespace CxrQa.Core.Pipeline;

/// <summary>One screened file: the outcome (result or typed error) for a film found on disk.</summary>
public sealed record ScreenedFile(FilmFile File, ScreeningOutcome Outcome);

/// <summary>
/// Screens files in network-sized batches, in order. Reading the next batch overlaps with screening the current one;
/// unreadable files become error outcomes and never stop the run.
/// </summary>
public sealed class FileScreening(ScreeningService service, ScreeningOptions options)
{
    public async IAsyncEnumerable<ScreenedFile> ScreenAsync(IReadOnlyList<FilmFile> files, int batchSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batches = files.Chunk(Math.Max(1, batchSize)).ToList();
        if (batches.Count == 0)
            yield break;
        var reading = ReadBatchAsync(batches[0], cancellationToken);
        for (var b = 0; b < batches.Count; b++)
        {
            var read = await reading;
            if (b + 1 < batches.Count)
                reading = ReadBatchAsync(batches[b + 1], cancellationToken);
            var readable = read.Where(r => r.Input is not null).Select(r => r.Input!).ToList();
            var outcomes = await Task.Run(() => service.Screen(readable, cancellationToken), cancellationToken);
            var next = 0;
            foreach (var r in read)
                yield return new ScreenedFile(r.File, r.Input is not null
                    ? outcomes[next++]
                    : new ScreeningOutcome(new FilmInput(r.File.DisplayPath, ReadOnlyMemory<byte>.Empty), null, r.Error));
        }
    }

    private async Task<ReadFile[]> ReadBatchAsync(FilmFile[] batch, CancellationToken cancellationToken)
    {
        var read = new ReadFile[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            try
            {
                read[i] = new ReadFile(batch[i], await FilmFiles.ReadAsync(batch[i], options.Limits, cancellationToken), null);
            }
            catch (CxrQaException e)
            {
                read[i] = new ReadFile(batch[i], null, new ScreeningError(e.Code, e.Message));
            }
        }
        return read;
    }

    private sealed record ReadFile(FilmFile File, FilmInput? Input, ScreeningError? Error);
}
