using CxrQa.Core.Calibration;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Core.Monitoring;

/// <summary>How a site film reached its label.</summary>
public enum SiteStratum
{
    /// <summary>Automated by the deployment; only the hash-drawn audit sample of these was read by a radiologist.</summary>
    Automated,
    /// <summary>Sent to review only because its class was not certified or its confidence was below the threshold
    /// (or automation was paused): every such film is in the queue, a census rather than a sample.</summary>
    Routed,
}

/// <param name="Sampled">For an automated film: drawn for the audit sample. Routed films are always in the queue.</param>
/// <param name="Correct">The radiologist's verdict on the answer; null when undecided or Unreadable (counted as wrong).</param>
public sealed record SiteFilm(ScreeningClass Predicted, double Confidence, SiteStratum Stratum, bool Sampled, bool? Correct);

/// <summary>What the site's films certify for one predicted class.</summary>
/// <param name="Threshold">Automate this class at or above this confidence; null = never.</param>
/// <param name="Labelled">Films with a radiologist's label at or above the threshold (or in all, when none certified).</param>
/// <param name="UpperBound">Bound on the error rate of the class's automated answers at the threshold (1 when none).</param>
public sealed record SiteClassCertificate(ScreeningClass Class, double Alpha, double? Threshold, int Films, int Labelled,
    int Wrong, double UpperBound, int MinimumLabelled);

/// <summary>
/// Refits a class's threshold from a site's reviewed films. The site's stream, split by what the deployment did, is two
/// strata: routed films (all queued: a census) and automated films (of which the audit sample, drawn by a hash of the
/// case id and so independent of the film, is a uniform subsample). For a threshold t the error among the site's
/// films at or above t is (N_A(t) e_A(t) + N_R(t) e_R(t)) / (N_A(t) + N_R(t)): each stratum's error rate weighted by
/// its size, which the stored confidences give exactly. Each rate gets a Clopper-Pearson upper bound at delta / 2,
/// so the combined bound holds at 1 - delta; undecided and Unreadable films count as wrong (no assumption about which
/// films reviewers chose to read). Thresholds are scanned high to low and the scan stops at the first failure
/// (fixed-sequence testing, as at calibration). Pre-registered minimum: a threshold is only tried once the labelled
/// films above it could certify alpha with a perfect record (ln(delta / 2) / ln(1 - alpha) rounded up: 368 at 1 % and 5 %).
/// Films are counted one each: the server stores no patient ids, so several films of one patient count as several.
/// </summary>
public static class SiteRecertification
{
    public static SiteClassCertificate CertifyClass(IReadOnlyList<SiteFilm> films, ScreeningClass predicted, double alpha, double delta,
        double floor = 0.5)
    {
        ArgumentNullException.ThrowIfNull(films);
        var mine = films.Where(f => f.Predicted == predicted).OrderByDescending(f => f.Confidence).ToArray();
        var stratumDelta = delta / 2;
        var minimum = BinomialBounds.MinimumSampleForZeroErrors(alpha, stratumDelta);
        var best = new SiteClassCertificate(predicted, alpha, null, mine.Length, mine.Count(Labelled), mine.Count(Wrong), 1, minimum);
        int nA = 0, nR = 0, sampledA = 0, wrongA = 0, wrongR = 0, labelled = 0;
        for (var i = 0; i < mine.Length; i++)
        {
            var f = mine[i];
            if (f.Stratum == SiteStratum.Automated)
            {
                nA++;
                if (f.Sampled)
                {
                    sampledA++;
                    wrongA += Wrong(f) ? 1 : 0;
                }
            }
            else
            {
                nR++;
                wrongR += Wrong(f) ? 1 : 0;
            }
            labelled += Labelled(f) ? 1 : 0;
            // A candidate is a distinct confidence: evaluate once every film at this confidence is counted.
            if (i + 1 < mine.Length && mine[i + 1].Confidence == f.Confidence)
                continue;
            if (f.Confidence < floor)
                break;
            if (labelled < minimum)
                continue;
            var upperA = nA == 0 ? 0 : sampledA == 0 ? 1 : BinomialBounds.ClopperPearsonUpper(wrongA, sampledA, stratumDelta);
            var upperR = nR == 0 ? 0 : BinomialBounds.ClopperPearsonUpper(wrongR, nR, stratumDelta);
            var upper = (nA * upperA + nR * upperR) / (nA + nR);
            if (upper > alpha)
                break;
            best = new SiteClassCertificate(predicted, alpha, f.Confidence, nA + nR, labelled, wrongA + wrongR, upper, minimum);
        }
        return best;
    }

    private static bool Labelled(SiteFilm f) => f.Correct is not null && (f.Stratum == SiteStratum.Routed || f.Sampled);

    private static bool Wrong(SiteFilm f) => (f.Stratum == SiteStratum.Routed || f.Sampled) && f.Correct != true;
}
