using CxrQa.Core.Calibration;
using Xunit.Abstractions;

namespace CxrQa.Tests.Calibration;

/// <summary>
/// The guarantee tests are only worth something if a broken procedure fails them. Each test here runs the shipped
/// procedure and a deliberately broken one on the same seeded worlds and requires the broken one's violation frequency
/// to be clearly above delta (<see cref="ViolationFrequency.ClearlyAbove"/>) while the shipped one's is not.
/// </summary>
/// <remarks>
/// The worlds are chosen for power. In the "edge" world every answer is wrong with probability 1.02 alpha, whatever
/// its confidence, so every threshold violates alpha and a procedure violates exactly when it automates anything: the
/// correct scan does so only when its first testable candidate (299 answers at 1 % / 5 %) holds no error,
/// 0.9898^299 = 4.7 % of draws, just under delta. A loose procedure has no slack to hide in.
/// </remarks>
public sealed class RiskControlPowerTests(ITestOutputHelper output)
{
    private const double Alpha = 0.01, Delta = 0.05;
    private const double EdgeErrorRate = 1.02 * Alpha;

    private static readonly RiskControlOptions PneumoniaOnly = new() { AlphaPneumonia = Alpha, Delta = Delta };

    /// <summary>Uniform confidences in (0.5, 1] with a constant error rate just above alpha: every threshold violates.</summary>
    private static (double[] Scores, bool[] Correct) EdgeWorld(Random random, int n)
    {
        var scores = new double[n];
        var correct = new bool[n];
        for (var i = 0; i < n; i++)
        {
            scores[i] = 1 - 0.5 * random.NextDouble();
            correct[i] = random.NextDouble() >= EdgeErrorRate;
        }
        return (scores, correct);
    }

    [Fact]
    public void Doubling_delta_or_scanning_past_a_failure_is_caught_in_the_edge_world()
    {
        const int draws = 2000, n = 2000;
        var noEarlyStop = new NoEarlyStopScan(Alpha, Delta, n);
        int correct = 0, doubled = 0, scanPast = 0;
        for (var d = 0; d < draws; d++)
        {
            var (scores, ok) = EdgeWorld(new Random(40_000 + d), n);
            // Every threshold violates here, so "any threshold chosen" is the violation.
            correct += SelectiveThreshold.Select(scores, ok, Alpha, Delta).Threshold is null ? 0 : 1;
            doubled += SelectiveThreshold.Select(scores, ok, Alpha, 2 * Delta).Threshold is null ? 0 : 1;
            scanPast += noEarlyStop.AutomatesAnything(scores, ok) ? 1 : 0;
        }
        output.WriteLine(ViolationFrequency.Describe("shipped scan", correct, draws));
        output.WriteLine(ViolationFrequency.Describe("delta doubled", doubled, draws));
        output.WriteLine(ViolationFrequency.Describe("no stop at first failure", scanPast, draws));

        Assert.False(ViolationFrequency.ClearlyAbove(correct, draws, Delta), "the shipped scan breaks its promise");
        // The world is tight: the shipped scan sits near delta (4.7 % expected), so the two below cannot hide in slack.
        Assert.True(correct >= 0.03 * draws, $"the edge world is not at the edge: {correct}/{draws}");
        Assert.True(ViolationFrequency.ClearlyAbove(doubled, draws, Delta), "a doubled delta went unnoticed");
        Assert.True(ViolationFrequency.ClearlyAbove(scanPast, draws, Delta), "a scan that does not stop went unnoticed");
    }

    /// <summary>
    /// The broken rule: every candidate is tested and the lowest that passes wins, as if the hypotheses were not in a
    /// fixed sequence. The pass condition errors &lt;= c(n) has a largest passing count c(n) per n, computed once, so
    /// each draw costs one pass over the sorted answers.
    /// </summary>
    private sealed class NoEarlyStopScan
    {
        private readonly int _minimumN;
        private readonly int[] _largestPassing;

        public NoEarlyStopScan(double alpha, double delta, int maxN)
        {
            _minimumN = BinomialBounds.MinimumSampleForZeroErrors(alpha, delta);
            _largestPassing = new int[maxN + 1];
            var k = -1;
            for (var n = 0; n <= maxN; n++)
            {
                // c(n) never decreases with n: one more right answer cannot make the bound worse.
                while (k + 1 < n && BinomialBounds.UpperBoundAtMost(k + 1, n, delta, alpha))
                    k++;
                _largestPassing[n] = k;
            }
        }

        public bool AutomatesAnything(double[] scores, bool[] correct)
        {
            var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();
            var errors = 0;
            for (var j = 0; j < order.Length; j++)
            {
                errors += correct[order[j]] ? 0 : 1;
                var n = j + 1;
                if (n >= _minimumN && errors <= _largestPassing[n])
                    return true;
            }
            return false;
        }
    }

    /// <summary>
    /// A clustered calibration set: each patient has 1 + Geometric films (mean 1.82, at most 18, like the shipped
    /// bundle's 1297 films from 712 patients); all of a patient's films share one confidence and one error.
    /// </summary>
    private static (double[] P, int[] Labels, string[] Patients) Clustered(Random random, int patients, Func<double, double> errorRate)
    {
        var p = new List<double>();
        var labels = new List<int>();
        var ids = new List<string>();
        for (var j = 0; j < patients; j++)
        {
            var films = 1;
            while (films < 18 && random.NextDouble() < 0.45)
                films++;
            var s = 1 - 0.5 * random.NextDouble();
            var wrong = random.NextDouble() < errorRate(s);
            for (var f = 0; f < films; f++)
            {
                p.Add(s); // predicted Pneumonia with confidence s
                labels.Add(wrong ? 0 : 1);
                ids.Add($"patient-{j}");
            }
        }
        return ([.. p], [.. labels], [.. ids]);
    }

    [Theory]
    // The edge world (constant error 1.02 alpha) and the smooth world of RiskControlGuaranteeTests (4 (1 - s)^3, true
    // risk above t = (1 - t)^3): both with 1500 patients, about 2700 films.
    [InlineData("edge", 1000)]
    [InlineData("cubic", 1000)]
    public void Counting_every_film_of_a_patient_breaks_the_promise_and_one_film_per_patient_keeps_it(string world, int draws)
    {
        Func<double, double> errorRate = world == "edge" ? _ => EdgeErrorRate : s => 4 * Math.Pow(1 - s, 3);
        Func<double?, double> trueRisk = world == "edge" ? t => t is null ? 0 : EdgeErrorRate : t => t is { } v ? Math.Pow(1 - v, 3) : 0;
        int perFilm = 0, perPatient = 0;
        double coverage = 0;
        for (var d = 0; d < draws; d++)
        {
            var (p, labels, patients) = Clustered(new Random(60_000 + d), 1500, errorRate);
            var films = ClassConditionalRiskControl.Fit(p, labels, PneumoniaOnly);
            var units = ClassConditionalRiskControl.Fit(p, labels, PneumoniaOnly, new CertificationUnits(patients));
            perFilm += trueRisk(films.Pneumonia.Threshold) > Alpha ? 1 : 0;
            perPatient += trueRisk(units.Pneumonia.Threshold) > Alpha ? 1 : 0;
            coverage += units.Pneumonia.Threshold is { } t ? (1 - t) / 0.5 : 0;
        }
        output.WriteLine(ViolationFrequency.Describe($"{world}, clustered, per film", perFilm, draws));
        output.WriteLine(ViolationFrequency.Describe($"{world}, clustered, one film per patient", perPatient, draws));
        output.WriteLine($"per-patient mean true coverage {coverage / draws:P1}");

        Assert.False(ViolationFrequency.ClearlyAbove(perPatient, draws, Delta), "one film per patient breaks the promise");
        Assert.True(ViolationFrequency.ClearlyAbove(perFilm, draws, Delta), "per-film certification of clustered films went unnoticed");
    }

    [Fact]
    public void Certifying_on_films_production_never_automates_flatters_the_certificate_and_the_eligible_mask_restores_it()
    {
        // 40 % of films fail a gate (say, a film type the quality check sends to review) and happen to be easy: the
        // model never errs on them. The films production automates err with 4 (1 - s)^3, so in the unmasked mix the
        // error rate is diluted to 0.6 of it and the threshold lands where the automated films err more than alpha.
        const int draws = 600, n = 3000;
        int unmasked = 0, masked = 0;
        double coverage = 0;
        for (var d = 0; d < draws; d++)
        {
            var random = new Random(80_000 + d);
            var p = new double[n];
            var labels = new int[n];
            var eligible = new bool[n];
            for (var i = 0; i < n; i++)
            {
                var s = 1 - 0.5 * random.NextDouble();
                eligible[i] = random.NextDouble() >= 0.4;
                var wrong = eligible[i] && random.NextDouble() < 4 * Math.Pow(1 - s, 3);
                p[i] = s;
                labels[i] = wrong ? 0 : 1;
            }
            var all = ClassConditionalRiskControl.Fit(p, labels, PneumoniaOnly);
            var gated = ClassConditionalRiskControl.Fit(p, labels, PneumoniaOnly, CertificationUnits.PerFilm(eligible));
            // The truth that matters: the error rate among films production automates (eligible, at or above t).
            unmasked += all.Pneumonia.Threshold is { } tu && Math.Pow(1 - tu, 3) > Alpha ? 1 : 0;
            masked += gated.Pneumonia.Threshold is { } tm && Math.Pow(1 - tm, 3) > Alpha ? 1 : 0;
            coverage += gated.Pneumonia.Threshold is { } tc ? (1 - tc) / 0.5 : 0;
        }
        output.WriteLine(ViolationFrequency.Describe("eligible films, certified on all films", unmasked, draws));
        output.WriteLine(ViolationFrequency.Describe("eligible films, certified on eligible films", masked, draws));
        output.WriteLine($"masked mean true coverage of eligible films {coverage / draws:P1}");

        Assert.False(ViolationFrequency.ClearlyAbove(masked, draws, Delta), "certifying on eligible films breaks the promise");
        Assert.True(ViolationFrequency.ClearlyAbove(unmasked, draws, Delta), "certifying on films production never automates went unnoticed");
    }

    [Fact]
    public void A_shift_that_inflates_errors_on_some_films_breaks_the_promise_unless_the_eligible_mask_removes_them()
    {
        // Clean films err with 4 (1 - s)^3. The deployment is shifted: 30 % of films (those the shift damages) become
        // overconfident, 1 - s -> (1 - s) / 4, so at a displayed confidence their error rate is 64 times the clean one;
        // the gates flag exactly those films under the shift. Three ways to ship:
        //   no mask anywhere: certify on clean films, automate every film at or above the threshold;
        //   shift-robust, no mask: the shifted set's damaged films are certified on (and automated);
        //   shift-robust with the mask: damaged films are left out of the shifted set and sent to review.
        const int draws = 600, n = 3000;
        const double damagedShare = 0.3;
        var options = PneumoniaOnly;
        int plain = 0, robust = 0, masked = 0;
        double plainCoverage = 0, robustCoverage = 0, maskedCoverage = 0;
        for (var d = 0; d < draws; d++)
        {
            var random = new Random(100_000 + d);
            var clean = new double[n];
            var shifted = new double[n];
            var labels = new int[n];
            var eligible = new bool[n];
            for (var i = 0; i < n; i++)
            {
                var s = 1 - 0.5 * random.NextDouble();
                var damaged = random.NextDouble() < damagedShare;
                clean[i] = s;
                shifted[i] = damaged ? 1 - (1 - s) / 4 : s;
                labels[i] = random.NextDouble() < 4 * Math.Pow(1 - s, 3) ? 0 : 1;
                eligible[i] = !damaged;
            }
            var tPlain = ClassConditionalRiskControl.Fit(clean, labels, options).Pneumonia.Threshold;
            var tRobust = ShiftRobustRiskControl.Fit(clean, labels, [new ShiftedScores("overconfident", shifted)], options).Pneumonia.Threshold;
            var tMasked = ShiftRobustRiskControl.Fit(clean, labels, [new ShiftedScores("overconfident", shifted, eligible)], options).Pneumonia.Threshold;
            plain += ShiftedDeployment.Risk(tPlain, gated: false) > Alpha ? 1 : 0;
            robust += ShiftedDeployment.Risk(tRobust, gated: false) > Alpha ? 1 : 0;
            masked += ShiftedDeployment.Risk(tMasked, gated: true) > Alpha ? 1 : 0;
            plainCoverage += ShiftedDeployment.Automated(tPlain, gated: false);
            robustCoverage += ShiftedDeployment.Automated(tRobust, gated: false);
            maskedCoverage += ShiftedDeployment.Automated(tMasked, gated: true);
        }
        output.WriteLine(ViolationFrequency.Describe($"shifted deployment, clean certificate, no mask (automates {plainCoverage / draws:P1})", plain, draws));
        output.WriteLine(ViolationFrequency.Describe($"shifted deployment, shift-robust, no mask (automates {robustCoverage / draws:P1})", robust, draws));
        output.WriteLine(ViolationFrequency.Describe($"shifted deployment, shift-robust with the mask (automates {maskedCoverage / draws:P1})", masked, draws));

        Assert.True(ViolationFrequency.ClearlyAbove(plain, draws, Delta), "the shift should break a clean-only certificate");
        Assert.False(ViolationFrequency.ClearlyAbove(masked, draws, Delta), "the masked certificate breaks its promise");
        Assert.False(ViolationFrequency.ClearlyAbove(robust, draws, Delta), "the unmasked shift-robust certificate breaks its promise");
        Assert.True(maskedCoverage > robustCoverage, "leaving the damaged films in should cost coverage, not buy it");
    }

    [Fact]
    public void Intersection_union_keeps_every_shifted_world_together_and_the_clean_threshold_alone_does_not()
    {
        // Three worlds over the same films: clean (errors 4 (1 - s)^3) and two overconfident shifts, 1 - s -> (1 - s) / c,
        // whose true risk above t is min(c (1 - t), 0.5)^3: c = 1.26 doubles every error rate, c = 1.1 adds a third.
        // The promise is joint: a draw violates when the shared threshold breaks alpha in ANY world.
        const int draws = 600, n = 3000;
        double[] shifts = [1.26, 1.1];
        static double Risk(double? t, double c) => t is { } v ? Math.Pow(Math.Min(c * (1 - v), 0.5), 3) : 0;
        bool Violates(double? t) => Risk(t, 1) > Alpha || shifts.Any(c => Risk(t, c) > Alpha);
        int iut = 0, bonferroni = 0, cleanOnly = 0;
        double iutCoverage = 0, bonferroniCoverage = 0;
        for (var d = 0; d < draws; d++)
        {
            var random = new Random(120_000 + d);
            var clean = new double[n];
            var labels = new int[n];
            for (var i = 0; i < n; i++)
            {
                clean[i] = 1 - 0.5 * random.NextDouble();
                labels[i] = random.NextDouble() < 4 * Math.Pow(1 - clean[i], 3) ? 0 : 1;
            }
            var sets = shifts.Select(c => new ShiftedScores($"overconfident_{c}", [.. clean.Select(s => 1 - (1 - s) / c)])).ToList();
            var tIut = ShiftRobustRiskControl.Fit(clean, labels, sets, PneumoniaOnly).Pneumonia.Threshold;
            var tBonferroni = ShiftRobustRiskControl.Fit(clean, labels, sets, PneumoniaOnly with { Delta = Delta / 3 }).Pneumonia.Threshold;
            var tClean = ClassConditionalRiskControl.Fit(clean, labels, PneumoniaOnly).Pneumonia.Threshold;
            iut += Violates(tIut) ? 1 : 0;
            bonferroni += Violates(tBonferroni) ? 1 : 0;
            cleanOnly += Violates(tClean) ? 1 : 0;
            iutCoverage += tIut is { } a ? (1 - a) / 0.5 : 0;
            bonferroniCoverage += tBonferroni is { } b ? (1 - b) / 0.5 : 0;
        }
        output.WriteLine(ViolationFrequency.Describe("intersection-union, each set at delta", iut, draws));
        output.WriteLine(ViolationFrequency.Describe("Bonferroni, each set at delta / 3", bonferroni, draws));
        output.WriteLine(ViolationFrequency.Describe("clean threshold alone", cleanOnly, draws));
        output.WriteLine($"mean true coverage of clean films: intersection-union {iutCoverage / draws:P1}, Bonferroni {bonferroniCoverage / draws:P1}");

        Assert.False(ViolationFrequency.ClearlyAbove(iut, draws, Delta), "intersection-union breaks the joint promise");
        Assert.True(ViolationFrequency.ClearlyAbove(cleanOnly, draws, Delta), "ignoring the shifted sets went unnoticed");
        Assert.True(iutCoverage > bonferroniCoverage, "intersection-union should automate more than Bonferroni");
    }

    /// <summary>
    /// The shifted deployment's truth, in closed form: an undamaged film automated at t has 1 - s below v = 1 - t, a
    /// damaged one below u = 4 (1 - t) (both capped at 0.5); errors above are the integral of 4 x^3, x^4.
    /// </summary>
    private static class ShiftedDeployment
    {
        private const double Damaged = 0.3;

        public static double Risk(double? threshold, bool gated)
        {
            if (threshold is not { } t)
                return 0;
            var (v, u) = (Math.Min(1 - t, 0.5), gated ? 0 : Math.Min(4 * (1 - t), 0.5));
            var mass = (1 - Damaged) * v + Damaged * u;
            return mass == 0 ? 0 : ((1 - Damaged) * Math.Pow(v, 4) + Damaged * Math.Pow(u, 4)) / mass;
        }

        /// <summary>Share of all deployed films automated (damaged ones go to review when gated).</summary>
        public static double Automated(double? threshold, bool gated) => threshold is { } t
            ? ((1 - Damaged) * Math.Min(1 - t, 0.5) + (gated ? 0 : Damaged * Math.Min(4 * (1 - t), 0.5))) / 0.5
            : 0;
    }
}
