using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CxrQa.Core.Model;

/// <summary>
/// Runs a session over N items in chunks of at most MaxBatch, with no intermediate copies: the caller's input span is
/// pinned and wrapped as the input OrtValue, and ONNX Runtime writes the outputs straight into the result arrays.
/// Thread-safe: <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue})"/>
/// is, and every call owns its OrtValues.
/// </summary>
internal sealed class BatchedSessionRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly BatchedTensorSpec _input;
    private readonly string[] _inputNames;
    private readonly int _maxBatch;

    public BatchedSessionRunner(InferenceSession session, BatchedTensorSpec input, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _session = session;
        _input = input;
        _inputNames = [input.Name];
        _maxBatch = maxBatch;
    }

    public int MaxBatch => _maxBatch;

    /// <summary>Runs <paramref name="count"/> items and returns one array per requested output (count x item length).</summary>
    public float[][] Run(ReadOnlySpan<float> input, int count, IReadOnlyList<BatchedTensorSpec> outputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var itemLength = _input.ItemLength;
        if (input.Length != (long)count * itemLength)
            throw new ArgumentException(
                $"input holds {input.Length} floats; {count} items of {_input.Describe()} need {(long)count * itemLength}", nameof(input));

        var results = outputs.Select(o => new float[checked(count * o.ItemLength)]).ToArray();
        if (count == 0) return results;

        var outputNames = outputs.Select(o => o.Name).ToArray();
        using var runOptions = new RunOptions();
        unsafe
        {
            fixed (float* inputStart = input)
            {
                for (var start = 0; start < count; start += _maxBatch)
                {
                    var n = Math.Min(_maxBatch, count - start);
                    using var inputValue = OrtValue.CreateTensorValueWithData(
                        OrtMemoryInfo.DefaultInstance, TensorElementType.Float, _input.BatchShape(n),
                        (IntPtr)(inputStart + (long)start * itemLength), (long)n * itemLength * sizeof(float));
                    var outputValues = new OrtValue[outputs.Count];
                    try
                    {
                        for (var o = 0; o < outputs.Count; o++)
                        {
                            var length = outputs[o].ItemLength;
                            outputValues[o] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                                new Memory<float>(results[o], start * length, n * length), outputs[o].BatchShape(n));
                        }
                        _session.Run(runOptions, _inputNames, [inputValue], outputNames, outputValues);
                    }
                    finally
                    {
                        foreach (var value in outputValues) value?.Dispose();
                    }
                }
            }
        }
        return results;
    }

    public void Dispose() => _session.Dispose();
}
