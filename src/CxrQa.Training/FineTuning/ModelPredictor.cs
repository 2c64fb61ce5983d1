using CxrQa.Training.Backbone;
using CxrQa.Training.Data;
using static TorchSharp.torch;

namespace CxrQa.Training.FineTuning;

/// <summary>Pneumonia logits of the un-augmented films, in eval mode without gradients (what serving computes).</summary>
public static class ModelPredictor
{
    public static float[] Logits(CxrResNet model, IReadOnlyList<EnhancedFilm> films, int size, int batchSize,
        Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            var logits = new float[films.Count];
            var order = Enumerable.Range(0, films.Count).ToArray();
            using var noGrad = no_grad();
            for (var start = 0; start < films.Count; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(batchSize, films.Count - start);
                var batch = BatchProducer.Build(films, order, start, count, size, augmenter: null, seed: 0, epoch: 0);
                using var scope = NewDisposeScope();
                var (logit, _, _) = model.call(tensor(batch.Inputs, [count, 3, size, size]));
                logit.data<float>().CopyTo(logits.AsSpan(start, count));
                progress?.Invoke(start + count);
            }
            return logits;
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
