using CxrQa.Core.Errors;
using Microsoft.ML.OnnxRuntime;

namespace CxrQa.Core.Model;

/// <summary>Creates ONNX Runtime sessions the way every CxrQa graph is run.</summary>
internal static class OrtSessionFactory
{
    /// <summary>A session over <paramref name="graph"/>, optimized by ONNX Runtime; with <paramref name="saveOptimizedTo"/>
    /// the optimized graph is also written there (for <see cref="OpenOptimized"/> on a later start).</summary>
    public static InferenceSession Create(OnnxGraph graph, ModelRuntimeOptions options, string description, string? saveOptimizedTo = null)
    {
        using var sessionOptions = Options(options, GraphOptimizationLevel.ORT_ENABLE_ALL);
        if (saveOptimizedTo is not null)
            sessionOptions.OptimizedModelFilePath = saveOptimizedTo;
        try
        {
            return new InferenceSession(graph.Bytes, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new CxrQaException(ErrorCodes.ModelInvalid, $"ONNX Runtime cannot load {description}: {e.Message}", e);
        }
    }

    /// <summary>A session over a graph ONNX Runtime optimized before (<see cref="OptimizedGraphCache"/>): it is not
    /// optimized again. Throws <see cref="OnnxRuntimeException"/> when the file cannot be opened.</summary>
    public static InferenceSession OpenOptimized(string path, ModelRuntimeOptions options)
    {
        using var sessionOptions = Options(options, GraphOptimizationLevel.ORT_DISABLE_ALL);
        return new InferenceSession(path, sessionOptions);
    }

    private static SessionOptions Options(ModelRuntimeOptions options, GraphOptimizationLevel level)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = level,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (options.IntraOpThreads > 0)
            sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
        if (!options.AllowSpinning)
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return sessionOptions;
    }
}
