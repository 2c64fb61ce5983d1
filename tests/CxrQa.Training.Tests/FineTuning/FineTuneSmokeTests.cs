using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Augmentation;
using CxrQa.Training.Backbone;
using CxrQa.Training.Data;
using CxrQa.Training.FineTuning;
using CxrQa.Training.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CxrQa.Training.Tests.FineTuning;

public sealed class FineTuneSmokeTests(SmokeRunFixture run, ITestOutputHelper output) : IClassFixture<SmokeRunFixture>
{
    [Fact]
    public void Trains_with_a_finite_loss_and_writes_checkpoints_log_and_bundles()
    {
        var r = run.Result;
        var epoch = Assert.Single(r.Epochs);
        output.WriteLine($"train loss {epoch.TrainLoss:0.0000}, val AUC {epoch.ValAuc:0.0000}, {epoch.Steps} steps, {epoch.Seconds:0.0}s");
        Assert.True(double.IsFinite(epoch.TrainLoss));
        Assert.True(epoch.Steps >= 3);
        Assert.Equal((1, 1, 1), (r.StartEpoch, r.EpochsRun, r.BestEpoch));
        foreach (var file in new[] { CheckpointState.LastModel, CheckpointState.LastOptimizer, CheckpointState.LastState, CheckpointState.BestModel, ".gitignore" })
            Assert.True(File.Exists(Path.Combine(r.CheckpointDirectory, file)), file);
        Assert.Equal(2, File.ReadAllLines(r.LogPath).Length);

        var card = r.Card;
        Assert.Equal(GraphCard.Onnx, card.Graph.Kind);
        Assert.Equal(512, card.Graph.Head!.Weights.Length);
        Assert.Equal(0.80, card.DecisionPolicy.Threshold);
        Assert.Equal(1.0, card.Temperature);
        var config = card.Training!.Config!;
        Assert.Equal(config["calibration_images"].GetInt32(), config["calibration_paths"].GetArrayLength());
        Assert.True(config["calibration_images"].GetInt32() > 0);
        foreach (var key in new[] { "val_auc", "val_accuracy", "val_sensitivity", "val_specificity", "val_brier", "val_ece" })
            Assert.True(card.ValidationMetrics.ContainsKey(key), key);

        var fp16 = Assert.IsType<Fp16Comparison>(r.Fp16);
        output.WriteLine($"fp16 {fp16.Fp16Bytes / 1e6:0.0} MB vs {fp16.Fp32Bytes / 1e6:0.0} MB, max logit diff {fp16.MaxAbsLogitDifference:E2}");
        Assert.InRange(fp16.Fp16Bytes, 0, 40_000_000);
        Assert.InRange(fp16.MaxAbsLogitDifference, 0, 0.05);
        using var half = ModelBundle.Load(fp16.BundleDirectory);
    }

    [Fact]
    public void The_fine_tuned_torch_model_equals_its_exported_onnx_bundle()
    {
        var images = SampleFilmsAsImages().ToList();
        var loader = new EnhancedFilmLoader(new FilmDecoder(new DicomFilmReader(new DicomReaderOptions())), new FilmPreprocessor(PreprocessingOptions.Default));
        var (films, _) = loader.Load(images);
        Assert.Equal(2, films.Count);
        var batch = BatchProducer.Build(films, [0, 1], 0, 2, 224, augmenter: null, seed: 0, epoch: 0);

        float[] torchLogits;
        using (var model = PretrainedBackbone.Load())
        {
            model.load(Path.Combine(run.Result.CheckpointDirectory, CheckpointState.BestModel));
            model.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            torchLogits = model.call(tensor(batch.Inputs, [2, 3, 224, 224])).Logit.data<float>().ToArray();
        }
        using var bundle = ModelBundle.Load(run.Result.BundleDirectory);
        var onnxLogits = bundle.Run(batch.Inputs, 2).Logits;
        var diff = Comparison.MaxAbsDiff(torchLogits, onnxLogits);
        output.WriteLine($"torch {string.Join(", ", torchLogits)}; onnx {string.Join(", ", onnxLogits)}; max diff {diff:E2}");
        Assert.InRange(diff, 0, 1e-4);
        // The card's head is the graph's head: Grad-CAM at serving reads it.
        Assert.Equal(bundle.Card.Graph.Head!.Weights, run.Result.Card.Graph.Head!.Weights);
    }

    [Fact]
    public async Task Resume_continues_at_the_next_epoch()
    {
        var copy = Path.Combine(run.Root, "resumed");
        CopyDirectory(run.Result.BundleDirectory, copy);
        var options = SmokeRunFixture.SmokeOptions(copy) with { Epochs = 2, Resume = true, WriteFp16 = false };
        var resumed = await FineTuneRunner.RunAsync(options);
        Assert.Equal(2, resumed.StartEpoch);
        Assert.Equal(2, resumed.EpochsRun);
        Assert.Equal(2, Assert.Single(resumed.Epochs).Epoch);
        var log = File.ReadAllLines(resumed.LogPath);
        Assert.Equal(EpochRecord.CsvHeader, log[0]);
        Assert.Equal(["1", "2"], log.Skip(1).Select(l => l.Split(',')[0]));
        var state = CheckpointState.TryLoad(resumed.CheckpointDirectory)!;
        Assert.Equal(2, state.Epoch);
        Assert.Equal(2 * run.Result.Epochs[0].Steps, state.GlobalStep);

        // A different run (another seed) refuses to resume from this checkpoint.
        var other = options with { Seed = 8, Epochs = 3 };
        await Assert.ThrowsAsync<InvalidOperationException>(() => FineTuneRunner.RunAsync(other));
    }

    [Fact]
    public async Task Batches_built_in_the_background_equal_batches_built_inline()
    {
        var films = Enumerable.Range(0, 10).Select(i => new EnhancedFilm(
            new Core.Data.LabelledImage($"/x/{i}", $"{i}", i % 2, new string('0', 64), $"p{i}"),
            Enumerable.Range(0, 224 * 224).Select(k => (byte)((k * 7 + i * 13) % 256)).ToArray())).ToList();
        var order = EpochPlan.Order(films.Select(f => f.Label).ToArray(), ClassBalancing.PosWeight, 3, 1);
        var augmenter = new FilmAugmenter(AugmentationOptions.Default);
        var reader = BatchProducer.Start(films, order, 4, 224, augmenter, 3, 1, CancellationToken.None);
        var start = 0;
        while (await reader.WaitToReadAsync())
            while (reader.TryRead(out var batch))
            {
                var inline = BatchProducer.Build(films, order, start, batch.Count, 224, augmenter, 3, 1);
                Assert.Equal(inline.Inputs, batch.Inputs);
                Assert.Equal(inline.Labels, batch.Labels);
                start += batch.Count;
            }
        Assert.Equal(10, start);
    }

    private static IEnumerable<Core.Data.LabelledImage> SampleFilmsAsImages() =>
        SampleFilms.Paths(perClass: 1).Select(p => new Core.Data.LabelledImage(p, Path.GetFileName(p), p.Contains("PNEUMONIA") ? 1 : 0, "", "x"));

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to));
    }
}
