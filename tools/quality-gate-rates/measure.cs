#:project ../../src/CxrQa.Core/CxrQa.Core.csproj
// Measures the quality gate's content heuristics on a folder of frontal films (default: the Kermany train split):
// how many films each reason flags, how many are caught when inverted (255 - v), and how many the symmetry
// heuristic flags on "half a chest" (the left 55 % stretched to full width; there are no real laterals here).
// Usage: dotnet run tools/quality-gate-rates/measure.cs [folder]    (results: docs/quality-gate.md)
using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;
using CxrQa.Core.Quality;
using CxrQa.Core.Routing;
using CxrQa.Domain;

var folder = args.Length > 0 ? args[0] : "../shared/data/kermany-224/train";
var files = Directory.GetFiles(folder, "*.jpeg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
var decoder = new FilmDecoder(new DicomFilmReader(new DicomReaderOptions()));
var gate = new QualityGate(QualityGateOptions.Default);

var results = files.AsParallel().AsOrdered().WithDegreeOfParallelism(2).Select(file =>
{
    var film = decoder.Decode(File.ReadAllBytes(file), DecodeLimits.Default);
    var original = gate.Assess(film).Reasons;
    var inverted = gate.Assess(film with { Image = Invert(film.Image) }).Reasons;
    var half = gate.Assess(film with { Image = LeftPartStretched(film.Image, 0.55) }).Reasons;
    return (File: Path.GetFileName(file), Original: original, Inverted: inverted, Half: half);
}).ToArray();

var n = results.Length;
Console.WriteLine($"films: {n}");
Report("any reason, original films", results.Count(r => r.Original.Count > 0));
foreach (var reason in ReasonCodes.All)
    if (results.Count(r => r.Original.Contains(reason)) is var k and > 0)
        Report($"  {reason}, original films", k);
Report("possibly_inverted, inverted films (detection)", results.Count(r => r.Inverted.Contains(ReasonCodes.PossiblyInverted)));
Report("lateral_view, half-chest crops (detection)", results.Count(r => r.Half.Contains(ReasonCodes.LateralView)));
Report("any reason, half-chest crops", results.Count(r => r.Half.Count > 0));
foreach (var r in results.Where(r => r.Original.Count > 0))
    Console.WriteLine($"  flagged: {r.File} [{string.Join(",", r.Original)}]");

void Report(string what, int count) => Console.WriteLine($"{what}: {count} / {n} = {100.0 * count / n:F2} %");

static GrayImage Invert(GrayImage image) =>
    new(image.Width, image.Height, Array.ConvertAll(image.Pixels, v => (byte)(255 - v)));

static GrayImage LeftPartStretched(GrayImage image, double fraction)
{
    var cropWidth = (int)(image.Width * fraction);
    var crop = new byte[cropWidth * image.Height];
    for (var y = 0; y < image.Height; y++)
        Array.Copy(image.Pixels, y * image.Width, crop, y * cropWidth, cropWidth);
    return AreaResize.Resize(new GrayImage(cropWidth, image.Height, crop), image.Width, image.Height);
}
