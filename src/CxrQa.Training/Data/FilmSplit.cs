using CxrQa.Core.Data;

namespace CxrQa.Training.Data;

/// <summary>
/// Indices into a film list for training, validation (early stopping, model choice) and calibration (held out of
/// everything here: the trust layer fits temperature and routing thresholds on it), split by patient.
/// </summary>
public sealed record FilmSplit(int[] Train, int[] Validation, int[] Calibration)
{
    public static FilmSplit ByPatient(IReadOnlyList<LabelledImage> images, double validationFraction, double calibrationFraction, int seed)
    {
        var trainFraction = 1 - validationFraction - calibrationFraction;
        if (trainFraction <= 0 || validationFraction <= 0 || calibrationFraction < 0)
            throw new ArgumentException($"fractions must leave room for training: validation {validationFraction}, calibration {calibrationFraction}");
        var split = PatientSplit.Split(images.Select(i => i.Label).ToArray(), images.Select(i => i.PatientId).ToArray(),
            trainFraction, validationFraction, calibrationFraction, seed);
        return new FilmSplit(split.Train, split.Validation, split.Calibration);
    }

    /// <summary>
    /// A deterministic subset of <paramref name="limit"/> images for smoke tests: alternating classes
    /// in a seeded order, so both classes are present. Returns everything when limit is null or not smaller.
    /// </summary>
    public static IReadOnlyList<LabelledImage> Limit(IReadOnlyList<LabelledImage> images, int? limit, int seed)
    {
        if (limit is not { } n || n >= images.Count) return images;
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2);
        var random = new Random(seed);
        var byClass = images.GroupBy(i => i.Label).OrderBy(g => g.Key)
            .Select(g => new Queue<LabelledImage>(g.OrderBy(i => i.RelativePath, StringComparer.Ordinal).OrderBy(_ => random.Next())))
            .ToList();
        var picked = new List<LabelledImage>();
        for (var turn = 0; picked.Count < n && byClass.Any(q => q.Count > 0); turn++)
            if (byClass[turn % byClass.Count].TryDequeue(out var image))
                picked.Add(image);
        return picked.OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToList();
    }
}
