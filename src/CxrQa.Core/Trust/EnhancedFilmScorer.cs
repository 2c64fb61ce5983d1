using CxrQa.Core.Augmentation;
using CxrQa.Core.Data;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;

namespace CxrQa.Core.Trust;

/// <summary>Enhanced (network-size, CLAHE) films of a labelled set, and which images they came from.</summary>
public sealed record EnhancedFilms(IReadOnlyList<byte[]> Films, IReadOnlyList<LabelledImage> Kept);

/// <summary>The bundle's logits and embeddings for a list of films, and what the shift gates read: the earlier stages'
/// pooled features (empty when the graph has none) and the ensemble members' spread (0 for a single network).</summary>
public sealed record FilmScores(double[] Logits, float[] Embeddings)
{
    public IReadOnlyList<float[]> Depth { get; init; } = [];
    public double[] Spreads { get; init; } = new double[Logits.Length];

    public int Count => Logits.Length;

    /// <summary>Every depth the feature-shift gate reads: the earlier stages, then the final embedding.</summary>
    public IReadOnlyList<float[]> FeatureDepths => [.. Depth, Embeddings];

    public static IReadOnlyList<int> FeatureDimensions(bool withDepth) =>
        withDepth ? [.. DepthFeatureOutputs.Outputs.Select(o => o.Channels), ModelOutputs.EmbeddingSize] : [ModelOutputs.EmbeddingSize];
}

/// <summary>Runs labelled films through the serving preprocessing and a bundle's graph, in batches.</summary>
public sealed class EnhancedFilmScorer(FilmDecoder decoder, FilmPreprocessor preprocessor, ModelBundle bundle)
{
    private const int ReportEvery = 64;

    /// <summary>Decodes and enhances each film as serving does; with <paramref name="framing"/>, film i is first cropped
    /// to framing(i) at network size, before CLAHE, as training's framing augmentation does.</summary>
    public async Task<EnhancedFilms> EnhanceAsync(IReadOnlyList<LabelledImage> images, Action<int>? progress, CancellationToken cancellationToken,
        Func<int, FramingCrop>? framing = null)
    {
        var size = preprocessor.Options.InputSize;
        var films = new byte[images.Count][];
        var done = 0;
        foreach (var chunk in images.Select((image, index) => (image, index)).Chunk(64))
        {
            var bytes = await Task.WhenAll(chunk.Select(c => File.ReadAllBytesAsync(c.image.Path, cancellationToken)));
            Parallel.For(0, chunk.Length, new ParallelOptions { CancellationToken = cancellationToken }, k =>
            {
                try
                {
                    var resized = preprocessor.Resize(decoder.Decode(bytes[k], DecodeLimits.Default).Image);
                    var window = framing?.Invoke(chunk[k].index) ?? FramingCrop.Full;
                    var framed = window.IsFull ? resized : new GrayImage(size, size, window.Apply(resized.Pixels, size, size, size, size));
                    films[chunk[k].index] = preprocessor.EnhanceResized(framed).Pixels;
                }
                catch (CxrQaException)
                {
                    // An undecodable film is simply not part of calibration; the dataset scan already vouched for the rest.
                }
            });
            done += chunk.Length;
            progress?.Invoke(done);
        }
        var kept = Enumerable.Range(0, images.Count).Where(i => films[i] is not null).ToArray();
        return new EnhancedFilms(kept.Select(i => films[i]).ToList(), kept.Select(i => images[i]).ToList());
    }

    public FilmScores Score(IReadOnlyList<byte[]> films, Action<int>? progress, CancellationToken cancellationToken)
    {
        var size = preprocessor.Options.InputSize;
        var inputLength = 3 * size * size;
        var batchSize = bundle.Options.MaxBatch;
        var logits = new double[films.Count];
        var spreads = new double[films.Count];
        var embeddings = new float[films.Count * ModelOutputs.EmbeddingSize];
        var depth = bundle.HasDepthFeatures
            ? DepthFeatureOutputs.Outputs.Select(o => new float[films.Count * o.Channels]).ToArray()
            : [];
        var input = new float[batchSize * inputLength];
        for (var start = 0; start < films.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batchSize, films.Count - start);
            for (var k = 0; k < count; k++)
                preprocessor.WriteModelInput(new GrayImage(size, size, films[start + k]), input.AsSpan(k * inputLength, inputLength));
            var outputs = bundle.Run(input.AsSpan(0, count * inputLength), count);
            for (var k = 0; k < count; k++)
            {
                logits[start + k] = outputs.Logits[k];
                spreads[start + k] = EnsembleSpread.Of(outputs.MembersOf(k));
            }
            for (var d = 0; d < depth.Length; d++)
            {
                var channels = DepthFeatureOutputs.Outputs[d].Channels;
                outputs.DepthFeatures[d].AsSpan(0, count * channels).CopyTo(depth[d].AsSpan(start * channels));
            }
            outputs.Embeddings.AsSpan(0, count * ModelOutputs.EmbeddingSize).CopyTo(embeddings.AsSpan(start * ModelOutputs.EmbeddingSize));
            if ((start / batchSize) % Math.Max(1, ReportEvery / batchSize) == 0 || start + count == films.Count)
                progress?.Invoke(start + count);
        }
        return new FilmScores(logits, embeddings) { Depth = depth, Spreads = spreads };
    }
}
