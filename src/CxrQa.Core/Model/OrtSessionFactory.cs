using CxrQa.Core.Errors;
using Microsoft.ML.OnnxRuntime;

namespace CxrQa.Core.Model;

/// <summary>Creates ONNX Runtime sessions the way every CxrQa graph is run.</summary>
internal static class OrtSessionFactory
{
    public static InferenceSession Create(OnnxGraph graph, ModelRuntimeOptions options, string description)
    {
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (options.IntraOpThreads > 0)
            sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
        if (!options.AllowSpinning)
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            return new InferenceSession(graph.Bytes, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new CxrQaException(ErrorCodes.ModelInvalid, $"ONNX Runtime cannot load {description}: {e.Message}", e);
        }
    }
}
