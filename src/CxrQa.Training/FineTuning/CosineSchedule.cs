namespace CxrQa.Training.FineTuning;

/// <summary>Linear warm-up from ~0 to the peak, then cosine decay to <c>peak * minFraction</c> at the last step.</summary>
public sealed record CosineSchedule(double Peak, int TotalSteps, int WarmupSteps, double MinFraction)
{
    public static CosineSchedule Create(double peak, int totalSteps, double warmupFraction, double minFraction) =>
        new(peak, Math.Max(1, totalSteps), (int)Math.Round(Math.Max(1, totalSteps) * warmupFraction), minFraction);

    /// <summary>Learning rate for step <paramref name="step"/> (0-based).</summary>
    public double At(int step)
    {
        if (step < WarmupSteps)
            return Peak * (step + 1) / WarmupSteps;
        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps - 1);
        var progress = Math.Clamp((step - WarmupSteps) / (double)decaySteps, 0, 1);
        var min = Peak * MinFraction;
        return min + (Peak - min) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
