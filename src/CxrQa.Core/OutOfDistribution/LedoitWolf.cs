namespace CxrQa.Core.OutOfDistribution;

/// <summary>
/// The Ledoit-Wolf (2004) optimal shrinkage intensity toward mu I, where mu = tr(S) / d: the weight s in
/// (1 - s) S + s mu I that minimises the expected Frobenius loss. It matters here because with d = 512 and a few
/// thousand films the sample covariance is badly conditioned, and its inverse would amplify noise directions.
/// </summary>
public static class LedoitWolf
{
    /// <param name="covariance">S = X^T X / n of the centred rows, d x d row-major (symmetric).</param>
    /// <param name="sumOfFourthPowers">sum over rows k of ||x_k||^4 of the same centred rows.</param>
    /// <param name="n">Number of rows.</param>
    /// <param name="d">Dimension.</param>
    public static double Intensity(ReadOnlySpan<double> covariance, double sumOfFourthPowers, int n, int d)
    {
        if (covariance.Length != d * d)
            throw new ArgumentException($"covariance has {covariance.Length} entries, expected {d} x {d}", nameof(covariance));
        if (n < 1)
            throw new ArgumentOutOfRangeException(nameof(n), n, "at least one row");
        double trace = 0, squaredNorm = 0;
        for (var i = 0; i < d; i++)
            trace += covariance[i * d + i];
        foreach (var v in covariance)
            squaredNorm += v * v;
        var mu = trace / d;
        // ||S - mu I||_F^2 / d and (1/n^2) sum_k ||x_k x_k^T - S||_F^2 / d, using
        // sum_k ||x_k x_k^T - S||^2 = sum_k ||x_k||^4 - n ||S||^2 (because sum_k x_k x_k^T = n S).
        var distanceToTarget = (squaredNorm - d * mu * mu) / d;
        var estimationError = (sumOfFourthPowers / n - squaredNorm) / ((double)n * d);
        if (!(distanceToTarget > 0))
            return 1.0; // S is already a multiple of I: shrinking fully loses nothing
        return Math.Clamp(Math.Min(estimationError, distanceToTarget) / distanceToTarget, 0.0, 1.0);
    }
}
