using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CxrQa.Core.Data;
using CxrQa.Core.Dicom;
using CxrQa.Core.Evaluation;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Training.Backbone;
using CxrQa.Training.Data;
using CxrQa.Training.Export;
using CxrQa.Training.Native;
using static TorchSharp.torch;

namespace CxrQa.Training.FineTuning;

/// <summary>
/// The one entry point of fine-tuning: scan the data, decode every film once, split by patient, train, then export
/// the best checkpoint as an "onnx" model bundle (and an fp16-weight twin). Its signature is torch-free so callers
/// (the CLI) never load TorchSharp unless they call it; it makes TorchSharp loadable before the first torch call.
/// </summary>
public static class FineTuneRunner
{
    public static async Task<FineTuneResult> RunAsync(FineTuneOptions options, IProgress<FineTuneProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchRuntime.EnsureLoadable();

        progress?.Report(new FineTuneProgress("scanning", 0, 1));
        var dataset = await LabelledFolderDataset.Scan(options.DataDirectory, cancellationToken).ConfigureAwait(false);
        var used = FilmSplit.Limit(dataset.Images, options.Limit, options.Seed);
        progress?.Report(new FineTuneProgress("scanning", 1, 1));
        var loader = new EnhancedFilmLoader(new FilmDecoder(new DicomFilmReader(new DicomReaderOptions())), new FilmPreprocessor(PreprocessingOptions.Default));
        var (films, unusable) = await Task.Run(() => loader.Load(used,
            new SynchronousProgress(n => progress?.Report(new FineTuneProgress("decoding films", n, used.Count))), cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var split = FilmSplit.ByPatient(films.Select(f => f.Image).ToList(), options.ValidationFraction, options.CalibrationFraction, options.EffectiveSplitSeed);
        var data = new SplitFilms(dataset, used, films, unusable.Count, split, loader.Size);
        return await Task.Factory.StartNew(() => TrainAndExport(options, data, progress, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>Everything a run's checkpoint must agree on to be resumed (all but the epoch count and the budget).</summary>
    public static string RunKey(FineTuneOptions o, IReadOnlyList<LabelledImage> used) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new object?[]
        {
            DatasetManifest.Sha256(DatasetManifest.Text(used)), o.Seed, o.EffectiveSplitSeed, o.ValidationFraction, o.CalibrationFraction, o.TrainLayers,
            o.BatchSize, o.LearningRate, o.HeadLearningRateMultiplier, o.WeightDecay, o.WarmupFraction, o.Balancing.ToString(),
            o.UpdateBatchNormStatistics, o.Augmentation,
        }))));

    private sealed record SplitFilms(LabelledDataset Dataset, IReadOnlyList<LabelledImage> Used, IReadOnlyList<EnhancedFilm> Films,
        int Unusable, FilmSplit Split, int Size)
    {
        public List<EnhancedFilm> Part(int[] indices) => indices.Select(i => Films[i]).ToList();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FineTuneResult TrainAndExport(FineTuneOptions options, SplitFilms data, IProgress<FineTuneProgress>? progress,
        CancellationToken cancellationToken)
    {
        set_num_threads(options.Threads ?? Environment.ProcessorCount);
        random.manual_seed(options.Seed);
        var train = data.Part(data.Split.Train);
        var validation = data.Part(data.Split.Validation);
        var calibration = data.Part(data.Split.Calibration);
        if (train.Count == 0 || validation.Count == 0)
            throw new InvalidOperationException($"too few films to split: {train.Count} for training, {validation.Count} for validation");
        Directory.CreateDirectory(options.OutputDirectory);

        using var model = PretrainedBackbone.Load();
        using (no_grad())
        {
            // A zero head: the first logits are 0 (p = 0.5) for every film, and no random draw is involved.
            model.Head.weight!.zero_();
            model.Head.bias!.zero_();
        }
        var trainer = new FineTuneTrainer(model, options, train, validation, data.Size, RunKey(options, data.Used), progress);
        var outcome = trainer.Train(cancellationToken);

        var best = Path.Combine(options.CheckpointPath, CheckpointState.BestModel);
        model.load(best);
        model.eval();
        var validationLabels = validation.Select(f => f.Label).ToArray();
        var logits = outcome.BestLogits ?? ModelPredictor.Logits(model, validation, data.Size, options.ValidationBatchSize,
            n => progress?.Report(new FineTuneProgress("validating best", n, validation.Count)), cancellationToken);
        var metrics = BinaryMetrics.Compute(BinaryLoss.Probabilities(logits), validationLabels);
        var loss = BinaryLoss.Mean(logits, validationLabels);

        progress?.Report(new FineTuneProgress("exporting", 0, options.WriteFp16 ? 2 : 1));
        var positives = train.Count(f => f.Label == 1);
        var posWeight = options.Balancing == ClassBalancing.PosWeight && positives > 0 && positives < train.Count
            ? (double)(train.Count - positives) / positives : 1.0;
        var facts = new FineTuneRunFacts(data.Dataset, data.Used, train.Select(f => f.Image).ToList(), validation.Select(f => f.Image).ToList(),
            calibration.Select(f => f.Image).ToList(), data.Unusable, posWeight, outcome,
            model.Head.weight!.detach().data<float>().ToArray(), model.Head.bias!.detach().data<float>()[0],
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(CxrQa.Core.Model.BackboneFiles.Locate().ModelPath))));
        var card = FineTuneCardBuilder.Build(options, facts, metrics, loss);

        var exported = Path.Combine(options.OutputDirectory, $".export-{Environment.ProcessId}.onnx");
        byte[] fp32;
        try
        {
            OnnxExporter.Export(model, exported);
            fp32 = File.ReadAllBytes(exported);
        }
        finally
        {
            File.Delete(exported);
        }
        card = ModelBundleWriter.Save(options.OutputDirectory, card, new OnnxGraph(fp32));
        progress?.Report(new FineTuneProgress("exporting", 1, options.WriteFp16 ? 2 : 1));

        Fp16Comparison? fp16 = null;
        if (options.WriteFp16)
        {
            fp16 = WriteFp16(options, card, fp32, validation, data.Size, cancellationToken);
            progress?.Report(new FineTuneProgress("exporting", 2, 2));
        }
        return new FineTuneResult(card, Path.GetFullPath(options.OutputDirectory), Path.GetFullPath(options.CheckpointPath), trainer.LogPath,
            outcome.StartEpoch, outcome.EpochsRun, outcome.BestEpoch, outcome.StopReason, metrics, outcome.Epochs, fp16);
    }

    /// <summary>Writes the fp16-weight bundle and measures both bundles with ONNX Runtime on the validation films.</summary>
    private static Fp16Comparison WriteFp16(FineTuneOptions options, ModelCard fp32Card, byte[] fp32, IReadOnlyList<EnhancedFilm> validation,
        int size, CancellationToken cancellationToken)
    {
        var half = Fp16Weights.Convert(fp32);
        var labels = validation.Select(f => f.Label).ToArray();
        var fp32Logits = BundleLogits(options.OutputDirectory, validation, size, cancellationToken);
        var fp16Dir = options.Fp16OutputDirectory;
        // Written first with the fp32 card's metrics, then measured and re-written with its own.
        var card = ModelBundleWriter.Save(fp16Dir, fp32Card with { Graph = fp32Card.Graph with { File = null, FileSha256 = null } }, new OnnxGraph(half));
        var fp16Logits = BundleLogits(fp16Dir, validation, size, cancellationToken);
        var fp32Auc = Auc.Compute(BinaryLoss.Probabilities(fp32Logits), labels);
        var m = BinaryMetrics.Compute(BinaryLoss.Probabilities(fp16Logits), labels);
        var maxDiff = fp32Logits.Zip(fp16Logits, (a, b) => Math.Abs((double)a - b)).DefaultIfEmpty(0).Max();
        var metrics = FineTuneCardBuilder.Metrics(m, BinaryLoss.Mean(fp16Logits, labels));
        metrics["fp32_val_auc_onnxruntime"] = fp32Auc;
        metrics["val_auc_drop_vs_fp32"] = fp32Auc - m.Auc;
        metrics["max_abs_logit_diff_vs_fp32"] = maxDiff;
        ModelBundleWriter.Save(fp16Dir, card with
        {
            Description = card.Description + " Weights stored as float16 (Cast to float in the graph); computed in fp32.",
            ValidationMetrics = metrics,
        }, new OnnxGraph(half));
        return new Fp16Comparison(Path.GetFullPath(fp16Dir), fp32.LongLength, half.LongLength, fp32Auc, m.Auc, maxDiff);
    }

    /// <summary>Logits of a written bundle under ONNX Runtime (serving's own loader) for un-augmented films.</summary>
    public static float[] BundleLogits(string bundleDirectory, IReadOnlyList<EnhancedFilm> films, int size, CancellationToken cancellationToken = default)
    {
        using var bundle = ModelBundle.Load(bundleDirectory, new ModelRuntimeOptions { IntraOpThreads = Environment.ProcessorCount });
        var logits = new float[films.Count];
        var order = Enumerable.Range(0, films.Count).ToArray();
        const int chunk = 32;
        for (var start = 0; start < films.Count; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(chunk, films.Count - start);
            var batch = BatchProducer.Build(films, order, start, count, size, augmenter: null, seed: 0, epoch: 0);
            bundle.Run(batch.Inputs, count).Logits.CopyTo(logits.AsSpan(start, count));
        }
        return logits;
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        private readonly Lock _gate = new();

        public void Report(int value)
        {
            lock (_gate) report(value);
        }
    }
}
