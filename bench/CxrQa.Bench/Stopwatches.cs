using System.Diagnostics;

namespace CxrQa.Bench;

/// <summary>Timing summary of repeated runs, in milliseconds.</summary>
public sealed record Timing(string Name, double P50, double P95, double Min, int Runs)
{
    public static Timing Measure(string name, int warmup, int runs, Action action)
    {
        for (var i = 0; i < warmup; i++) action();
        var ms = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            ms[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(ms);
        return new Timing(name, Percentile(ms, 0.50), Percentile(ms, 0.95), ms[0], runs);
    }

    private static double Percentile(double[] sorted, double q) => sorted[(int)Math.Min(sorted.Length - 1, Math.Round(q * (sorted.Length - 1)))];

    public string Row() => $"| {Name} | {P50:0.00} | {P95:0.00} | {Min:0.00} | {Runs} |";
}
