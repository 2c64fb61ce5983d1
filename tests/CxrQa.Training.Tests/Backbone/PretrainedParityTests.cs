using CxrQa.Core.Model;
using CxrQa.Training.Backbone;
using CxrQa.Training.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CxrQa.Training.Tests.Backbone;

/// <summary>
/// Acceptance: the rebuilt TorchSharp backbone computes the ORIGINAL CNTK ResNet18.onnx under ONNX Runtime, fed the
/// same input with the mean image subtracted, within 1e-4 on every embedding value.
/// </summary>
public sealed class PretrainedParityTests(PretrainedModelFixture fixture, ITestOutputHelper output) : IClassFixture<PretrainedModelFixture>
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void Embedding_matches_the_original_onnx_on_real_films_and_a_synthetic_image()
    {
        var films = SampleFilms.Paths(perClass: 2);
        var inputs = films.Select(GrayFilmTensor.FromFile).Append(GrayFilmTensor.Synthetic()).ToList();
        var names = films.Select(Path.GetFileName).Append("synthetic").ToList();
        var mean = TensorProtoFloats.Read(PretrainedBackbone.ReadMeanImage(BackboneFiles.Locate().PreprocessPath));

        var torchEmbeddings = TorchEmbeddings(inputs);
        var worst = 0.0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var centred = inputs[i].Select((v, j) => v - mean[j]).ToArray();
            var reference = OrtRunner.Run(BackboneFiles.Locate().ModelPath, fixture.Model.Spec.InputName, centred,
                [1, 3, 224, 224], fixture.Model.Spec.PooledName)[fixture.Model.Spec.PooledName];
            var diff = Comparison.MaxAbsDiff(reference, torchEmbeddings[i]);
            output.WriteLine($"{names[i]}: max |torch - onnx| = {diff:E2} (embedding max {reference.Max():F3})");
            worst = Math.Max(worst, diff);
        }
        Assert.InRange(worst, 0, Tolerance);
    }

    private List<float[]> TorchEmbeddings(List<float[]> inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = tensor(inputs.SelectMany(x => x).ToArray(), [inputs.Count, 3, 224, 224]);
        var (_, featureMap, embedding) = fixture.Model.call(batch);
        Assert.Equal([inputs.Count, 512, 7, 7], featureMap.shape);
        return Enumerable.Range(0, inputs.Count).Select(i => embedding[i].data<float>().ToArray()).ToList();
    }
}
