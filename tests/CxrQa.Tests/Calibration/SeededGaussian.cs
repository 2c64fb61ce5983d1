namespace CxrQa.Tests.Calibration;

/// <summary>Standard normal draws from a seeded <see cref="Random"/> (Box-Muller), so every simulation is reproducible.</summary>
internal sealed class SeededGaussian(int seed)
{
    private readonly Random _random = new(seed);
    private double? _spare;

    public Random Uniform => _random;

    public double Next()
    {
        if (_spare is { } s)
        {
            _spare = null;
            return s;
        }
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var r = Math.Sqrt(-2 * Math.Log(u1));
        _spare = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }
}
