using CxrQa.Core.Learning;
using Xunit.Abstractions;

namespace CxrQa.Tests.Learning;

public class HeadTrainerTests(ITestOutputHelper output)
{
    /// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Recorder : IProgress<HeadTrainingProgress>
    {
        public List<HeadTrainingProgress> Reports { get; } = [];
        public void Report(HeadTrainingProgress value) => Reports.Add(value);
    }

    /// <summary>Patients with 1-4 films each; the films of a patient share a patient effect on top of the class signal.</summary>
    private static (FeatureMatrix X, int[] Labels, string[] Patients) Cohort(int patients, int features, int seed)
    {
        var random = new Random(seed);
        var direction = Enumerable.Range(0, features).Select(_ => SyntheticLogistic.Gaussian(random)).ToArray();
        var rows = new List<float[]>();
        var labels = new List<int>();
        var ids = new List<string>();
        for (var p = 0; p < patients; p++)
        {
            var label = random.NextDouble() < 0.26 ? 0 : 1;
            var effect = Enumerable.Range(0, features).Select(_ => SyntheticLogistic.Gaussian(random)).ToArray();
            var films = 1 + random.Next(4);
            for (var f = 0; f < films; f++)
            {
                rows.Add(Enumerable.Range(0, features)
                    .Select(j => (float)(3 + (label - 0.5) * 0.35 * direction[j] + effect[j] + 0.7 * SyntheticLogistic.Gaussian(random)))
                    .ToArray());
                labels.Add(label);
                ids.Add("p:" + p);
            }
        }
        return (FeatureMatrix.FromRows(rows), labels.ToArray(), ids.ToArray());
    }

    [Fact]
    public void Picks_the_best_mean_cv_auc_and_refits_on_everything()
    {
        var (x, y, patients) = Cohort(300, 40, seed: 4);
        var options = new HeadTrainingOptions { CGrid = [1e-4, 1e-2, 1, 100], Folds = 5, Seed = 1 };
        var recorder = new Recorder();

        var result = HeadTrainer.Train(x, y, patients, options, recorder);

        foreach (var s in result.Scores)
            output.WriteLine($"C {s.C:G3}: AUC {s.MeanAuc:F4} +- {s.StdAuc:F4}");
        output.WriteLine($"chosen C {result.ChosenC}; OOF AUC {result.OutOfFoldMetrics.Auc:F4}, accuracy {result.OutOfFoldMetrics.Accuracy:F4}");

        Assert.Equal(options.CGrid, result.Scores.Select(s => s.C));
        Assert.Equal(result.Scores.Max(s => s.MeanAuc), result.ChosenScore.MeanAuc);
        Assert.All(result.Scores, s => Assert.Equal(5, s.FoldAucs.Length));
        Assert.All(result.Scores, s => Assert.Equal(s.FoldAucs.Average(), s.MeanAuc, 12));
        Assert.InRange(result.OutOfFoldMetrics.Auc, 0.75, 1.0);
        Assert.Equal(y.Length, result.OutOfFoldMetrics.N);
        Assert.All(result.OutOfFoldProbabilities, p => Assert.InRange(p, 0, 1));

        // The refit is the plain fit on all films at the chosen C.
        var direct = LogisticRegression.Fit(x, y, new LogisticRegressionOptions { C = result.ChosenC });
        Assert.True(result.FinalFit.Converged);
        for (var j = 0; j < x.Columns; j++) Assert.Equal(direct.Model.Weights[j], result.Model.Weights[j], 6);

        // Patients never straddle folds.
        var foldOfPatient = patients.Zip(result.FoldOfItem).GroupBy(t => t.First);
        Assert.All(foldOfPatient, g => Assert.Single(g.Select(t => t.Second).Distinct()));

        // One report per fold fit, then the refit.
        Assert.Equal(4 * 5 + 1, recorder.Reports.Count);
        Assert.Equal(Enumerable.Range(1, 21), recorder.Reports.Select(r => r.FitsDone));
        Assert.All(recorder.Reports, r => Assert.Equal(21, r.FitsTotal));
        Assert.Equal("refit", recorder.Reports[^1].Stage);
    }

    [Fact]
    public void Out_of_fold_scores_are_reproducible_for_a_seed()
    {
        var (x, y, patients) = Cohort(120, 10, seed: 8);
        var options = new HeadTrainingOptions { CGrid = [0.01, 1], Folds = 3, Seed = 5 };
        var a = HeadTrainer.Train(x, y, patients, options);
        var b = HeadTrainer.Train(x, y, patients, options);
        Assert.Equal(a.OutOfFoldProbabilities, b.OutOfFoldProbabilities);
        Assert.Equal(a.ChosenC, b.ChosenC);
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        var (x, y, patients) = Cohort(60, 5, seed: 2);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            HeadTrainer.Train(x, y, patients, new HeadTrainingOptions { CGrid = [1] }, null, cts.Token));
    }

    [Fact]
    public void Log_spaced_grid_spans_the_range()
    {
        var grid = HeadTrainingOptions.LogSpaced(1e-4, 1e2, 7);
        Assert.Equal([1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100], grid.Select(c => Math.Round(c, 10)));
    }
}
