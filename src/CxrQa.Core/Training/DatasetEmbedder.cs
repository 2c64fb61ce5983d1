using CxrQa.Core.Data;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using CxrQa.Core.Learning;
using CxrQa.Core.Model;

namespace CxrQa.Core.Training;

/// <summary>A film the embedder could not use, and why.</summary>
public sealed record SkippedImage(string RelativePath, string Code, string Message);

/// <summary>Embeddings of a dataset's films; row i belongs to <see cref="Images"/>[i] (unusable films are left out).</summary>
public sealed record DatasetEmbeddings(FeatureMatrix Features, IReadOnlyList<LabelledImage> Images, IReadOnlyList<SkippedImage> Skipped);

/// <summary>
/// Runs films through the serving preprocessing (the same FilmDecoder and FilmPreprocessor) and the frozen backbone,
/// giving one 512-d embedding per film: the features a linear head is trained on.
/// </summary>
public sealed class DatasetEmbedder(FilmDecoder decoder, FilmPreprocessor preprocessor, BackboneFeatureExtractor backbone)
{
    public async Task<DatasetEmbeddings> EmbedAsync(IReadOnlyList<LabelledImage> images, DecodeLimits limits, int batchSize,
        EmbeddingCache? cache = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var inputLength = 3 * preprocessor.Options.InputSize * preprocessor.Options.InputSize;
        var embeddingOf = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var skipped = new List<SkippedImage>();
        var done = 0;
        var todo = new List<LabelledImage>();
        foreach (var image in images)
        {
            if (cache is not null && cache.TryGet(image.Sha256, out var cached))
                embeddingOf[image.Sha256] = cached;
            else
                todo.Add(image);
        }
        done = images.Count - todo.Count;
        progress?.Report(done);
        foreach (var batch in todo.Chunk(Math.Max(1, batchSize)))
        {
            var bytes = await Task.WhenAll(batch.Select(i => File.ReadAllBytesAsync(i.Path, cancellationToken)));
            var input = new float[batch.Length * inputLength];
            var ok = new bool[batch.Length];
            var errors = new CxrQaException?[batch.Length];
            Parallel.For(0, batch.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                try
                {
                    var film = decoder.Decode(bytes[i], limits);
                    preprocessor.WriteModelInput(preprocessor.Enhance(film.Image), input.AsSpan(i * inputLength, inputLength));
                    ok[i] = true;
                }
                catch (CxrQaException e)
                {
                    errors[i] = e;
                }
            });
            var good = Enumerable.Range(0, batch.Length).Where(i => ok[i]).ToArray();
            var compact = good.Length == batch.Length ? input : good.SelectMany(i => input.AsSpan(i * inputLength, inputLength).ToArray()).ToArray();
            var embeddings = good.Length == 0 ? [] : backbone.ExtractEmbeddings(compact, good.Length);
            for (var k = 0; k < good.Length; k++)
            {
                var row = embeddings.AsSpan(k * ModelOutputs.EmbeddingSize, ModelOutputs.EmbeddingSize).ToArray();
                embeddingOf[batch[good[k]].Sha256] = row;
                cache?.Add(batch[good[k]].Sha256, row);
            }
            for (var i = 0; i < batch.Length; i++)
                if (errors[i] is { } e)
                    skipped.Add(new SkippedImage(batch[i].RelativePath, e.Code, e.Message));
            done += batch.Length;
            progress?.Report(done);
        }
        cache?.Save();
        var kept = images.Where(i => embeddingOf.ContainsKey(i.Sha256)).ToList();
        var rows = kept.Select(i => embeddingOf[i.Sha256]).ToList();
        var features = rows.Count == 0 ? new FeatureMatrix([], 0, ModelOutputs.EmbeddingSize) : FeatureMatrix.FromRows(rows);
        return new DatasetEmbeddings(features, kept, skipped);
    }
}
