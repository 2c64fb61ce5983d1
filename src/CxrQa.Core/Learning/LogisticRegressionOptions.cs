namespace CxrQa.Core.Learning;

public enum ClassWeighting
{
    /// <summary>Every sample counts once.</summary>
    None,
    /// <summary>Sample of class c weighs n / (2 n_c), so both classes carry equal total weight (scikit-learn's "balanced").</summary>
    Balanced,
}

/// <summary>
/// Settings of <see cref="LogisticRegression"/>. The fit minimises, on standardised features z,
/// (1/n) sum_i s_i logloss_i + ||v||^2 / (2 C n): the same minimiser as scikit-learn's
/// ||v||^2 / 2 + C sum_i s_i logloss_i, so C is the inverse penalty strength as there. The bias is not penalised.
/// </summary>
public sealed record LogisticRegressionOptions
{
    /// <summary>Inverse L2 penalty strength; larger C fits harder.</summary>
    public double C { get; init; } = 1.0;
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.Balanced;
    /// <summary>Stop when the Euclidean norm of the objective's gradient (standardised space) is below this.</summary>
    public double GradientTolerance { get; init; } = 1e-6;
    public int MaxIterations { get; init; } = 100;
}
