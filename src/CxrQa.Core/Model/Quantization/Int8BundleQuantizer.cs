using System.Security.Cryptography;
using System.Text;
using CxrQa.Core.Data;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using CxrQa.Core.Trust;
using Onnx;

namespace CxrQa.Core.Model.Quantization;

public sealed record Int8QuantizeOptions
{
    /// <summary>Training films whose activations set the ranges.</summary>
    public int CalibrationFilms { get; init; } = 256;

    /// <summary>Other training films on which the range methods are compared (when <see cref="Method"/> is null).</summary>
    public int SelectionFilms { get; init; } = 128;

    /// <summary>The range method; null: the candidate whose logits stay closest to fp32 on the selection films.</summary>
    public ActivationRangeMethod? Method { get; init; }

    public IReadOnlyList<ActivationRangeMethod> Candidates { get; init; } =
    [
        ActivationRangeMethod.MinMax, ActivationRangeMethod.OfPercentile(99.9), ActivationRangeMethod.OfPercentile(99.99),
        ActivationRangeMethod.OfPercentile(99.999),
    ];

    public int BatchSize { get; init; } = 8;

    /// <summary>Convolutions kept in fp32. Default: the first stage (stem and layer1): on the ensemble it halved the mean
    /// |int8 - fp32 logit| (0.128 all int8, 0.095 stem fp32, 0.065 first stage fp32) and kept 2.2x of fp32 speed at
    /// batch 8 (docs/benchmarks.md, "int8").</summary>
    public Fp32Convolutions KeepFp32 { get; init; } = Fp32Convolutions.FirstStage;

    /// <summary>Rounds of empirical bias correction on the calibration films (<see cref="BiasCorrection"/>); 0: none.</summary>
    public int BiasCorrectionRounds { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(BiasCorrectionRounds);
        ArgumentOutOfRangeException.ThrowIfLessThan(CalibrationFilms, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(SelectionFilms, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        if (Method is null && Candidates.Count == 0) throw new ArgumentException("no range method and no candidates to choose from");
    }
}

/// <summary>A range method's fidelity on the selection films: |int8 logit - fp32 logit|.</summary>
public sealed record RangeMethodTrial(ActivationRangeMethod Method, double MeanAbsLogitDifference, double MaxAbsLogitDifference);

public sealed record Int8BundleResult(ModelCard Card, Int8GraphSummary Summary, IReadOnlyList<RangeMethodTrial> Trials);

/// <summary>
/// Writes the int8 version of an "onnx" bundle: its graph quantized (<see cref="Int8Quantizer"/>) with activation
/// ranges observed on a documented subset of the films the network was trained on, decoded and enhanced exactly as
/// serving does. The new bundle is uncalibrated: its trust layer must be fitted on its own graph (<c>calibrate</c>).
/// </summary>
public static class Int8BundleQuantizer
{
    public const string SubsetRule =
        "training-patient films of the bundle's own split (never its validation or calibration patients), per label in " +
        "order of SHA-256(relative path), in proportion to the label counts; the range-method selection films are the next ones in that order";

    public static async Task<Int8BundleResult> QuantizeAsync(string sourceDirectory, string dataDirectory, string outputDirectory, string name,
        string? command, Int8QuantizeOptions options, FilmDecoder decoder, IProgress<(string Stage, int Done, int Total)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (Path.GetFullPath(sourceDirectory) == Path.GetFullPath(outputDirectory))
            throw new ArgumentException("the int8 bundle must go to a new folder, not over its source", nameof(outputDirectory));
        using var source = ModelBundle.Load(sourceDirectory);
        var card = source.Card;
        if (card.Graph.Kind != GraphCard.Onnx)
            throw new CxrQaException(ErrorCodes.ModelInvalid, $"only bundles with a graph file (kind '{GraphCard.Onnx}') can be quantized; '{sourceDirectory}' is '{card.Graph.Kind}'");
        if (card.Graph.Quantization is not null)
            throw new CxrQaException(ErrorCodes.ModelInvalid, $"'{sourceDirectory}' is already quantized ({card.Graph.Quantization.Precision})");

        var dataset = await LabelledFolderDataset.Scan(dataDirectory, cancellationToken);
        var split = TrustSplit.For(dataset.Images, BundleCalibrator.CalibrationPaths(card), card.Training!.Config!);
        var (calibrationFilms, selectionFilms) = Subsets(split.Training, options.CalibrationFilms, options.SelectionFilms);

        var preprocessor = new FilmPreprocessor(new PreprocessingOptions
        {
            InputSize = card.Preprocessing.InputSize, Clahe = card.Preprocessing.Clahe,
            ClaheClipLimit = card.Preprocessing.ClaheClipLimit, ClaheTiles = card.Preprocessing.ClaheTiles,
        });
        var scorer = new EnhancedFilmScorer(decoder, preprocessor, source);
        async Task<(List<float[]> Inputs, IReadOnlyList<LabelledImage> Kept)> Inputs(IReadOnlyList<LabelledImage> films, string what)
        {
            var enhanced = await scorer.EnhanceAsync(films, d => progress?.Report(($"preparing {what}", d, films.Count)), cancellationToken);
            var size = preprocessor.Options.InputSize;
            var inputs = enhanced.Films.Select(f =>
            {
                var input = new float[3 * size * size];
                preprocessor.WriteModelInput(new GrayImage(size, size, f), input);
                return input;
            }).ToList();
            return (inputs, enhanced.Kept);
        }
        var calibration = await Inputs(calibrationFilms, "calibration films");
        var sourceGraph = new OnnxGraph(await File.ReadAllBytesAsync(Path.Combine(source.Directory, card.Graph.File!), cancellationToken));
        var runtime = new ModelRuntimeOptions { MaxBatch = options.BatchSize };
        var quantizer = Int8Quantizer.Calibrate(sourceGraph, calibration.Inputs, ServingGraphContract.InputItemShape, options.BatchSize, runtime,
            new Progress(p => progress?.Report(($"observing activations, pass {p.Pass} of 2", p.Done, calibration.Inputs.Count))), options.KeepFp32, cancellationToken);

        var trials = new List<RangeMethodTrial>();
        ActivationRangeMethod method;
        var needSelection = options.Method is null || options.BiasCorrectionRounds > 0;
        var selection = needSelection ? await Inputs(selectionFilms, "range-method selection films") : default;
        var reference = needSelection ? Logits(sourceGraph, selection.Inputs, runtime) : [];
        RangeMethodTrial Trial(ActivationRangeMethod candidate, IReadOnlyDictionary<string, float[]>? corrections)
        {
            var logits = Logits(quantizer.Write(candidate, corrections).Graph, selection.Inputs, runtime);
            var differences = logits.Zip(reference, (a, b) => Math.Abs((double)a - b)).ToArray();
            return new RangeMethodTrial(candidate, differences.Average(), differences.Max());
        }
        if (options.Method is { } chosen) method = chosen;
        else
        {
            foreach (var candidate in options.Candidates)
            {
                progress?.Report(($"trying range method {candidate}", trials.Count, options.Candidates.Count));
                trials.Add(Trial(candidate, null));
            }
            method = trials.MinBy(t => t.MeanAbsLogitDifference)!.Method;
        }

        IReadOnlyDictionary<string, float[]>? corrections = null;
        string? biasCorrection = null;
        if (options.BiasCorrectionRounds > 0)
        {
            var before = trials.FirstOrDefault(t => t.Method.Equals(method)) ?? Trial(method, null);
            corrections = BiasCorrection.Fit(quantizer, method, calibration.Inputs, ServingGraphContract.InputItemShape, options.BatchSize, runtime,
                options.BiasCorrectionRounds, new Progress(p => progress?.Report(($"bias correction, round {p.Pass} of {options.BiasCorrectionRounds}", p.Done, calibration.Inputs.Count))),
                cancellationToken);
            var after = Trial(method, corrections);
            biasCorrection = $"{options.BiasCorrectionRounds} round(s) of empirical bias correction on the {calibration.Kept.Count} calibration films " +
                             $"(per output channel, the mean difference between each int8 convolution and its fp32 weights on the same input); mean |int8 - fp32 logit| on {selectionFilms.Count} other training films " +
                             $"{before.MeanAbsLogitDifference:0.0000} (max {before.MaxAbsLogitDifference:0.000}) -> {after.MeanAbsLogitDifference:0.0000} (max {after.MaxAbsLogitDifference:0.000})";
        }

        var (graph, summary) = quantizer.Write(method, corrections);
        var quantization = new QuantizationCard
        {
            RangeMethod = method.ToString(),
            RangeMethodSelection = trials.Count == 0 ? "given (--method)"
                : $"smallest mean |int8 - fp32 logit| on {selectionFilms.Count} other training films: " +
                  string.Join("; ", trials.Select(t => $"{t.Method} {t.MeanAbsLogitDifference:0.0000} (max {t.MaxAbsLogitDifference:0.000})")),
            CalibrationSubset = $"{calibration.Kept.Count} films: " + SubsetRule,
            CalibrationFilms = calibration.Kept.Select(f => f.RelativePath).ToList(),
            KeptFp32 = QuantizationCard.AlwaysFp32 + KeptConvolutions(options.KeepFp32),
            BiasCorrection = biasCorrection,
            Int8Convolutions = summary.Int8Convolutions,
            QuantizedTensors = summary.QuantizedTensors,
            SourceModel = $"{card.Name} {card.Version}",
            SourceFileSha256 = card.Graph.FileSha256,
            Command = command,
        };
        var int8Card = new ModelCard
        {
            Name = name,
            Version = card.Version,
            Created = DateTimeOffset.UtcNow,
            GitCommit = card.GitCommit,
            Description = $"int8 (static QDQ, {method}) quantization of {card.Name} {card.Version}; uncalibrated until `calibrate` fits " +
                          "its trust layer on this graph. " + card.Description,
            Preprocessing = card.Preprocessing,
            Graph = card.Graph with { File = ModelBundleWriter.DefaultGraphFileName, FileSha256 = null, Quantization = quantization },
            DecisionPolicy = new DecisionPolicyCard(),
            Training = card.Training,
            ValidationMetrics = card.ValidationMetrics.Where(m => !m.Key.StartsWith("served_", StringComparison.Ordinal)).ToDictionary(),
        };
        var written = ModelBundleWriter.Save(outputDirectory, int8Card, graph);
        return new Int8BundleResult(written, summary, trials);
    }

    private static string KeptConvolutions(Fp32Convolutions kept) => kept == Fp32Convolutions.None ? ""
        : "; convolutions kept fp32: " + string.Join(", ", Enum.GetValues<Fp32Convolutions>().Where(f => f != Fp32Convolutions.None && kept.HasFlag(f)).Select(f => f switch
        {
            Fp32Convolutions.Stem => "the stem (reads the film)",
            Fp32Convolutions.FirstStage => "every convolution before the first stride-2 projection (stem and first stage)",
            Fp32Convolutions.SecondStage => "every convolution before the second stride-2 projection (stem, first and second stage)",
            Fp32Convolutions.FinalConvolution => "the last convolution of each final block",
            Fp32Convolutions.FinalBlock => "both convolutions of each final block",
            _ => f.ToString(),
        }));

    /// <summary>The first films of each label in order of SHA-256(relative path), in proportion to the label counts.</summary>
    public static (IReadOnlyList<LabelledImage> Calibration, IReadOnlyList<LabelledImage> Selection) Subsets(
        IReadOnlyList<LabelledImage> films, int calibrationCount, int selectionCount)
    {
        var calibration = new List<LabelledImage>();
        var selection = new List<LabelledImage>();
        foreach (var label in films.GroupBy(f => f.Label).OrderBy(g => g.Key))
        {
            var ordered = label.OrderBy(f => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(f.RelativePath))), StringComparer.Ordinal).ToList();
            var share = (double)ordered.Count / films.Count;
            var c = (int)Math.Round(calibrationCount * share);
            var s = (int)Math.Round(selectionCount * share);
            calibration.AddRange(ordered.Take(c));
            selection.AddRange(ordered.Skip(c).Take(s));
        }
        return (calibration, selection);
    }

    private static float[] Logits(OnnxGraph graph, IReadOnlyList<float[]> inputs, ModelRuntimeOptions runtime)
    {
        var session = OrtSessionFactory.Create(graph, runtime, "a quantized graph"); // the runner owns and disposes it
        var input = new BatchedTensorSpec(ServingGraphContract.Input, ServingGraphContract.InputItemShape);
        using var runner = new BatchedSessionRunner(session, input, runtime.MaxBatch);
        var flat = new float[inputs.Count * input.ItemLength];
        for (var i = 0; i < inputs.Count; i++) inputs[i].CopyTo(flat, i * input.ItemLength);
        return runner.Run(flat, inputs.Count, [new BatchedTensorSpec(ServingGraphContract.Logit, ServingGraphContract.LogitItemShape)])[0];
    }

    private sealed class Progress(Action<(int Pass, int Done)> report) : IProgress<(int Pass, int Done)>
    {
        public void Report((int Pass, int Done) value) => report(value);
    }
}
