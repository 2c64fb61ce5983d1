// Does test-time augmentation (an ensemble of views of one film) beat the single shipped network on our own
// patient-grouped validation split, clean and under the trust layer's simulated acquisition shifts?
// `dotnet run tools/ensemble-probe/probe.cs -- ../shared/data/kermany-224/train models/cxrqa-finetuned-resnet18`
// Rebuilds the training split exactly (seed, fractions from the card) and refuses to run if the validation
// manifest hash differs from the card's, so the numbers are on films the network never trained on.
#:project ../../src/CxrQa.Training/CxrQa.Training.csproj
#:property TreatWarningsAsErrors=false
#:property PublishAot=false
#:property JsonSerializerIsReflectionEnabledByDefault=true
using System.Text.Json.Nodes;
using CxrQa.Core.Augmentation;
using CxrQa.Core.Data;
using CxrQa.Core.Dicom;
using CxrQa.Core.Evaluation;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Trust;
using CxrQa.Training.Data;
using CxrQa.Training.FineTuning;

var dataDir = args[0];
var bundleDir = args[1];
var card = JsonNode.Parse(File.ReadAllText(Path.Combine(bundleDir, "model.json")))!;
var config = card["training"]!["config"]!;
var seed = (int)config["seed"]!;
var validationFraction = (double)config["validation_fraction"]!;
var calibrationFraction = (double)config["calibration_fraction"]!;
var expectedManifest = (string)config["validation_manifest_sha256"]!;
var temperature = (double)card["temperature"]!;

var dataset = await LabelledFolderDataset.Scan(dataDir, CancellationToken.None);
var loader = new EnhancedFilmLoader(new FilmDecoder(new DicomFilmReader(new DicomReaderOptions())), new FilmPreprocessor(PreprocessingOptions.Default));
var (films, _) = loader.Load(dataset.Images, null, CancellationToken.None);
var split = FilmSplit.ByPatient(films.Select(f => f.Image).ToList(), validationFraction, calibrationFraction, seed);
var validation = split.Validation.Select(i => films[i]).ToList();
var manifest = DatasetManifest.Sha256(DatasetManifest.Text(validation.Select(f => f.Image).ToList()));
if (manifest != expectedManifest)
{
    Console.Error.WriteLine($"validation manifest {manifest} != card {expectedManifest}: not the bundle's validation split");
    return 2;
}
var size = loader.Size;
var labels = validation.Select(f => f.Label).ToArray();
Console.WriteLine($"validation films: {validation.Count} (manifest matches the card), T = {temperature:0.000}");

using var bundle = ModelBundle.Load(bundleDir);

// Views: mild, label-preserving changes inside the training augmentation's range.
var views = new (string Name, AugmentationParameters P)[]
{
    ("identity", AugmentationParameters.Identity),
    ("scale 1.05", AugmentationParameters.Identity with { Scale = 1.05 }),
    ("scale 0.95", AugmentationParameters.Identity with { Scale = 0.95 }),
    ("rotate +3", AugmentationParameters.Identity with { RotationDegrees = 3 }),
    ("rotate -3", AugmentationParameters.Identity with { RotationDegrees = -3 }),
    ("gamma 0.9", AugmentationParameters.Identity with { Gamma = 0.9 }),
    ("gamma 1.1", AugmentationParameters.Identity with { Gamma = 1.1 }),
};
var scenarios = new List<ShiftScenario> { new("clean", AugmentationParameters.Identity) };
scenarios.AddRange(ShiftScenario.Defaults);

Console.WriteLine("| scenario | single AUC | TTA-3 AUC | TTA-7 AUC | single AURC | TTA-3 AURC | TTA-7 AURC | single acc | TTA-7 acc |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
foreach (var scenario in scenarios)
{
    var logits = new double[views.Length][];
    for (var v = 0; v < views.Length; v++)
    {
        var input = new float[validation.Count * 3 * size * size];
        for (var i = 0; i < validation.Count; i++)
        {
            var shifted = scenario.Apply(validation[i].Pixels, size, i);
            var viewed = v == 0 ? shifted : FilmAugmenter.Apply(shifted, size, views[v].P, new Random(i));
            BatchProducer.WriteInput(viewed, input.AsSpan(i * 3 * size * size, 3 * size * size));
        }
        var outputs = bundle.Run(input, validation.Count);
        logits[v] = outputs.Logits.Select(x => (double)x).ToArray();
    }
    double[] Mean(int k) => Enumerable.Range(0, validation.Count).Select(i => Enumerable.Range(0, k).Average(v => logits[v][i])).ToArray();
    var single = logits[0];
    var tta3 = Mean(3);
    var tta7 = Mean(7);
    double AucOf(double[] l) => Auc.Compute(l, labels);
    double AurcOf(double[] l)
    {
        var p = l.Select(x => 1 / (1 + Math.Exp(-x / temperature))).ToArray();
        var confidence = p.Select(x => Math.Max(x, 1 - x)).ToArray();
        var correct = p.Select((x, i) => (x >= 0.5 ? 1 : 0) == labels[i]).ToArray();
        return RiskCoverageCurve.Compute(confidence, correct).Aurc;
    }
    double AccOf(double[] l) => l.Select((x, i) => (x >= 0 ? 1 : 0) == labels[i] ? 1.0 : 0.0).Average();
    Console.WriteLine($"| {scenario.Name} | {AucOf(single):0.0000} | {AucOf(tta3):0.0000} | {AucOf(tta7):0.0000} | " +
                      $"{AurcOf(single):0.00000} | {AurcOf(tta3):0.00000} | {AurcOf(tta7):0.00000} | {AccOf(single):0.0000} | {AccOf(tta7):0.0000} |");
}
return 0;
