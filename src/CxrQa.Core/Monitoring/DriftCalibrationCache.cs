using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CxrQa.Core.Monitoring;

/// <summary>
/// The drift threshold simulation's result kept between starts. The simulation is seeded, so its result is a function
/// of the reference films and the drift options alone; an entry is keyed by both (every value of every reference
/// column, every option, and <see cref="DriftThresholdSimulation.Version"/>), so a new bundle, a recertified site
/// reference or a changed option never reads another's entry. It saves the seconds the 2000 simulated streams take at
/// every start (docs/benchmarks.md, cold start). An entry that cannot be read is simulated again; one that cannot be
/// written only costs the next start the same time.
/// </summary>
public sealed class DriftCalibrationCache(string directory)
{
    /// <summary>The drift thresholds' folder under a cache root (<see cref="Model.OptimizedGraphCache.DefaultRoot"/>).</summary>
    public static string Under(string root) => Path.Combine(root, "drift");

    public DriftCalibration GetOrCalibrate(ReferenceTable reference, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.Combine(directory, Key(reference, options) + ".json");
        if (TryRead(path) is { } cached)
            return cached;
        var calibration = DriftThresholdSimulation.Calibrate(reference, options);
        TryWrite(path, calibration);
        return calibration;
    }

    /// <summary>The entry's name: SHA-256 over the simulation's version, the reference and the options.</summary>
    public static string Key(ReferenceTable reference, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{DriftThresholdSimulation.Version}\n{Describe(options)}\n"));
        foreach (var name in reference.Names)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
            foreach (var value in reference.Column(name))
                hash.AppendData(BitConverter.GetBytes(value));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

    /// <summary>Every option the simulation reads, in invariant round-trip form (a test checks that changing any
    /// property of <see cref="DriftOptions"/> changes it).</summary>
    private static string Describe(DriftOptions o) => string.Join('|',
        string.Join(',', o.EffectiveTailQuantiles.Select(R)), R(o.TailRateRatio), R(o.PredictedRateShift), R(o.FalseAlarmRate),
        o.Horizon.ToString(CultureInfo.InvariantCulture), o.SimulationRuns.ToString(CultureInfo.InvariantCulture),
        o.SimulationSeed.ToString(CultureInfo.InvariantCulture), o.MinimumFilms.ToString(CultureInfo.InvariantCulture));

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static DriftCalibration? TryRead(string path)
    {
        try
        {
            if (!File.Exists(path))
                return null;
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            return new DriftCalibration(
                root.GetProperty("threshold").GetDouble(),
                root.GetProperty("simulated_false_alarm_rate").GetDouble(),
                root.GetProperty("runs").GetInt32(),
                root.GetProperty("horizon").GetInt32(),
                root.GetProperty("target_false_alarm_rate").GetDouble());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException
                                      or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private void TryWrite(string path, DriftCalibration calibration)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = File.Create(temporary))
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteNumber("threshold", calibration.Threshold);
                json.WriteNumber("simulated_false_alarm_rate", calibration.SimulatedFalseAlarmRate);
                json.WriteNumber("runs", calibration.Runs);
                json.WriteNumber("horizon", calibration.Horizon);
                json.WriteNumber("target_false_alarm_rate", calibration.TargetFalseAlarmRate);
                json.WriteEndObject();
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (Exception f) when (f is IOException or UnauthorizedAccessException) { }
        }
    }
}
