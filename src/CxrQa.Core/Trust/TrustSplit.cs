using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CxrQa.Core.Data;

namespace CxrQa.Core.Trust;

/// <summary>
/// Which films of a training data folder play which part in fitting a bundle's trust layer: training films (gate
/// densities), gate-fit films (gate thresholds) and calibration films (temperature and certification), each a
/// disjoint set of patients.
/// </summary>
public sealed record TrustSplit(IReadOnlyList<LabelledImage> Training, IReadOnlyList<LabelledImage> GateFit, string GateFitDescription,
    IReadOnlyList<LabelledImage> Calibration)
{
    /// <summary>True when the gate-fit films are the training run's validation patients (the split reproduced).</summary>
    public bool GateFitIsValidation { get; init; }

    /// <summary>
    /// The gate-fit films are the training run's own validation patients when the card's split can be reproduced
    /// exactly (same seed and fractions give exactly the recorded calibration films): they were never trained on and
    /// are not the certification films. Otherwise (e.g. a frozen-head bundle with no validation split) the calibration
    /// patients are halved by a hash of the patient id: one half fits the gates, the other certifies.
    /// </summary>
    public static TrustSplit For(IReadOnlyList<LabelledImage> images, IReadOnlySet<string> calibrationPaths,
        IReadOnlyDictionary<string, JsonElement> config)
    {
        if (TryReproduce(images, calibrationPaths, config) is { } reproduced)
            return reproduced;
        var calibration = images.Where(i => calibrationPaths.Contains(i.RelativePath)).ToList();
        var training = images.Where(i => !calibrationPaths.Contains(i.RelativePath)).ToList();
        var gateFit = calibration.Where(i => IsGateFitHalf(i.PatientId)).ToList();
        return new TrustSplit(training, gateFit,
            $"half of the calibration patients (by a hash of the patient id): {gateFit.Count} films; the other half certifies",
            calibration.Where(i => !IsGateFitHalf(i.PatientId)).ToList());
    }

    private static TrustSplit? TryReproduce(IReadOnlyList<LabelledImage> images, IReadOnlySet<string> calibrationPaths,
        IReadOnlyDictionary<string, JsonElement> config)
    {
        if (!TryNumber(config, "validation_fraction", out var validation) || !TryNumber(config, "calibration_fraction", out var calibration)
            || !(TryNumber(config, "split_seed", out var seed) || TryNumber(config, "seed", out seed)))
            return null;
        var split = PatientSplit.Split(images.Select(i => i.Label).ToArray(), images.Select(i => i.PatientId).ToArray(),
            1 - validation - calibration, validation, calibration, (int)seed);
        var reproduced = split.Calibration.Select(i => images[i].RelativePath).ToHashSet(StringComparer.Ordinal);
        if (!reproduced.SetEquals(calibrationPaths)) return null;
        var gateFit = split.Validation.Select(i => images[i]).ToList();
        return new TrustSplit(split.Train.Select(i => images[i]).ToList(), gateFit,
            $"the training run's validation patients (never trained on, not used to certify): {gateFit.Count} films",
            split.Calibration.Select(i => images[i]).ToList()) { GateFitIsValidation = true };
    }

    private static bool TryNumber(IReadOnlyDictionary<string, JsonElement> config, string key, out double value)
    {
        value = 0;
        if (!config.TryGetValue(key, out var e) || e.ValueKind != JsonValueKind.Number) return false;
        value = e.GetDouble();
        return true;
    }

    private static bool IsGateFitHalf(string patient) => (SHA256.HashData(Encoding.UTF8.GetBytes(patient))[0] & 1) == 0;
}
