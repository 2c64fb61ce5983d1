using CxrQa.Core.Numerics;

namespace CxrQa.Tests.Numerics;

public class CholeskyTests
{
    /// <summary>||L^{-1} r||^2 = r^T A^{-1} r: the solve on the packed float factor agrees with a double solve of A.</summary>
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 37)]
    [InlineData(3, 130)]
    public void SquaredNormOfSolveIsTheQuadraticFormOfTheInverse(int seed, int d)
    {
        var random = new Random(seed);
        var m = Enumerable.Range(0, d * d).Select(_ => random.NextDouble() - 0.5).ToArray();
        var a = new double[d * d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                var s = i == j ? d : 0.0; // M M^T + d I: well conditioned, positive definite
                for (var k = 0; k < d; k++)
                    s += m[i * d + k] * m[j * d + k];
                a[i * d + j] = s;
            }
        var factor = Cholesky.Factor(a, d).Select(v => (float)v).ToArray();
        var r = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var x = new double[d];
        Assert.True(Cholesky.TrySolve(a, d, r, x));
        var expected = r.Zip(x, (ri, xi) => ri * xi).Sum();
        var actual = Cholesky.SquaredNormOfSolve(factor, r, new double[d]);
        Assert.Equal(expected, actual, 1e-5 * expected); // the factor is stored in single precision
    }
}
