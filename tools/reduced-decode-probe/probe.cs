#:project ../../src/CxrQa.Core/CxrQa.Core.csproj
#:property PublishAot=false
#:property JsonSerializerIsReflectionEnabledByDefault=true
// How much does the reduced JPEG decode move the shipped model's answer, next to a reference perturbation nobody
// would call a different film: the same film decoded at full size and saved again as a quality-95 gray JPEG?
// For every JPEG under FOLDER: |dp| of reduced vs full decode, and of the re-saved film vs full decode.
// Usage: dotnet run tools/reduced-decode-probe/probe.cs [FOLDER [OVERSAMPLING]]
//        (defaults ../shared/data/kermany-fullres-sample and 2, the screening default)
// Results: docs/decisions.md ("Reduced JPEG decode"). The bounded comparison runs as ReducedDecodeAnswerTests.
using System.Globalization;
using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Pipeline;
using SkiaSharp;

var folder = args.Length > 0 ? args[0] : "../shared/data/kermany-fullres-sample";
var oversampling = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
var files = Directory.GetFiles(folder, "*.jpeg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
using var model = ModelBundle.Load(ModelLocator.Resolve(null));
var decoder = new FilmDecoder(new DicomFilmReader(new DicomReaderOptions()));
var full = new ScreeningService(decoder, model, new ScreeningOptions { ReducedDecodeOversampling = null });
var reduced = new ScreeningService(decoder, model, new ScreeningOptions { ReducedDecodeOversampling = oversampling });

var rows = new List<(string Name, double Full, double Reduced, double Resaved, string S0, string S1, string S2)>();
foreach (var chunk in files.Chunk(8))
{
    var inputs = chunk.Select(f => new FilmInput(f, File.ReadAllBytes(f))).ToList();
    var resaved = inputs.Select(i => new FilmInput(i.Name, Resave(decoder.Decode(i.Bytes, DecodeLimits.Default).Image))).ToList();
    var a = full.Screen(inputs);
    var b = reduced.Screen(inputs);
    var c = full.Screen(resaved);
    for (var i = 0; i < inputs.Count; i++)
        rows.Add((Path.GetFileName(chunk[i]), a[i].Result!.PneumoniaProbability, b[i].Result!.PneumoniaProbability, c[i].Result!.PneumoniaProbability,
            a[i].Result!.Decision.Status.ToString(), b[i].Result!.Decision.Status.ToString(), c[i].Result!.Decision.Status.ToString()));
}

void Summary(string name, Func<(string Name, double Full, double Reduced, double Resaved, string S0, string S1, string S2), double> other,
    Func<(string Name, double Full, double Reduced, double Resaved, string S0, string S1, string S2), bool> routingChanged)
{
    var d = rows.Select(r => Math.Abs(other(r) - r.Full)).Order().ToArray();
    Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
        "{0}: |dp| max {1:0.0000}, mean {2:0.00000}, p95 {3:0.0000}; class changes {4}; routing changes {5}",
        name, d[^1], d.Average(), d[(int)(0.95 * d.Length)],
        rows.Count(r => (other(r) >= 0.5) != (r.Full >= 0.5)), rows.Count(routingChanged)));
}

Console.WriteLine($"{rows.Count} films under {folder}");
Summary($"reduced decode (oversampling {oversampling}) vs full decode", r => r.Reduced, r => r.S1 != r.S0);
Summary("full decode re-saved as q95 gray JPEG vs full decode", r => r.Resaved, r => r.S2 != r.S0);

static byte[] Resave(GrayImage film)
{
    using var image = SKImage.FromPixelCopy(new SKImageInfo(film.Width, film.Height, SKColorType.Gray8, SKAlphaType.Opaque), film.Pixels);
    using var data = image.Encode(SKEncodedImageFormat.Jpeg, 95);
    return data.ToArray();
}
