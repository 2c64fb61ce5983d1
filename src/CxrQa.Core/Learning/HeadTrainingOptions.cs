namespace CxrQa.Core.Learning;

/// <summary>Settings of <see cref="HeadTrainer"/>.</summary>
public sealed record HeadTrainingOptions
{
    /// <summary>Inverse penalty strengths to try (see <see cref="LogisticRegressionOptions.C"/>).</summary>
    public IReadOnlyList<double> CGrid { get; init; } = LogSpaced(1e-4, 1e2, 8);
    public int Folds { get; init; } = 5;
    public int Seed { get; init; } = 42;
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.Balanced;
    public double GradientTolerance { get; init; } = 1e-6;
    /// <summary>Threshold on the pneumonia probability for the out-of-fold confusion-matrix metrics.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary><paramref name="count"/> values from <paramref name="from"/> to <paramref name="to"/>, evenly spaced in log10.</summary>
    public static double[] LogSpaced(double from, double to, int count)
    {
        if (!(from > 0) || !(to > from)) throw new ArgumentOutOfRangeException(nameof(from), "need 0 < from < to");
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        var a = Math.Log10(from);
        var step = (Math.Log10(to) - a) / (count - 1);
        return Enumerable.Range(0, count).Select(i => Math.Pow(10, a + i * step)).ToArray();
    }
}
