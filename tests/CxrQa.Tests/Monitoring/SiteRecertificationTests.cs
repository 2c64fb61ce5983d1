using CxrQa.Core.Calibration;
using CxrQa.Core.Monitoring;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Tests.Monitoring;

public sealed class SiteRecertificationTests
{
    private static IEnumerable<SiteFilm> Routed(int count, double confidence, ScreeningClass predicted = ScreeningClass.Normal, bool? correct = true) =>
        Enumerable.Range(0, count).Select(i => new SiteFilm(predicted, confidence - i * 1e-6, SiteStratum.Routed, false, correct));

    [Fact]
    public void Normal_is_certified_only_once_enough_routed_normals_were_read_and_found_right()
    {
        // 1 % at delta 5 %, split over two strata: a perfect record needs ln(0.025) / ln(0.99) = 367.04, so 368 films.
        var few = SiteRecertification.CertifyClass(Routed(300, 0.99).ToList(), ScreeningClass.Normal, 0.01, 0.05);
        var enough = SiteRecertification.CertifyClass(Routed(400, 0.99).ToList(), ScreeningClass.Normal, 0.01, 0.05);

        Assert.Equal(368, few.MinimumLabelled);
        Assert.Null(few.Threshold);
        Assert.NotNull(enough.Threshold);
        Assert.Equal(400, enough.Labelled);
        Assert.True(enough.UpperBound <= 0.01);
    }

    [Fact]
    public void Undecided_and_unreadable_routed_films_count_as_wrong()
    {
        var films = Routed(400, 0.99).Concat(Routed(5, 0.995, correct: null)).ToList();

        var certificate = SiteRecertification.CertifyClass(films, ScreeningClass.Normal, 0.01, 0.05);

        // The five undecided films sit at the top: every threshold includes them, and five of ~400 breaks 1 %.
        Assert.Null(certificate.Threshold);
    }

    [Fact]
    public void Automated_films_weigh_by_their_stratum_not_by_their_sample()
    {
        // 10 000 automated Pneumonia answers of which a 5 % audit sample (500) was read, all right, and 400 routed ones
        // at lower confidence, 20 wrong (5 %). The 500 read films stand for 10 000: diluted by them, the routed films'
        // 5 % still fits a 2 % promise, which it would not if each read film counted once.
        var automated = Enumerable.Range(0, 10_000).Select(i => new SiteFilm(ScreeningClass.Pneumonia, 0.999 - i * 1e-8,
            SiteStratum.Automated, Sampled: i % 20 == 0, Correct: i % 20 == 0 ? true : null));
        var routed = Enumerable.Range(0, 400).Select(i => new SiteFilm(ScreeningClass.Pneumonia, 0.7 - i * 1e-5,
            SiteStratum.Routed, false, i % 20 != 0));

        var certificate = SiteRecertification.CertifyClass(automated.Concat(routed).ToList(), ScreeningClass.Pneumonia, 0.02, 0.05);

        var expected = (10_000 * BinomialBounds.ClopperPearsonUpper(0, 500, 0.025) + 400 * BinomialBounds.ClopperPearsonUpper(20, 400, 0.025)) / 10_400;
        Assert.Equal(0.7 - 399 * 1e-5, certificate.Threshold!.Value, 12);
        Assert.Equal((900, 20, 10_400), (certificate.Labelled, certificate.Wrong, certificate.Films));
        Assert.Equal(expected, certificate.UpperBound, 12);
        // Counted once each, 20 wrong of 900 read films (2.2 %) could never certify 2 %.
        Assert.True(BinomialBounds.ClopperPearsonUpper(20, 900, 0.05) > 0.02);
    }
}
