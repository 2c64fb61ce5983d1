using CxrQa.Core.Calibration;

namespace CxrQa.Tests.Calibration;

public sealed class SpecialFunctionsTests
{
    [Fact]
    public void LogGamma_matches_log_factorials()
    {
        var logFactorial = 0.0;
        for (var n = 1; n <= 170; n++)
        {
            // Gamma(n) = (n - 1)!
            Assert.Equal(logFactorial, SpecialFunctions.LogGamma(n), Math.Max(1e-13, 1e-14 * Math.Abs(logFactorial)));
            logFactorial += Math.Log(n);
        }
    }

    [Fact]
    public void LogGamma_matches_half_integer_values()
    {
        // Gamma(1/2) = sqrt(pi), Gamma(3/2) = sqrt(pi) / 2, Gamma(1/4) = 3.6256099082219083119...
        Assert.Equal(0.5 * Math.Log(Math.PI), SpecialFunctions.LogGamma(0.5), 1e-14);
        Assert.Equal(Math.Log(Math.Sqrt(Math.PI) / 2), SpecialFunctions.LogGamma(1.5), 1e-14);
        Assert.Equal(Math.Log(3.6256099082219083119), SpecialFunctions.LogGamma(0.25), 1e-14);
    }

    [Theory]
    [InlineData(0.3, 1.0, 1.0)]
    [InlineData(0.7, 3.0, 1.0)]
    [InlineData(0.2, 1.0, 5.0)]
    [InlineData(0.999, 2.0, 1.0)]
    [InlineData(1e-5, 1.0, 2000.0)]
    public void Incomplete_beta_matches_closed_forms(double x, double a, double b)
    {
        // I_x(a, 1) = x^a and I_x(1, b) = 1 - (1 - x)^b.
        var expected = b == 1.0 ? Math.Pow(x, a) : 1 - Math.Pow(1 - x, b);
        Assert.Equal(expected, SpecialFunctions.RegularizedIncompleteBeta(x, a, b), 1e-13);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(7.5)]
    [InlineData(300.0)]
    public void Incomplete_beta_is_one_half_at_the_centre_of_a_symmetric_beta(double a)
    {
        // ln B(a, b) is a difference of log-gammas of size ~a ln a, so its rounding grows with a: ~1e-13 at a = 300,
        // far inside the 1e-9 the binomial bounds promise.
        Assert.Equal(0.5, SpecialFunctions.RegularizedIncompleteBeta(0.5, a, a), 1e-11);
    }

    [Fact]
    public void Incomplete_beta_satisfies_its_reflection_identity()
    {
        foreach (var (x, a, b) in new[] { (0.1, 2.5, 7.0), (0.9, 40.0, 3.0), (0.01, 1.0, 1500.0), (0.6, 0.5, 0.5) })
            Assert.Equal(1.0, SpecialFunctions.RegularizedIncompleteBeta(x, a, b) + SpecialFunctions.RegularizedIncompleteBeta(1 - x, b, a), 1e-13);
    }

    [Fact]
    public void Inverse_incomplete_beta_round_trips()
    {
        foreach (var (p, a, b) in new[] { (0.95, 1.0, 299.0), (0.05, 3.0, 8.0), (0.5, 50.0, 50.0), (0.999, 10.0, 1990.0), (1e-6, 2.0, 2.0) })
        {
            var x = SpecialFunctions.InverseRegularizedIncompleteBeta(p, a, b);
            Assert.Equal(p, SpecialFunctions.RegularizedIncompleteBeta(x, a, b), 1e-12);
        }
    }

    [Fact]
    public void Log1P_keeps_precision_for_tiny_arguments()
    {
        Assert.Equal(1e-17, SpecialFunctions.Log1P(1e-17));
        Assert.Equal(1e-10 - 5e-21, SpecialFunctions.Log1P(1e-10), 1e-25);
        Assert.Equal(Math.Log(3.0), SpecialFunctions.Log1P(2.0), 1e-15);
    }

    [Fact]
    public void Rejects_arguments_outside_the_domain()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.RegularizedIncompleteBeta(1.5, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.RegularizedIncompleteBeta(0.5, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.LogGamma(0));
    }
}
