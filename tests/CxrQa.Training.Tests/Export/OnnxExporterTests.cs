using CxrQa.Core.Model;
using CxrQa.Training.Backbone;
using CxrQa.Training.Export;
using CxrQa.Training.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CxrQa.Training.Tests.Export;

/// <summary>
/// A model whose weights and batch-norm statistics are randomly perturbed (as training would change them) must
/// compute the same logits, feature maps and embeddings in TorchSharp and as its exported graph under ONNX Runtime.
/// </summary>
public sealed class OnnxExporterTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly string _dir = Directory.CreateTempSubdirectory("cxrqa-export-").FullName;

    [Fact]
    public void Exported_graph_of_a_perturbed_model_matches_torch()
    {
        using var model = PretrainedBackbone.Load();
        Perturb(model, seed: 7);
        var path = Path.Combine(_dir, "model.onnx");
        OnnxExporter.Export(model, path);

        var films = SampleFilms.Paths(perClass: 1);
        var inputs = films.Select(GrayFilmTensor.FromFile).Append(GrayFilmTensor.Synthetic()).ToList();
        var n = inputs.Count;
        var flat = inputs.SelectMany(x => x).ToArray();

        float[] logits, maps, embeddings;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var (logit, map, embedding) = model.call(tensor(flat, [n, 3, 224, 224]));
            (logits, maps, embeddings) = (logit.data<float>().ToArray(), map.data<float>().ToArray(), embedding.data<float>().ToArray());
        }

        var onnx = OrtRunner.Run(path, ServingGraphNames.Input, flat, [n, 3, 224, 224],
            ServingGraphNames.Logit, ServingGraphNames.FeatureMap, ServingGraphNames.Embedding);

        var logitDiff = Comparison.MaxAbsDiff(logits, onnx[ServingGraphNames.Logit]);
        var mapDiff = Comparison.MaxAbsDiff(maps, onnx[ServingGraphNames.FeatureMap]);
        var embeddingDiff = Comparison.MaxAbsDiff(embeddings, onnx[ServingGraphNames.Embedding]);
        output.WriteLine($"batch {n}: max |torch - onnx| logit {logitDiff:E2} (logits {string.Join(", ", logits.Select(l => l.ToString("F3")))}), " +
            $"feature map {mapDiff:E2} (max {maps.Max():F2}), embedding {embeddingDiff:E2}; file {new FileInfo(path).Length / 1e6:F1} MB");
        Assert.InRange(logitDiff, 0, Tolerance);
        Assert.InRange(mapDiff, 0, Tolerance);
        Assert.InRange(embeddingDiff, 0, Tolerance);
    }

    [Fact]
    public void Exported_graph_has_the_serving_interface_with_a_symbolic_batch()
    {
        using var model = PretrainedBackbone.Load();
        var path = Path.Combine(_dir, "model.onnx");
        OnnxExporter.Export(model, path);

        using var session = new InferenceSession(path);
        var input = Assert.Single(session.InputMetadata);
        Assert.Equal(ServingGraphNames.Input, input.Key);
        Assert.Equal([-1, 3, 224, 224], input.Value.Dimensions);
        Assert.Equal(ServingGraphNames.BatchDimension, input.Value.SymbolicDimensions[0]);
        Assert.Equal([-1, 1], session.OutputMetadata[ServingGraphNames.Logit].Dimensions);
        Assert.Equal([-1, 512, 7, 7], session.OutputMetadata[ServingGraphNames.FeatureMap].Dimensions);
        Assert.Equal([-1, 512], session.OutputMetadata[ServingGraphNames.Embedding].Dimensions);

        var exported = OnnxModelFile.Read(path).Graph;
        var original = OnnxModelFile.Read(BackboneFiles.Locate().ModelPath).Graph;
        Assert.Equal(original.Node.Count + 4, exported.Node.Count);
        Assert.Equal(original.Initializer.Select(t => t.Name).Concat([ServingGraphNames.MeanImage, ServingGraphNames.HeadWeight, ServingGraphNames.HeadBias]),
            exported.Initializer.Select(t => t.Name));
    }

    /// <summary>Scales every weight by 1 + 10% noise, shifts BN means and rescales BN variances, and draws a new head.</summary>
    private static void Perturb(CxrResNet model, int seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        foreach (var (name, p) in model.named_parameters())
            p.mul_(1 + 0.1 * randn(p.shape, generator: generator));
        foreach (var (name, b) in model.named_buffers())
        {
            if (name.EndsWith("running_mean"))
                b.add_(0.1 * randn(b.shape, generator: generator) * b.abs().mean());
            else if (name.EndsWith("running_var"))
                b.mul_(0.5 + rand(b.shape, generator: generator));
        }
        model.Head.weight!.copy_(0.05 * randn(model.Head.weight!.shape, generator: generator));
        model.Head.bias!.fill_(0.3);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
