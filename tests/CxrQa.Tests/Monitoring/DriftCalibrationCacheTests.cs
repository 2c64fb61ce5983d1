using System.Reflection;
using CxrQa.Core.Monitoring;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Monitoring;

/// <summary>The drift threshold kept between starts: the same result as simulating, read back instead of simulated
/// again, and keyed so that any change of reference or option is a new entry.</summary>
public sealed class DriftCalibrationCacheTests
{
    private static readonly DriftOptions Quick = new() { SimulationRuns = 200, Horizon = 300 };

    [Fact]
    public void A_cached_threshold_equals_the_simulated_one_and_is_read_back()
    {
        using var folder = new TempDirectory();
        var reference = SyntheticReference.Table(400, seed: 3);
        var simulated = DriftThresholdSimulation.Calibrate(reference, Quick);
        var cache = new DriftCalibrationCache(folder.Path);

        Assert.Equal(simulated, cache.GetOrCalibrate(reference, Quick));
        var entry = Assert.Single(Directory.GetFiles(folder.Path));
        // A doctored entry is what comes back: the second call reads, it does not simulate.
        File.WriteAllText(entry, File.ReadAllText(entry).Replace($"\"runs\":{simulated.Runs}", "\"runs\":7", StringComparison.Ordinal));
        Assert.Equal(7, cache.GetOrCalibrate(reference, Quick).Runs);
    }

    [Fact]
    public void A_damaged_entry_is_simulated_again()
    {
        using var folder = new TempDirectory();
        var reference = SyntheticReference.Table(400, seed: 4);
        var cache = new DriftCalibrationCache(folder.Path);
        var first = cache.GetOrCalibrate(reference, Quick);
        File.WriteAllText(Assert.Single(Directory.GetFiles(folder.Path)), "{ not json");
        Assert.Equal(first, cache.GetOrCalibrate(reference, Quick));
    }

    [Fact]
    public void Any_changed_reference_value_changes_the_key()
    {
        var a = SyntheticReference.Table(400, seed: 5);
        var columns = a.Names.ToDictionary(n => n, n => a.Column(n).ToArray());
        var name = a.Names.First();
        columns[name][123] = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(columns[name][123]) + 1);
        Assert.NotEqual(DriftCalibrationCache.Key(a, Quick), DriftCalibrationCache.Key(new ReferenceTable(columns), Quick));
        Assert.Equal(DriftCalibrationCache.Key(a, Quick), DriftCalibrationCache.Key(SyntheticReference.Table(400, seed: 5), Quick));
    }

    /// <summary>Every settable option of <see cref="DriftOptions"/> is part of the key: a property added later and not
    /// keyed fails here.</summary>
    [Fact]
    public void Any_changed_option_changes_the_key()
    {
        var reference = SyntheticReference.Table(100, seed: 6);
        var baseline = DriftCalibrationCache.Key(reference, Quick);
        var properties = typeof(DriftOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        Assert.NotEmpty(properties);
        foreach (var property in properties)
        {
            var changed = Quick with { };
            object value = property.PropertyType switch
            {
                var t when t == typeof(int) => (int)property.GetValue(Quick)! + 1,
                var t when t == typeof(double) => (double)property.GetValue(Quick)! * 0.5 + 0.001,
                var t when t == typeof(double[]) => new[] { 0.8, 0.95 },
                var t => throw new InvalidOperationException($"DriftOptions.{property.Name} ({t}) is not covered by this test"),
            };
            property.SetValue(changed, value);
            Assert.NotEqual(baseline, DriftCalibrationCache.Key(reference, changed));
        }
    }
}
