using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;
using CxrQa.Core.Quality;
using CxrQa.Core.Routing;
using CxrQa.Tests.Support;
using CxrQa.Domain;

namespace CxrQa.Tests.Quality;

/// <summary>The gate against real frontal training films: it must leave (almost) all of them alone and catch (almost)
/// all of them inverted. A deterministic 1-in-10 sample keeps the test quick; the full-set rates are in
/// docs/quality-gate.md.</summary>
public sealed class TrainingFilmGateTests
{
    private const int SampleEvery = 10;

    private static IReadOnlyList<string> SampleFiles() =>
        Directory.GetFiles(TestData.Path("kermany-224", "train"), "*.jpeg", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Where((_, i) => i % SampleEvery == 0)
            .ToArray();

    [Fact]
    public void AtMostHalfAPercentOfFrontalTrainingFilmsAreFlaggedAndInvertedOnesAreCaught()
    {
        var decoder = new FilmDecoder(new DicomFilmReader(new DicomReaderOptions()));
        var gate = new QualityGate(QualityGateOptions.Default);
        var files = SampleFiles();
        Assert.True(files.Count > 500, $"only {files.Count} films sampled");

        var flagged = new List<string>();
        var invertedCaught = 0;
        foreach (var file in files)
        {
            var film = decoder.Decode(File.ReadAllBytes(file), DecodeLimits.Default);
            var reasons = gate.Assess(film).Reasons;
            if (reasons.Count > 0)
                flagged.Add($"{Path.GetFileName(file)}: {string.Join(",", reasons)}");
            var inverted = film with { Image = QualityFilms.Inverted(film.Image) };
            if (gate.Assess(inverted).Reasons.Contains(ReasonCodes.PossiblyInverted))
                invertedCaught++;
        }

        Assert.True(flagged.Count <= files.Count * 0.005, string.Join("; ", flagged));
        Assert.True(invertedCaught >= files.Count * 0.99, $"{invertedCaught} of {files.Count} inverted films caught");
    }
}
