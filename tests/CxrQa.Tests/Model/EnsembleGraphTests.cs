using CxrQa.Core.Model;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace CxrQa.Tests.Model;

[Collection(BackboneCollection.Name)]
public sealed class EnsembleGraphTests(BackboneFixture backbone)
{
    private const float Tolerance = 2e-4f;

    [Fact]
    public void The_ensemble_logit_is_the_mean_of_its_members_and_shared_work_is_kept_once()
    {
        var headB = BackboneFixture.RandomHead(seed: 11, out var biasB);
        var memberB = backbone.Builder.BuildServingGraph(headB, biasB);
        var merged = EnsembleGraph.Merge([backbone.ServingGraph, memberB]);

        var single = ModelProto.Parser.ParseFrom(backbone.ServingGraph.Bytes).Graph;
        var ensemble = ModelProto.Parser.ParseFrom(merged.Bytes).Graph;
        // Same backbone: only the head differs, so the merged graph is one backbone, two heads and the combiners.
        Assert.InRange(ensemble.Node.Count, single.Node.Count + 1, single.Node.Count + 5);
        // At most the two heads are new (constants with equal contents are kept once, even within one member).
        Assert.InRange(ensemble.Initializer.Count, single.Initializer.Count - 10, single.Initializer.Count + 2);

        var film = TestImages.Film("train", "PNEUMONIA", 4);
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        using var session = new InferenceSession(merged.Bytes, options);
        using var sessionB = new InferenceSession(memberB.Bytes, options);
        var outputs = OrtRun.Many(session, ServingGraphContract.Input, film, [1, 3, 224, 224],
            ServingGraphContract.Logit, EnsembleGraph.MemberLogits, ServingGraphContract.FeatureMap, ServingGraphContract.Embedding);
        var a = OrtRun.Many(backbone.Serving, ServingGraphContract.Input, film, [1, 3, 224, 224], ServingGraphContract.Logit, ServingGraphContract.FeatureMap);
        var b = OrtRun.Single(sessionB, ServingGraphContract.Input, film, [1, 3, 224, 224], ServingGraphContract.Logit);

        Assert.InRange(Math.Abs(outputs[EnsembleGraph.MemberLogits][0] - a[ServingGraphContract.Logit][0]), 0, Tolerance);
        Assert.InRange(Math.Abs(outputs[EnsembleGraph.MemberLogits][1] - b[0]), 0, Tolerance);
        Assert.InRange(Math.Abs(outputs[ServingGraphContract.Logit][0] - (a[ServingGraphContract.Logit][0] + b[0]) / 2), 0, Tolerance);
        Assert.NotEqual(a[ServingGraphContract.Logit][0], b[0]);
        Assert.Equal(2 * ModelOutputs.FeatureMapSize, outputs[ServingGraphContract.FeatureMap].Length);
        Assert.InRange(TestImages.MaxAbsDiff(a[ServingGraphContract.FeatureMap], outputs[ServingGraphContract.FeatureMap].AsSpan(0, ModelOutputs.FeatureMapSize)), 0, Tolerance);
    }

    [Fact]
    public void One_member_is_not_an_ensemble()
    {
        Assert.Throws<ArgumentException>(() => EnsembleGraph.Merge([backbone.ServingGraph]));
    }

    [Fact]
    public void Depth_outputs_are_the_pooled_stages_of_the_backbone()
    {
        var model = ModelProto.Parser.ParseFrom(backbone.ServingGraph.Bytes);
        Assert.True(DepthFeatureOutputs.TryAdd(model.Graph));
        Assert.True(DepthFeatureOutputs.HasThem(model.Graph));
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model), options);
        var film = TestImages.Film("train", "NORMAL", 2);
        var names = DepthFeatureOutputs.Outputs.Select(o => o.Name).Append(ServingGraphContract.Logit).ToArray();
        var outputs = OrtRun.Many(session, ServingGraphContract.Input, film, [1, 3, 224, 224], names);
        foreach (var (name, channels) in DepthFeatureOutputs.Outputs)
        {
            Assert.Equal(channels, outputs[name].Length);
            Assert.All(outputs[name], v => Assert.True(float.IsFinite(v) && v >= 0, "pooled post-ReLU activations are finite and non-negative"));
            Assert.Contains(outputs[name], v => v > 0.01f);
        }
        // Adding outputs does not change the answer.
        var plain = OrtRun.Single(backbone.Serving, ServingGraphContract.Input, film, [1, 3, 224, 224], ServingGraphContract.Logit);
        Assert.InRange(Math.Abs(outputs[ServingGraphContract.Logit][0] - plain[0]), 0, Tolerance);
    }
}
