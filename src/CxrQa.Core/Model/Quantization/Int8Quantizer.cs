using Google.Protobuf;
using Onnx;

namespace CxrQa.Core.Model.Quantization;

/// <summary>What quantizing a graph did, for the card and the report.</summary>
public sealed record Int8GraphSummary(int QuantizedTensors, int Int8Convolutions, int FusedRelus, ActivationRangeMethod Method);

/// <summary>
/// Static int8 quantization of a serving graph in three steps: <see cref="Calibrate"/> prepares the fp32 graph,
/// plans the QDQ layout and observes the planned activations on calibration inputs; <see cref="Write"/> then makes
/// the QDQ graph for a range method (several methods can be tried on one calibration).
/// </summary>
public sealed class Int8Quantizer
{
    private Int8Quantizer(ModelProto prepared, QdqPlan plan, IReadOnlyDictionary<string, ActivationHistogram> histograms)
    {
        Prepared = prepared;
        Plan = plan;
        Histograms = histograms;
    }

    /// <summary>The fp32 graph that is quantized (weights fp32, batch norm folded; see <see cref="QuantizationPreparation"/>).</summary>
    public ModelProto Prepared { get; }

    public QdqPlan Plan { get; }

    public IReadOnlyDictionary<string, ActivationHistogram> Histograms { get; }

    public static Int8Quantizer Calibrate(OnnxGraph source, IReadOnlyList<float[]> inputs, IReadOnlyList<int> itemShape, int batchSize,
        ModelRuntimeOptions? runtime = null, IProgress<(int Pass, int Done)>? progress = null, Fp32Convolutions keepFp32 = Fp32Convolutions.None,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var prepared = QuantizationPreparation.Prepare(ModelProto.Parser.ParseFrom(source.Bytes));
        var plan = QdqPlan.For(prepared.Graph, keepFp32);
        var histograms = ActivationRangeCollector.Collect(prepared, plan.CalibratedTensors, inputs, itemShape, batchSize,
            runtime ?? new ModelRuntimeOptions(), progress, cancellationToken);
        return new Int8Quantizer(prepared, plan, histograms);
    }

    public OnnxGraph PreparedGraph() => new(Prepared.ToByteArray());

    /// <param name="biasCorrections">Per quantized convolution, what to add to its fp32 bias before it is quantized
    /// (<see cref="BiasCorrection"/>); null: none.</param>
    public (OnnxGraph Graph, Int8GraphSummary Summary) Write(ActivationRangeMethod method, IReadOnlyDictionary<string, float[]>? biasCorrections = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        var parameters = Histograms.ToDictionary(h => h.Key, h =>
        {
            var (lo, hi) = method.RangeOf(h.Value);
            return ActivationQuantization.FromRange(lo, hi);
        }, StringComparer.Ordinal);
        var source = biasCorrections is null ? Prepared : BiasCorrection.Apply(Prepared, biasCorrections);
        var model = QdqGraphWriter.Write(source, Plan, parameters);
        model.DocString = (Prepared.DocString + $" Static int8 QDQ: per-channel symmetric int8 weights, per-tensor uint8 activations ({method}).").Trim();
        return (new OnnxGraph(model.ToByteArray()),
            new Int8GraphSummary(Plan.CalibratedTensors.Count + Plan.SharedParameters.Count, Plan.QuantizedConvolutions.Count, Plan.FusedRelus.Count, method));
    }
}
