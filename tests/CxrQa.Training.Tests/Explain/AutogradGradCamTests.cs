using CxrQa.Core.Explain;
using CxrQa.Training.Explain;
using CxrQa.Training.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CxrQa.Training.Tests.Explain;

/// <summary>
/// Acceptance: the closed-form serving Grad-CAM (<see cref="GradCam.Compute"/> from the feature map and the head
/// weights) is the Grad-CAM that back-propagation gives at layer4, cell by cell, for non-trivial heads.
/// </summary>
public sealed class AutogradGradCamTests(PretrainedModelFixture fixture, ITestOutputHelper output) : IClassFixture<PretrainedModelFixture>
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void Serving_closed_form_equals_autograd_at_layer4_on_real_films()
    {
        var model = fixture.Model;
        var films = SampleFilms.Paths(perClass: 2).Take(3).ToList(); // 2 NORMAL, 1 PNEUMONIA
        var inputs = films.Select(GrayFilmTensor.FromFile).ToList();
        var features = inputs.Select(Forward).ToList();

        // A seeded random head, and a head pointing from the NORMAL films' mean embedding to the PNEUMONIA one.
        var random = new Random(20240611);
        var heads = new List<(string Name, float[] Weights, float Bias)>
        {
            ("random", Enumerable.Range(0, 512).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.1f).ToArray(), 0.3f),
            ("class-mean difference", Enumerable.Range(0, 512)
                .Select(k => features[2].Embedding[k] - (features[0].Embedding[k] + features[1].Embedding[k]) / 2).ToArray(), -1f),
        };

        var worst = 0.0;
        var nonEmpty = 0;
        foreach (var (name, weights, bias) in heads)
        {
            SetHead(weights, bias);
            for (var i = 0; i < inputs.Count; i++)
            {
                using var scope = NewDisposeScope();
                var x = tensor(inputs[i], [1, 3, 224, 224]);
                foreach (var target in new[] { TargetClass.Pneumonia, TargetClass.Normal })
                {
                    var serving = GradCam.Compute(features[i].FeatureMap, weights, target);
                    var reference = AutogradGradCam.Compute(model, x, "layer4", target);
                    Assert.Equal(CamResult.CellCount, reference.Length);
                    Assert.Equal(serving.Empty, reference.All(v => v == 0f));
                    var diff = Comparison.MaxAbsDiff(serving.Grid, reference);
                    output.WriteLine($"{name} head, {Path.GetFileName(films[i])}, {target}: max |serving - autograd| = {diff:E2}{(serving.Empty ? " (empty)" : "")}");
                    worst = Math.Max(worst, diff);
                    if (!serving.Empty) nonEmpty++;
                }
            }
        }
        output.WriteLine($"worst {worst:E2} over {heads.Count * inputs.Count * 2} maps, {nonEmpty} non-empty");
        Assert.InRange(worst, 0, Tolerance);
        Assert.True(nonEmpty >= heads.Count * inputs.Count, "most maps should have evidence for one class or the other");
        Assert.All(model.parameters(), p => Assert.True(p.grad is null, "autograd Grad-CAM must leave no parameter gradients"));
    }

    [Fact]
    public void Layer3_map_is_14x14_finite_and_normalised()
    {
        var random = new Random(7);
        SetHead(Enumerable.Range(0, 512).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.1f).ToArray(), 0f);
        using var scope = NewDisposeScope();
        var x = tensor(GrayFilmTensor.FromFile(SampleFilms.Paths(perClass: 1)[1]), [1, 3, 224, 224]);
        foreach (var target in new[] { TargetClass.Pneumonia, TargetClass.Normal })
        {
            var map = AutogradGradCam.Compute(fixture.Model, x, "layer3", target);
            Assert.Equal(14 * 14, map.Length);
            Assert.All(map, v => Assert.True(float.IsFinite(v) && v is >= 0f and <= 1f, $"cell {v}"));
            Assert.True(map.Max() is 0f or 1f);
        }
        Assert.Throws<ArgumentException>(() => AutogradGradCam.Compute(fixture.Model, x, "layer5", TargetClass.Normal));
    }

    private (float[] FeatureMap, float[] Embedding) Forward(float[] input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (_, featureMap, embedding) = fixture.Model.call(tensor(input, [1, 3, 224, 224]));
        return (featureMap.data<float>().ToArray(), embedding.data<float>().ToArray());
    }

    private void SetHead(float[] weights, float bias)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        fixture.Model.Head.weight!.copy_(tensor(weights, [1, weights.Length]));
        fixture.Model.Head.bias!.copy_(tensor(new[] { bias }, [1]));
    }
}
