using CxrQa.Core.Model;
using System.Text;
using System.Text.Json;
using CxrQa.Core.Augmentation;
using CxrQa.Core.Data;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Trust;

namespace CxrQa.Core.Evaluation;

/// <summary>Progress of the shift benchmark.</summary>
public sealed record ShiftBenchmarkProgress(string Scenario, int Done, int Total);

/// <summary>
/// The shift benchmark: the same bundle through the same screening path on
/// <list type="bullet">
/// <item>its own held-out calibration patients, clean (the reference);</item>
/// <item>the <b>framing probe</b>: those films cropped towards the thorax (<see cref="ThoraxFraming"/>) before
/// preprocessing, at several tightness levels, labels unchanged; and the full-resolution copies of held-out films;</item>
/// <item>the five simulated acquisition shifts <c>calibrate</c> certifies against (<see cref="ShiftScenario.Defaults"/>);</item>
/// <item><c>dev-shift/</c>: real films from other hospitals and sources (mostly adults), where the right outcome is
/// review or a correct answer; OTHER_DISEASE films count as wrong whenever automated.</item>
/// </list>
/// </summary>
public sealed class ShiftBenchmark(ScreeningService service)
{
    private const int Chunk = 32;

    /// <summary>The sensitivity on the clean reference at which every scenario's specificity is also reported.</summary>
    public const double ReferenceSensitivity = 0.96;

    private double _referenceThreshold = double.NaN;

    /// <param name="dataRoot">The shared data folder holding kermany-224/train, kermany-fullres-sample and dev-shift.</param>
    /// <param name="calibrationPaths">The bundle's calibration films (relative to kermany-224/train).</param>
    public async Task<IReadOnlyList<ShiftScenarioResult>> RunAsync(string dataRoot, IReadOnlySet<string> calibrationPaths,
        IProgress<ShiftBenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new List<ShiftScenarioResult>();
        var train = await LabelledFolderDataset.Scan(Path.Combine(dataRoot, "kermany-224", "train"), cancellationToken);
        var held = train.Images.Where(i => calibrationPaths.Contains(i.RelativePath)).ToList();
        if (held.Count == 0) throw new CxrQaException(ErrorCodes.FileNotFound, $"none of the bundle's calibration films is under '{dataRoot}/kermany-224/train'");
        var films = await DecodeAsync(held.Select(i => (i.Path, (BenchmarkTruth)i.Label)).ToList(), cancellationToken);
        var truth = films.Select(f => f.Truth).ToList();
        var size = service.Preprocessor.Options.InputSize;

        var enhanced = films.Select(f => service.Preprocessor.Enhance(f.Film.Image)).ToList();
        results.Add(Run("calibration patients, clean", "the bundle's held-out calibration films as they are", truth,
            films.Select((f, i) => (f.Film, enhanced[i])).ToList(), progress, isReference: true));
        foreach (var t in ThoraxFraming.ProbeLevels)
        {
            var window = ThoraxFraming.Window(t);
            results.Add(Run($"framing probe, tightness {t:0.##}",
                $"calibration films cropped to {window.Width:P0} x {window.Height:P0} of the film towards the thorax, before preprocessing", truth,
                films.Select(f => Framed(f.Film, window)).ToList(), progress));
        }
        foreach (var shift in ShiftScenario.Defaults)
            results.Add(Run($"acquisition shift: {shift.Name}", "applied after CLAHE, as calibrate does", truth,
                films.Select((f, i) => (f.Film, new GrayImage(size, size, shift.Apply(enhanced[i].Pixels, size, i)))).ToList(), progress));

        var fullres = Path.Combine(dataRoot, "kermany-fullres-sample");
        if (Directory.Exists(fullres))
        {
            var sample = await LabelledFolderDataset.Scan(fullres, cancellationToken);
            var heldNames = calibrationPaths.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            var heldFullres = sample.Images.Where(i => heldNames.Contains(Path.GetFileName(i.RelativePath))).ToList();
            if (heldFullres.Count > 0)
            {
                var full = await DecodeAsync(heldFullres.Select(i => (i.Path, (BenchmarkTruth)i.Label)).ToList(), cancellationToken);
                var fullTruth = full.Select(f => f.Truth).ToList();
                results.Add(Run("full-resolution originals, clean", "held-out films at their original resolution", fullTruth,
                    full.Select(f => (f.Film, service.Preprocessor.Enhance(f.Film.Image))).ToList(), progress));
                results.Add(Run("full-resolution originals, framing 1", "the same, cropped towards the thorax at tightness 1", fullTruth,
                    full.Select(f => Framed(f.Film, ThoraxFraming.Window(1))).ToList(), progress));
                results.Add(Run(AsTrainingCopies("full-resolution originals"), "the same originals resized to 224 px and JPEG-compressed at quality 75, as the training copies were",
                    fullTruth, full.Select(f => AsTrainingCopy(f.Film)).ToList(), progress));
            }
        }

        var devShift = Path.Combine(dataRoot, "dev-shift");
        if (Directory.Exists(devShift))
        {
            var entries = new List<(string Path, BenchmarkTruth Truth)>();
            foreach (var (folder, label) in new[] { ("NORMAL", BenchmarkTruth.Normal), ("PNEUMONIA", BenchmarkTruth.Pneumonia), ("OTHER_DISEASE", BenchmarkTruth.Other) })
            {
                var dir = Path.Combine(devShift, folder);
                if (Directory.Exists(dir))
                    entries.AddRange(Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal).Select(p => (p, label)));
            }
            var dev = await DecodeAsync(entries, cancellationToken);
            results.Add(Run("dev-shift (other hospitals, mostly adults)", "real films from NIH ChestX-ray14, Figure 1, Montgomery: never trained on",
                dev.Select(f => f.Truth).ToList(), dev.Select(f => (f.Film, service.Preprocessor.Enhance(f.Film.Image))).ToList(), progress));
            results.Add(Run(AsTrainingCopies("dev-shift"), "the same films resized to 224 px and JPEG-compressed at quality 75, as the training copies were: " +
                "what is left for the gates once compression no longer tells them apart", dev.Select(f => f.Truth).ToList(), dev.Select(f => AsTrainingCopy(f.Film)).ToList(), progress));
        }
        return results;
    }

    private static string AsTrainingCopies(string scenario) => $"{scenario}, as 224 px JPEG q75 copies";

    /// <summary>The film as the copy step made the training films: squash-resized to the network size, then JPEG at
    /// quality 75. Both the films of other hospitals and native-resolution films differ from the training copies in
    /// that compression, which the early stages see; this scenario shows what the gates do without that cue.</summary>
    private (DecodedFilm, GrayImage) AsTrainingCopy(DecodedFilm film)
    {
        var copy = JpegRoundTrip.Apply(service.Preprocessor.Resize(film.Image));
        return (film with { Image = copy }, service.Preprocessor.Enhance(copy));
    }

    private (DecodedFilm, GrayImage) Framed(DecodedFilm film, FramingCrop window)
    {
        // Resampled back to the film's own size: a tightly collimated film is acquired at the detector's resolution,
        // and a smaller image would trip the quality gate's size check instead of testing the network.
        var image = film.Image;
        var cropped = new GrayImage(image.Width, image.Height, window.Apply(image.Pixels, image.Width, image.Height, image.Width, image.Height));
        return (film with { Image = cropped }, service.Preprocessor.Enhance(cropped));
    }

    private ShiftScenarioResult Run(string name, string description, IReadOnlyList<BenchmarkTruth> truth,
        IReadOnlyList<(DecodedFilm Film, GrayImage Enhanced)> prepared, IProgress<ShiftBenchmarkProgress>? progress, bool isReference = false)
    {
        var results = new List<ScreeningResult>(prepared.Count);
        for (var start = 0; start < prepared.Count; start += Chunk)
        {
            results.AddRange(service.ScreenPrepared(prepared.Skip(start).Take(Chunk).ToList()));
            progress?.Report(new ShiftBenchmarkProgress(name, results.Count, prepared.Count));
        }
        if (isReference) _referenceThreshold = ShiftScenarioResult.ThresholdAtSensitivity(truth, results, ReferenceSensitivity);
        return ShiftScenarioResult.Measure(name, description, truth, results) with
        {
            SpecificityAtReferenceSensitivity = ShiftScenarioResult.SpecificityAt(truth, results, _referenceThreshold),
        };
    }

    private async Task<List<(DecodedFilm Film, BenchmarkTruth Truth)>> DecodeAsync(IReadOnlyList<(string Path, BenchmarkTruth Truth)> files,
        CancellationToken cancellationToken)
    {
        var decoded = new (DecodedFilm? Film, BenchmarkTruth Truth)[files.Count];
        await Parallel.ForAsync(0, files.Count, cancellationToken, async (i, ct) =>
        {
            try
            {
                decoded[i] = (service.Decode(await File.ReadAllBytesAsync(files[i].Path, ct)), files[i].Truth);
            }
            catch (CxrQaException)
            {
                decoded[i] = (null, files[i].Truth); // an unreadable benchmark film is left out, as the CLI would report it
            }
        });
        return decoded.Where(d => d.Film is not null).Select(d => (d.Film!, d.Truth)).ToList();
    }

    /// <summary>The benchmark as a markdown table (one row per scenario) with the reasons films went to review.</summary>
    public static string Markdown(string bundleName, IReadOnlyList<ShiftScenarioResult> results)
    {
        var md = new StringBuilder();
        md.AppendLine($"### Shift benchmark: `{bundleName}`").AppendLine();
        md.AppendLine("| scenario | films (N/P/other) | AUC | sensitivity | specificity | specificity at clean sens. 96 % | automated | automated wrong | automated error (95 % CI) |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
            md.AppendLine($"| {r.Name} | {r.Films} ({r.Normal}/{r.Pneumonia}/{r.Other}) | {F(r.Auc, "0.000")} | {P(r.Sensitivity)} | {P(r.Specificity)} | {P(r.SpecificityAtReferenceSensitivity)} | " +
                          $"{r.Automated} ({r.AutomatedShare:P1}) | {r.AutomatedWrong} | {(r.Automated == 0 ? "-" : $"{r.AutomatedError:P1} ({r.AutomatedErrorLower:P1}-{r.AutomatedErrorUpper:P1})")} |");
        md.AppendLine().AppendLine("Reasons for review per scenario (a film may have several):").AppendLine();
        foreach (var r in results)
            md.AppendLine($"- {r.Name}: " + (r.Reasons.Count == 0 ? "none" : string.Join(", ", r.Reasons.Select(kv => $"{kv.Key} {kv.Value}"))));
        return md.ToString();

        static string F(double v, string format) => double.IsNaN(v) ? "-" : v.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
        static string P(double v) => double.IsNaN(v) ? "-" : v.ToString("P1", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The card section that records these results, with the command that produced them.</summary>
    public static ShiftBenchmarkCard Card(IReadOnlyList<ShiftScenarioResult> results, string command, DateTimeOffset measured) => new()
    {
        Measured = measured,
        Command = command,
        Scenarios = results.Select(r => new ShiftBenchmarkRowCard
        {
            Name = r.Name, Films = r.Films, Auc = Finite(r.Auc), Sensitivity = Finite(r.Sensitivity), Specificity = Finite(r.Specificity),
            SpecificityAtReferenceSensitivity = Finite(r.SpecificityAtReferenceSensitivity),
            Automated = r.Automated, AutomatedWrong = r.AutomatedWrong,
            AutomatedErrorUpper = r.Automated == 0 ? null : Finite(r.AutomatedErrorUpper),
        }).ToList(),
    };

    private static double? Finite(double v) => double.IsFinite(v) ? Math.Round(v, 4) : null;

    public static string Json(string bundleName, IReadOnlyList<ShiftScenarioResult> results) =>
        JsonSerializer.Serialize(new { model = bundleName, scenarios = results }, new JsonSerializerOptions
        {
            WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        });
}
