using System.Text.Json;
using CxrQa.Core.Calibration;

namespace CxrQa.Core.Monitoring;

/// <summary>
/// The drift monitor's reference: the bundle's calibration.json read defensively. It takes only what is there and
/// what a live film also supplies (<see cref="FilmObservation.Names"/>): the calibrated probability (from
/// "probabilities" when a bundle stores them, e.g. an ensemble, else "logits" and the card's temperature) gives the
/// uncertainty and the predicted class; "ood_scores" gives the OOD score; any further per-film array whose name a live
/// film supplies joins as its own signal.
/// </summary>
public static class CalibrationReference
{
    /// <summary>Per-film arrays of calibration.json and the observation names they feed.</summary>
    private static readonly IReadOnlyDictionary<string, string> Renames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ood_scores"] = FilmObservation.OodScore,
        ["feature_shift_scores"] = FilmObservation.FeatureShift,
        ["ensemble_spreads"] = FilmObservation.EnsembleSpread,
    };

    /// <summary>Written by <c>cxrqa recalibrate</c>: the site's own stream (raw logits and OOD scores of the films it
    /// answered), which replaces the calibration split as the drift reference of a bundle recertified at that site.</summary>
    public const string SiteReferenceFile = "site_reference.json";

    /// <summary>The reference of a loaded bundle: the site's stream when the bundle was recertified at a site, else the
    /// calibration scores its card names; null when it has neither.</summary>
    public static ReferenceTable? ForBundle(Model.ModelBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var site = Path.Combine(bundle.Directory, SiteReferenceFile);
        if (File.Exists(site))
            return Load(site, bundle.Card.Temperature);
        if (bundle.Card.Calibration is not { } calibration || Path.GetFileName(calibration.ScoresFile) != calibration.ScoresFile)
            return null;
        var path = Path.Combine(bundle.Directory, calibration.ScoresFile);
        return File.Exists(path) ? Load(path, bundle.Card.Temperature) : null;
    }

    public static ReferenceTable Load(string calibrationJsonPath, double temperature) =>
        FromJson(File.ReadAllBytes(calibrationJsonPath), temperature);

    public static ReferenceTable FromJson(ReadOnlySpan<byte> json, double temperature)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException("calibration scores are not a JSON object");
        var arrays = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (NumberArray(property.Value) is { } values)
                arrays[property.Name] = values;
        }
        var probabilities = arrays.GetValueOrDefault("probabilities")
            ?? arrays.GetValueOrDefault("logits")?.Select(z => TemperatureScaling.Probability(z, temperature)).ToArray()
            ?? throw new InvalidDataException("calibration scores hold neither 'probabilities' nor 'logits'");
        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var films = probabilities.Select(p => FilmObservation.From(p, double.NaN)).ToArray();
        foreach (var name in new[] { FilmObservation.Uncertainty, FilmObservation.PredictedPneumonia, FilmObservation.PredictedNormal })
            columns[name] = films.Select(f => f[name]).ToArray();
        foreach (var (name, values) in arrays)
        {
            var signal = Renames.GetValueOrDefault(name, name);
            if (values.Length == probabilities.Length && FilmObservation.Names.Contains(signal) && !columns.ContainsKey(signal))
                columns[signal] = values;
        }
        return new ReferenceTable(columns);
    }

    /// <summary>A flat array of numbers (NaN for nulls), or null for anything else (nested arrays, strings).</summary>
    private static double[]? NumberArray(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
            return null;
        var values = new double[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            values[i++] = item.ValueKind switch
            {
                JsonValueKind.Number => item.GetDouble(),
                JsonValueKind.Null => double.NaN,
                _ => double.NegativeInfinity,
            };
        }
        return values.Any(double.IsNegativeInfinity) ? null : values;
    }
}
