using System.Diagnostics;
using CxrQa.Core.Data;
using CxrQa.Tests.Support;
using Xunit.Abstractions;

namespace CxrQa.Tests.Data;

/// <summary>The real Kermany train split: one scan shared by the tests of this class.</summary>
public sealed class KermanyTrainFixture : IAsyncLifetime
{
    public LabelledDataset Dataset { get; private set; } = null!;
    public TimeSpan ScanTime { get; private set; }

    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        Dataset = await LabelledFolderDataset.Scan(TestData.Path("kermany-224", "train"), CancellationToken.None);
        ScanTime = watch.Elapsed;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public class KermanyTrainScanTests(KermanyTrainFixture fixture, ITestOutputHelper output) : IClassFixture<KermanyTrainFixture>
{
    private LabelledDataset Dataset => fixture.Dataset;

    [Fact]
    public void Finds_every_file_and_drops_the_byte_identical_copies()
    {
        output.WriteLine($"scan {fixture.ScanTime.TotalMilliseconds:F0} ms; files {Dataset.FilesSeen}; kept {Dataset.Count} " +
                         $"(normal {Dataset.CountOf(0)}, pneumonia {Dataset.CountOf(1)}); duplicate groups {Dataset.Deduplication.DuplicateGroups}, " +
                         $"dropped {Dataset.Deduplication.DuplicatesDropped}; conflicts {Dataset.Deduplication.ConflictsDropped}; " +
                         $"patients {Dataset.PatientCount}; manifest {Dataset.ManifestSha256}");

        Assert.Equal(1341 + 3875, Dataset.FilesSeen);
        Assert.Equal(0, Dataset.NonImagesSkipped);
        // Measured: 22 pairs and 2 triples of identical files (26 extra copies), all within one label. The data
        // README's "32 duplicate pairs" does not match this copy of the split.
        Assert.Equal(24, Dataset.Deduplication.DuplicateGroups);
        Assert.Equal(26, Dataset.Deduplication.DuplicatesDropped);
        Assert.Equal(0, Dataset.Deduplication.ConflictGroups);
        Assert.Equal(5190, Dataset.Count);
        Assert.Equal(KermanyExpected.Normal, Dataset.CountOf(BinaryLabel.Normal));
        Assert.Equal(KermanyExpected.Pneumonia, Dataset.CountOf(BinaryLabel.Pneumonia));
        Assert.Equal(Dataset.Count, Dataset.Images.Select(i => i.Sha256).Distinct().Count());
    }

    [Fact]
    public void Every_film_has_a_scheme_patient_id()
    {
        var bySchema = Dataset.Images.GroupBy(i => i.PatientId.Split(':')[0]).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", bySchema.Select(kv => $"{kv.Key}: {kv.Value} films")));
        Assert.DoesNotContain("file", bySchema.Keys);
        Assert.Equal(KermanyExpected.Patients, Dataset.PatientCount);
        // Films of one patient never carry both labels in this split.
        Assert.All(Dataset.Images.GroupBy(i => i.PatientId), g => Assert.Single(g.Select(i => i.Label).Distinct()));
    }

    [Fact]
    public void The_grouped_folds_and_split_never_split_a_patient()
    {
        var labels = Dataset.Labels();
        var patients = Dataset.PatientIds();
        var overall = labels.Average();
        foreach (var fold in PatientFolds.Split(labels, patients, 5, seed: 42))
        {
            var test = fold.Test.Select(i => patients[i]).ToHashSet();
            Assert.DoesNotContain(fold.Train, i => test.Contains(patients[i]));
            var ratio = fold.Test.Average(i => (double)labels[i]);
            output.WriteLine($"fold {fold.Index}: {fold.Test.Length} films, {test.Count} patients, pneumonia {ratio:P2}");
            Assert.InRange(ratio, overall - 0.01, overall + 0.01);
        }

        var split = PatientSplit.Split(labels, patients, 0.70, 0.15, 0.15, seed: 42);
        var sets = new[] { split.Train, split.Validation, split.Calibration }.Select(p => p.Select(i => patients[i]).ToHashSet()).ToArray();
        Assert.Empty(sets[0].Intersect(sets[1]));
        Assert.Empty(sets[0].Intersect(sets[2]));
        Assert.Empty(sets[1].Intersect(sets[2]));
        Assert.Equal(labels.Length, split.Train.Length + split.Validation.Length + split.Calibration.Length);
        output.WriteLine($"split: train {split.Train.Length}, validation {split.Validation.Length}, calibration {split.Calibration.Length}");
    }

    [Fact]
    public void Scanning_5216_files_is_quick()
    {
        // Generous: the machine is shared. Measured 0.5-3 s on 2 cores (cold page cache is the slow case).
        Assert.True(fixture.ScanTime < TimeSpan.FromSeconds(20), $"scan took {fixture.ScanTime}");
    }
}

internal static class KermanyExpected
{
    // Measured on kermany-224/train after deduplication (one NORMAL and 25 PNEUMONIA copies dropped).
    public const int Normal = 1340;
    public const int Pneumonia = 3850;
    public const int Patients = 2846;
}
