namespace CxrQa.Core.Model;

/// <summary>STUB — to be replaced: a loaded model bundle (card + ONNX Runtime session), thread-safe to share.</summary>
public sealed class ModelBundle : IDisposable
{
    public required ModelCard Card { get; init; }
    public required string Directory { get; init; }

    /// <summary>Loads <c>dir/model.json</c>, assembles or opens the graph and checks the card against it.
    /// Throws CxrQaException(ErrorCodes.ModelInvalid) with a clear message on any mismatch.</summary>
    public static ModelBundle Load(string dir, ModelRuntimeOptions? options = null) => throw new NotImplementedException();

    /// <summary>Runs a batch: input is N x 3 x S x S floats (S = card.preprocessing.input_size).</summary>
    public ModelOutputs Run(ReadOnlySpan<float> input, int count) => throw new NotImplementedException();

    public void Dispose() { }
}

public sealed record ModelRuntimeOptions
{
    public int IntraOpThreads { get; init; } = 0; // 0: ONNX Runtime's default
    public int MaxBatch { get; init; } = 8;
}
