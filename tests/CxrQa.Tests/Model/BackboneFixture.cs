using CxrQa.Core.Model;
using Microsoft.ML.OnnxRuntime;

namespace CxrQa.Tests.Model;

/// <summary>Sessions are expensive (a 64 MB graph each), so the model tests share one set in one collection.</summary>
[CollectionDefinition(Name)]
public sealed class BackboneCollection : ICollectionFixture<BackboneFixture>
{
    public const string Name = "backbone";
}

public sealed class BackboneFixture : IDisposable
{
    public BackboneFixture()
    {
        Files = BackboneFiles.Locate();
        BackboneSha256 = Files.ComputeModelSha256();
        Builder = ServingGraphBuilder.FromFiles(Files);
        HeadWeights = RandomHead(seed: 7, out var bias);
        HeadBias = bias;
        ServingGraph = Builder.BuildServingGraph(HeadWeights, HeadBias);
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        Serving = new InferenceSession(ServingGraph.Bytes, options);
        OriginalBackbone = new InferenceSession(Files.ModelPath, options);
        OriginalPreprocess = new InferenceSession(Files.PreprocessPath, options);
    }

    public BackboneFiles Files { get; }
    public string BackboneSha256 { get; }
    public ServingGraphBuilder Builder { get; }
    public float[] HeadWeights { get; }
    public float HeadBias { get; }
    public OnnxGraph ServingGraph { get; }

    /// <summary>Our serving graph (input "image": BGR or gray planes 0..255).</summary>
    public InferenceSession Serving { get; }

    /// <summary>ResNet18.onnx as shipped: Input247 [1,3,224,224] = BGR minus the mean image.</summary>
    public InferenceSession OriginalBackbone { get; }

    /// <summary>ResNetPreprocess.onnx as shipped: OriginalInput [1,3,224,224] RGB planes.</summary>
    public InferenceSession OriginalPreprocess { get; }

    /// <summary>The reference: the two shipped graphs chained, on RGB planes. Returns the 512 pooled features.</summary>
    public float[] ReferenceEmbedding(float[] rgbPlanes)
    {
        var preprocessed = OrtRun.Single(OriginalPreprocess, "OriginalInput", rgbPlanes, [1, 3, 224, 224], "PreprocessedInput");
        return OrtRun.Single(OriginalBackbone, "Input247", preprocessed, [1, 3, 224, 224], "Pooling395_Output_0");
    }

    public static float[] RandomHead(int seed, out float bias)
    {
        var random = new Random(seed);
        var weights = new float[ModelOutputs.EmbeddingSize];
        for (var i = 0; i < weights.Length; i++) weights[i] = (float)(random.NextDouble() * 0.2 - 0.1);
        bias = (float)(random.NextDouble() - 0.5);
        return weights;
    }

    public void Dispose()
    {
        Serving.Dispose();
        OriginalBackbone.Dispose();
        OriginalPreprocess.Dispose();
    }
}

/// <summary>Plain ONNX Runtime calls for the tests (deliberately not the code under test).</summary>
public static class OrtRun
{
    public static float[] Single(InferenceSession session, string inputName, float[] data, long[] shape, string outputName) =>
        Many(session, inputName, data, shape, outputName)[outputName];

    public static Dictionary<string, float[]> Many(InferenceSession session, string inputName, float[] data, long[] shape, params string[] outputNames)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [input], outputNames);
        return outputNames.Zip(outputs).ToDictionary(p => p.First, p => p.Second.GetTensorDataAsSpan<float>().ToArray());
    }
}
