using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CxrQa.Training.Tests.Support;

/// <summary>Runs an ONNX graph with ONNX Runtime on one float input and returns the named outputs, flattened.</summary>
internal static class OrtRunner
{
    public static Dictionary<string, float[]> Run(string modelPath, string inputName, float[] input, int[] shape, params string[] outputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        using var session = new InferenceSession(modelPath, options);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(input, shape))], outputs);
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }
}
