using CxrQa.Core.Data;

namespace CxrQa.Tests.Data;

/// <summary>Properties of the patient-grouped splits on random synthetic cohorts.</summary>
public class PatientSplitPropertyTests
{
    /// <summary>A cohort like Kermany's: ~1:2.9 classes, 1 to 6 films per patient, mostly one label per patient.</summary>
    internal static (int[] Labels, string[] Patients) Cohort(int seed, int patients = 600)
    {
        var random = new Random(seed);
        var labels = new List<int>();
        var ids = new List<string>();
        for (var p = 0; p < patients; p++)
        {
            var label = random.NextDouble() < 0.26 ? 0 : 1;
            var films = 1 + (int)Math.Floor(Math.Pow(random.NextDouble(), 3) * 6);
            for (var f = 0; f < films; f++)
            {
                labels.Add(random.NextDouble() < 0.03 ? 1 - label : label); // a few patients carry both labels
                ids.Add($"p:{p}");
            }
        }
        // Interleave so that a patient's films are not adjacent: the splitter must not rely on order.
        var order = Enumerable.Range(0, labels.Count).OrderBy(_ => random.Next()).ToArray();
        return (order.Select(i => labels[i]).ToArray(), order.Select(i => ids[i]).ToArray());
    }

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 17, 123, 2024 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Folds_cover_every_item_once_and_never_split_a_patient(int seed)
    {
        var (labels, patients) = Cohort(seed);
        var folds = PatientFolds.Split(labels, patients, 5, seed);

        Assert.Equal(5, folds.Count);
        var seen = new int[labels.Length];
        foreach (var fold in folds)
        {
            foreach (var i in fold.Test) seen[i]++;
            Assert.Equal(labels.Length, fold.Train.Length + fold.Test.Length);
            Assert.Empty(fold.Train.Intersect(fold.Test));
            var testPatients = fold.Test.Select(i => patients[i]).ToHashSet();
            Assert.DoesNotContain(fold.Train, i => testPatients.Contains(patients[i]));
        }
        Assert.All(seen, count => Assert.Equal(1, count));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Folds_have_similar_sizes_and_class_ratios(int seed)
    {
        var (labels, patients) = Cohort(seed);
        var overall = labels.Average();
        foreach (var fold in PatientFolds.Split(labels, patients, 5, seed))
        {
            var ratio = fold.Test.Average(i => (double)labels[i]);
            Assert.InRange(ratio, overall - 0.02, overall + 0.02);
            Assert.InRange(fold.Test.Length, labels.Length / 5.0 * 0.95, labels.Length / 5.0 * 1.05);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Same_seed_same_folds_other_seed_other_folds(int seed)
    {
        var (labels, patients) = Cohort(seed);
        var a = PatientFolds.Split(labels, patients, 5, seed);
        var b = PatientFolds.Split(labels, patients, 5, seed);
        var c = PatientFolds.Split(labels, patients, 5, seed + 1);
        Assert.Equal(a.Select(f => f.Test), b.Select(f => f.Test));
        Assert.NotEqual(a.Select(f => f.Test), c.Select(f => f.Test));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Three_way_split_keeps_patients_whole_and_hits_the_fractions(int seed)
    {
        var (labels, patients) = Cohort(seed, patients: 1000);
        var split = PatientSplit.Split(labels, patients, 0.70, 0.15, 0.15, seed);
        var parts = new[] { split.Train, split.Validation, split.Calibration };

        Assert.Equal(Enumerable.Range(0, labels.Length), parts.SelectMany(p => p).Order());
        var patientSets = parts.Select(p => p.Select(i => patients[i]).ToHashSet()).ToArray();
        for (var a = 0; a < 3; a++)
            for (var b = a + 1; b < 3; b++)
                Assert.Empty(patientSets[a].Intersect(patientSets[b]));

        var overall = labels.Average();
        foreach (var (part, fraction) in parts.Zip([0.70, 0.15, 0.15]))
        {
            Assert.InRange(part.Length, labels.Length * fraction * 0.95, labels.Length * fraction * 1.05);
            Assert.InRange(part.Average(i => (double)labels[i]), overall - 0.025, overall + 0.025);
        }

        var again = PatientSplit.Split(labels, patients, 0.70, 0.15, 0.15, seed);
        Assert.Equal(split.Validation, again.Validation);
        Assert.Equal(split.Calibration, again.Calibration);
    }

    [Fact]
    public void The_split_ignores_the_order_items_arrive_in()
    {
        var (labels, patients) = Cohort(5);
        var folds = PatientFolds.Split(labels, patients, 5, 9);
        var foldOfPatient = folds.SelectMany(f => f.Test.Select(i => (patients[i], f.Index))).Distinct().ToDictionary();

        var reversedLabels = labels.Reverse().ToArray();
        var reversedPatients = patients.Reverse().ToArray();
        var reversedFolds = PatientFolds.Split(reversedLabels, reversedPatients, 5, 9);
        foreach (var fold in reversedFolds)
            Assert.All(fold.Test, i => Assert.Equal(foldOfPatient[reversedPatients[i]], fold.Index));
    }

    [Fact]
    public void Invalid_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => StratifiedGroupPartitioner.Assign([0, 1], ["a"], [1.0], 0));
        Assert.Throws<ArgumentException>(() => StratifiedGroupPartitioner.Assign([0, 2], ["a", "b"], [1.0], 0));
        Assert.Throws<ArgumentException>(() => StratifiedGroupPartitioner.Assign([0, 1], ["a", "b"], [0.5, 0.4], 0));
        Assert.Throws<ArgumentException>(() => StratifiedGroupPartitioner.Assign([0, 1], ["a", "b"], [1.0, 0.0], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PatientFolds.Split([0, 1], ["a", "b"], 1, 0));
    }
}
