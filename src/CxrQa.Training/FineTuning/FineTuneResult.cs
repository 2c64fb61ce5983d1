using CxrQa.Core.Evaluation;
using CxrQa.Core.Model;

namespace CxrQa.Training.FineTuning;

/// <summary>What a fine-tuning run produced.</summary>
/// <param name="StartEpoch">First epoch this invocation trained (1-based; above 1 after --resume).</param>
/// <param name="EpochsRun">Last epoch completed (1-based), over all invocations.</param>
/// <param name="Fp16">The fp16 bundle and its comparison with fp32, when written.</param>
public sealed record FineTuneResult(
    ModelCard Card,
    string BundleDirectory,
    string CheckpointDirectory,
    string LogPath,
    int StartEpoch,
    int EpochsRun,
    int BestEpoch,
    string StopReason,
    BinaryMetrics Validation,
    IReadOnlyList<EpochRecord> Epochs,
    Fp16Comparison? Fp16);

/// <summary>The fp16-weight bundle against the fp32 one, both run by ONNX Runtime on the validation films.</summary>
public sealed record Fp16Comparison(string BundleDirectory, long Fp32Bytes, long Fp16Bytes, double Fp32ValAuc, double Fp16ValAuc,
    double MaxAbsLogitDifference)
{
    public double AucDrop => Fp32ValAuc - Fp16ValAuc;
}
