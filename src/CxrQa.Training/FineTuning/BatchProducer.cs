using System.Threading.Channels;
using CxrQa.Core.Augmentation;
using CxrQa.Training.Data;

namespace CxrQa.Training.FineTuning;

/// <summary>
/// Builds an epoch's batches (augmentation + float conversion) on a background task into a small bounded channel, so
/// the CPU work of the next batches overlaps the torch step of the current one. Each film's jitter depends only on
/// (seed, epoch, position in the epoch): the result does not depend on timing.
/// </summary>
public static class BatchProducer
{
    public const int QueueCapacity = 3;

    public static ChannelReader<Batch> Start(IReadOnlyList<EnhancedFilm> films, int[] order, int batchSize, int size,
        FilmAugmenter? augmenter, int seed, int epoch, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        _ = Task.Run(async () =>
        {
            Exception? error = null;
            try
            {
                for (var start = 0; start < order.Length; start += batchSize)
                {
                    var count = Math.Min(batchSize, order.Length - start);
                    await channel.Writer.WriteAsync(Build(films, order, start, count, size, augmenter, seed, epoch), cancellationToken)
                        .ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                error = e;
            }
            channel.Writer.TryComplete(error);
        }, CancellationToken.None);
        return channel.Reader;
    }

    /// <summary>One batch, synchronously (also what the background task runs).</summary>
    public static Batch Build(IReadOnlyList<EnhancedFilm> films, int[] order, int start, int count, int size,
        FilmAugmenter? augmenter, int seed, int epoch)
    {
        var plane = size * size;
        var inputs = new float[count * 3 * plane];
        var labels = new float[count];
        for (var k = 0; k < count; k++)
        {
            var film = films[order[start + k]];
            var pixels = augmenter is null ? film.Pixels : augmenter.Augment(film.Pixels, size, seed, epoch, start + k, film.Resized);
            WriteInput(pixels, inputs.AsSpan(k * 3 * plane, 3 * plane));
            labels[k] = film.Label;
        }
        return new Batch(inputs, labels, count);
    }

    /// <summary>The serving input layout (FilmPreprocessor.WriteModelInput): three identical planes of 0..255 floats.</summary>
    public static void WriteInput(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        var plane = pixels.Length;
        for (var i = 0; i < plane; i++)
            destination[i] = pixels[i];
        destination[..plane].CopyTo(destination.Slice(plane, plane));
        destination[..plane].CopyTo(destination.Slice(2 * plane, plane));
    }
}
