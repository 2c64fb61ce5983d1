namespace CxrQa.Core.Calibration;

/// <summary>
/// Risk-controlled selective classification: picks the lowest confidence threshold such that, with probability at
/// least 1 - delta over the calibration sample, the error rate of answers at or above it is at most alpha.
/// </summary>
/// <remarks>
/// Candidates are tested from the highest threshold down (fixed-sequence testing): each null hypothesis
/// "error rate above t exceeds alpha" is rejected when the Clopper-Pearson upper bound is at most alpha, and the scan
/// stops at the first candidate that fails. Because later hypotheses are only tested after every earlier one was
/// rejected, the chance of wrongly rejecting any is at most delta with no multiplicity correction, however many
/// candidates there are. Candidates with fewer answers than even a perfect record could certify
/// (<see cref="BinomialBounds.MinimumSampleForZeroErrors"/>) are skipped rather than counted as failures: they depend
/// only on how many answers lie above the threshold, not on whether those were right, and cannot reject.
/// </remarks>
public static class SelectiveThreshold
{
    /// <summary>Selects among the distinct observed confidences.</summary>
    public static ThresholdSelection Select(ReadOnlySpan<double> confidences, ReadOnlySpan<bool> correct, double alpha, double delta) =>
        Select(confidences, correct, alpha, delta, CandidateThresholds.FromConfidences(confidences));

    /// <summary>Selects among <paramref name="candidates"/> (any order; duplicates ignored).</summary>
    /// <param name="confidences">Calibrated confidence of the predicted class, one per calibration answer.</param>
    /// <param name="correct">Whether each answer was right.</param>
    /// <param name="alpha">The largest error rate to allow among automated answers, in (0, 1).</param>
    /// <param name="delta">The allowed probability that the selected threshold violates alpha, in (0, 1).</param>
    /// <param name="candidates">The thresholds that may be chosen.</param>
    public static ThresholdSelection Select(
        ReadOnlySpan<double> confidences, ReadOnlySpan<bool> correct, double alpha, double delta, ReadOnlySpan<double> candidates)
    {
        if (confidences.Length != correct.Length)
            throw new ArgumentException($"{confidences.Length} confidences but {correct.Length} correctness flags", nameof(correct));
        var minimumN = BinomialBounds.MinimumSampleForZeroErrors(alpha, delta);
        var total = confidences.Length;

        var order = new int[total];
        for (var i = 0; i < total; i++)
        {
            if (!double.IsFinite(confidences[i]))
                throw new ArgumentException("a confidence is not finite", nameof(confidences));
            order[i] = i;
        }
        var sortKeys = confidences.ToArray();
        Array.Sort(sortKeys, order);
        Array.Reverse(order);

        var thresholds = candidates.ToArray();
        foreach (var t in thresholds)
            if (double.IsNaN(t))
                throw new ArgumentException("a candidate threshold is NaN", nameof(candidates));
        Array.Sort(thresholds);
        Array.Reverse(thresholds);

        var accepted = ThresholdSelection.None(total, alpha, delta);
        var above = 0;
        var errors = 0;
        for (var j = 0; j < thresholds.Length; j++)
        {
            var t = thresholds[j];
            if (j > 0 && t == thresholds[j - 1])
                continue;
            while (above < total && confidences[order[above]] >= t)
            {
                if (!correct[order[above]])
                    errors++;
                above++;
            }
            if (above < minimumN)
                continue;
            if (!BinomialBounds.UpperBoundAtMost(errors, above, delta, alpha))
                break;
            accepted = accepted with { Threshold = t, N = above, Errors = errors };
        }

        return accepted.Threshold is null
            ? accepted
            : accepted with
            {
                UpperBound = BinomialBounds.ClopperPearsonUpper(accepted.Errors, accepted.N, delta),
                Coverage = accepted.N / (double)total,
            };
    }
}
