using CxrQa.Core.Model;

namespace CxrQa.Core.Explain;

/// <summary>Settings of the Grad-CAM deletion test.</summary>
public sealed record DeletionTestOptions
{
    /// <summary>Shares of the film blanked.</summary>
    public IReadOnlyList<double> Fractions { get; init; } = [0.05, 0.10, 0.20, 0.30, 0.50];

    /// <summary>Random masks per film and fraction, averaged: one random draw can land all on background or all on lung.</summary>
    public int RandomRepeats { get; init; } = 3;

    /// <summary>Side of the random blocks in pixels: 32 = one Grad-CAM cell at 224 (224 / 7), the spatial scale the
    /// map-guided mask has.</summary>
    public int BlockSide { get; init; } = 32;

    public int Seed { get; init; } = 0;
}

/// <summary>One film's result: its pneumonia logit and how far blanking moved it (positive = the logit fell).</summary>
public sealed record FilmDeletion(double BaseLogit, double[] GuidedDrop, double[] RandomDrop);

/// <summary>The mean logit drop at one deleted fraction, with standard errors across films.</summary>
/// <param name="GuidedWins">Share of films where map-guided deletion dropped the logit more than the random mean.</param>
public sealed record DeletionLevel(double Fraction, double GuidedDrop, double GuidedStdErr, double RandomDrop, double RandomStdErr, double GuidedWins);

public sealed record DeletionTestResult(IReadOnlyList<DeletionLevel> Levels, int Films, int SkippedEmptyMap, double MeanBaseLogit, DeletionTestOptions Options)
{
    public DeletionLevel At(double fraction) => Levels.Single(l => Math.Abs(l.Fraction - fraction) < 1e-9);

    /// <summary>Pure aggregation of per-film results (films with an empty map are counted, not averaged).</summary>
    public static DeletionTestResult Aggregate(IReadOnlyList<FilmDeletion> films, int skippedEmptyMap, DeletionTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(films);
        var levels = options.Fractions.Select((fraction, j) =>
        {
            var guided = films.Select(f => f.GuidedDrop[j]).ToArray();
            var random = films.Select(f => f.RandomDrop[j]).ToArray();
            var wins = films.Count == 0 ? double.NaN : (double)films.Count(f => f.GuidedDrop[j] > f.RandomDrop[j]) / films.Count;
            return new DeletionLevel(fraction, Mean(guided), StdErr(guided), Mean(random), StdErr(random), wins);
        }).ToList();
        return new DeletionTestResult(levels, films.Count, skippedEmptyMap, Mean(films.Select(f => f.BaseLogit).ToArray()), options);
    }

    private static double Mean(double[] v) => v.Length == 0 ? double.NaN : v.Average();

    private static double StdErr(double[] v)
    {
        if (v.Length < 2) return double.NaN;
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1) / v.Length);
    }
}

/// <summary>
/// Grad-CAM faithfulness by deletion: if the map shows what drives the pneumonia logit, blanking its most salient
/// pixels must lower the logit more than blanking the same area elsewhere.
/// </summary>
/// <remarks>
/// Per film: run the network once for the pneumonia Grad-CAM (7x7, upsampled bilinearly to the input size) and the
/// base logit; for each fraction k blank the top-k pixels of the map, and k of the film in random 32x32 blocks
/// (several seeded draws), filling with the film's mean level; re-run the network on every variant; the drop is
/// base logit - new logit. The random baseline uses blocks rather than scattered pixels because the map-guided mask
/// is made of cell-sized blobs: scattered single pixels are a different perturbation (the convolutions fill
/// isolated holes from their neighbours), so only equal area at equal spatial scale makes the comparison about
/// *where* and not *how*. The mean fill keeps the film's overall brightness, so the change is local, not a shift.
/// </remarks>
public static class DeletionTest
{
    /// <summary>Runs the test on preprocessed network inputs (3 x side x side planes each) through a bundle.</summary>
    /// <param name="filmDone">Called after each film (for progress display).</param>
    public static DeletionTestResult Run(ModelBundle model, IReadOnlyList<float[]> inputs, DeletionTestOptions? options = null, Action? filmDone = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var heads = ModelCam.Heads(model);
        if (heads.Count == 0) throw new ArgumentException("the bundle has no linear head: Grad-CAM needs its weights", nameof(model));
        return Run((batch, count) => model.Run(batch, count), heads, model.Card.Preprocessing.InputSize, inputs, options, filmDone);
    }

    /// <param name="network">Runs a batch of inputs and returns logits and feature maps.</param>
    /// <param name="headWeights">The linear head over the pooled feature map (gives Grad-CAM's channel weights).</param>
    public static DeletionTestResult Run(Func<float[], int, ModelOutputs> network, float[] headWeights, int side,
        IReadOnlyList<float[]> inputs, DeletionTestOptions? options = null, Action? filmDone = null) =>
        Run(network, [headWeights], side, inputs, options, filmDone);

    /// <param name="heads">Each member's linear head (one for a single network).</param>
    /// <param name="side">Input width and height.</param>
    public static DeletionTestResult Run(Func<float[], int, ModelOutputs> network, IReadOnlyList<float[]> heads, int side,
        IReadOnlyList<float[]> inputs, DeletionTestOptions? options = null, Action? filmDone = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= new DeletionTestOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RandomRepeats, 1);
        var films = new List<FilmDeletion>();
        var skipped = 0;
        for (var f = 0; f < inputs.Count; f++)
        {
            // Not HashCode.Combine: it is randomised per process, and the report must be reproducible.
            var film = Measure(network, heads, side, inputs[f], options, seed: unchecked(options.Seed * 1_000_003 + f));
            if (film is null) skipped++;
            else films.Add(film);
            filmDone?.Invoke();
        }
        return DeletionTestResult.Aggregate(films, skipped, options);

        static FilmDeletion? Measure(Func<float[], int, ModelOutputs> network, IReadOnlyList<float[]> heads, int side, float[] input, DeletionTestOptions options, int seed)
        {
            var plane = side * side;
            if (input.Length != 3 * plane) throw new ArgumentException($"an input must hold 3 x {side} x {side} values, got {input.Length}", nameof(inputs));
            var original = network(input, 1);
            var cam = ModelCam.For(original, 0, heads, TargetClass.Pneumonia);
            if (cam.Empty) return null; // nothing highlighted: there is no map to test
            var map = BilinearUpsampler.Upsample(cam.Grid, CamResult.Side, CamResult.Side, side, side);
            var fill = DeletionMasks.PlaneMean(input, plane);
            var random = new Random(seed);

            // One batch per film: every fraction's guided variant, then its random repeats.
            var perFraction = 1 + options.RandomRepeats;
            var variants = new float[options.Fractions.Count * perFraction * input.Length];
            for (var j = 0; j < options.Fractions.Count; j++)
            {
                var count = DeletionMasks.PixelCount(options.Fractions[j], plane);
                var offset = j * perFraction * input.Length;
                DeletionMasks.Blank(input, DeletionMasks.MostSalient(map, count, seed), fill).CopyTo(variants, offset);
                for (var r = 0; r < options.RandomRepeats; r++)
                    DeletionMasks.Blank(input, DeletionMasks.RandomBlocks(side, side, count, options.BlockSide, random), fill)
                        .CopyTo(variants, offset + (1 + r) * input.Length);
            }
            var logits = network(variants, options.Fractions.Count * perFraction).Logits;
            double baseLogit = original.Logits[0];
            var guided = new double[options.Fractions.Count];
            var randomDrop = new double[options.Fractions.Count];
            for (var j = 0; j < options.Fractions.Count; j++)
            {
                guided[j] = baseLogit - logits[j * perFraction];
                var sum = 0.0;
                for (var r = 0; r < options.RandomRepeats; r++) sum += baseLogit - logits[j * perFraction + 1 + r];
                randomDrop[j] = sum / options.RandomRepeats;
            }
            return new FilmDeletion(baseLogit, guided, randomDrop);
        }
    }
}
