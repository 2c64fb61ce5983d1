using CxrQa.Core.Monitoring;

namespace CxrQa.Tests.Monitoring;

/// <summary>A made-up population of films with the shipped bundle's shape: most answers very sure (uncertainty
/// heavy near 0), OOD scores around 500, three in four predicted Pneumonia. Fresh draws from it are truly
/// in-distribution, which the bundle's own 1297 films cannot give.</summary>
internal static class SyntheticReference
{
    public static Dictionary<string, double> Film(Random random, double shiftedShare = 0)
    {
        var shifted = random.NextDouble() < shiftedShare;
        var pneumonia = random.NextDouble() < 0.74;
        // Uncertainty: exponential with mean 0.01, or for a shifted film uniform over the unsure half.
        var uncertainty = shifted ? 0.05 + 0.45 * random.NextDouble() : Math.Min(0.5, -0.01 * Math.Log(1 - random.NextDouble()));
        var ood = 500 + 120 * Normal(random) + (shifted ? 400 : 0);
        return new Dictionary<string, double>
        {
            [FilmObservation.Uncertainty] = uncertainty,
            [FilmObservation.OodScore] = ood,
            [FilmObservation.PredictedPneumonia] = pneumonia ? 1 : 0,
            [FilmObservation.PredictedNormal] = pneumonia ? 0 : 1,
        };
    }

    public static ReferenceTable Table(int films, int seed)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, films).Select(_ => Film(random)).ToArray();
        return new ReferenceTable(rows[0].Keys.ToDictionary(k => k, k => rows.Select(r => r[k]).ToArray()));
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
