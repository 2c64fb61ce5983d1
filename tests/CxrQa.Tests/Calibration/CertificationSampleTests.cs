using CxrQa.Core.Calibration;

namespace CxrQa.Tests.Calibration;

public sealed class CertificationSampleTests
{
    private static readonly string[] Patients = ["a", "a", "a", "b", "c", "c", "d"];

    [Fact]
    public void Keeps_exactly_one_film_per_patient()
    {
        var chosen = CertificationSample.Indices(Patients.Length, new CertificationUnits(Patients), null);
        Assert.Equal(4, chosen.Length);
        Assert.Equal(["a", "b", "c", "d"], chosen.Select(i => Patients[i]).Order().ToArray());
        Assert.Equal(chosen.Order().ToArray(), chosen);
    }

    [Fact]
    public void Never_keeps_an_ineligible_film_and_drops_a_patient_with_none()
    {
        bool[] eligible = [false, true, false, false, true, true, true];
        var chosen = CertificationSample.Indices(Patients.Length, new CertificationUnits(Patients, eligible), eligible);
        Assert.All(chosen, i => Assert.True(eligible[i]));
        Assert.Equal(["a", "c", "d"], chosen.Select(i => Patients[i]).Order().ToArray());
        Assert.Contains(1, chosen); // patient a's only eligible film
    }

    [Fact]
    public void Without_patients_every_eligible_film_is_a_unit()
    {
        Assert.Equal([0, 1, 2, 3], CertificationSample.Indices(4, null, null));
        Assert.Equal([1, 3], CertificationSample.Indices(4, CertificationUnits.PerFilm(), [false, true, false, true]));
    }

    [Fact]
    public void The_choice_follows_film_keys_not_input_order()
    {
        // The same films listed in two orders: the chosen film of each patient is the same film.
        string[] keys = ["a1.png", "a2.png", "a3.png", "b1.png", "c1.png", "c2.png", "d1.png"];
        var forward = CertificationSample.Indices(7, new CertificationUnits(Patients, FilmKeys: keys), null).Select(i => keys[i]).Order();
        var order = new[] { 6, 5, 4, 3, 2, 1, 0 };
        var reversedPatients = order.Select(i => Patients[i]).ToArray();
        var reversedKeys = order.Select(i => keys[i]).ToArray();
        var backward = CertificationSample.Indices(7, new CertificationUnits(reversedPatients, FilmKeys: reversedKeys), null).Select(i => reversedKeys[i]).Order();
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void The_rank_is_a_fixed_function_of_the_names()
    {
        // Pinned: a per-process randomised hash (string.GetHashCode) would change the certified films between runs.
        Assert.Equal(CertificationSample.Rank("patient-1", "0"), CertificationSample.Rank("patient-1", "0"));
        Assert.NotEqual(CertificationSample.Rank("patient-1", "0"), CertificationSample.Rank("patient-1", "1"));
        Assert.Equal(0x_9D33_20F2_8DDB_9480UL, CertificationSample.Rank("patient-1", "0"));
    }

    [Fact]
    public void Each_film_of_a_patient_is_chosen_about_equally_often()
    {
        // Exchangeability needs the chosen film to be like a uniformly random one: over many 3-film patients each
        // position wins about a third of the time.
        var patients = Enumerable.Range(0, 30_000).Select(i => $"p{i / 3}").ToArray();
        var wins = new int[3];
        foreach (var i in CertificationSample.Indices(patients.Length, new CertificationUnits(patients), null))
            wins[i % 3]++;
        Assert.All(wins, w => Assert.InRange(w, 10_000 / 3.0 - 200, 10_000 / 3.0 + 200));
    }

    [Fact]
    public void Films_as_units_without_a_mask_is_the_old_behaviour_and_a_mask_is_fitting_on_the_eligible_films()
    {
        var random = new Random(7);
        var p = Enumerable.Range(0, 4000).Select(_ => 1 - Math.Pow(random.NextDouble(), 6)).ToArray();
        var labels = p.Select(v => random.NextDouble() < v ? 1 : 0).ToArray();
        var eligible = p.Select(_ => random.NextDouble() < 0.8).ToArray();
        var options = new RiskControlOptions { AlphaPneumonia = 0.05 };

        var plain = ClassConditionalRiskControl.Fit(p, labels, options);
        var perFilm = ClassConditionalRiskControl.Fit(p, labels, options, CertificationUnits.PerFilm());
        Assert.Equal(plain, perFilm);
        Assert.Equal("films", plain.Units);
        Assert.Null(plain.PatientsCertified);

        var masked = ClassConditionalRiskControl.Fit(p, labels, options, CertificationUnits.PerFilm(eligible));
        var subset = ClassConditionalRiskControl.Fit(p.Where((_, i) => eligible[i]).ToArray(), labels.Where((_, i) => eligible[i]).ToArray(), options);
        Assert.NotNull(subset.Pneumonia.Threshold);
        Assert.Equal(subset.Pneumonia, masked.Pneumonia);
        Assert.Equal(subset.Normal, masked.Normal);
        Assert.Equal(eligible.Count(e => e), masked.EligibleCases);
        // Coverage counts every film: the ineligible ones go to review.
        Assert.Equal(subset.OverallCoverage * eligible.Count(e => e) / p.Length, masked.OverallCoverage, 1e-12);
    }

    [Fact]
    public void Patients_with_one_film_each_certify_exactly_like_films()
    {
        var random = new Random(11);
        var p = Enumerable.Range(0, 3000).Select(_ => random.NextDouble()).ToArray();
        var labels = p.Select(v => random.NextDouble() < v ? 1 : 0).ToArray();
        var options = new RiskControlOptions { AlphaNormal = 0.05, AlphaPneumonia = 0.05 };
        var ids = Enumerable.Range(0, p.Length).Select(i => $"patient-{i}").ToArray();

        var films = ClassConditionalRiskControl.Fit(p, labels, options);
        var patients = ClassConditionalRiskControl.Fit(p, labels, options, new CertificationUnits(ids));

        Assert.NotNull(films.Pneumonia.Threshold);
        Assert.Equal(films.Normal, patients.Normal);
        Assert.Equal(films.Pneumonia, patients.Pneumonia);
        Assert.Equal(films.OverallCoverage, patients.OverallCoverage);
        Assert.Equal("patients", patients.Units);
        Assert.Equal(3000, patients.PatientsCertified);
    }

    [Fact]
    public void Rejects_arrays_of_the_wrong_length()
    {
        Assert.Throws<ArgumentException>(() => CertificationSample.Indices(3, new CertificationUnits(["a", "b"]), null));
        Assert.Throws<ArgumentException>(() => CertificationSample.Indices(2, new CertificationUnits(["a", "b"], [true]), null));
        Assert.Throws<ArgumentException>(() => CertificationSample.Indices(2, null, [true]));
        Assert.Throws<ArgumentException>(() => CertificationSample.Indices(2, new CertificationUnits(["a", ""]), null));
        Assert.Throws<ArgumentException>(() => ClassConditionalRiskControl.Fit([0.9, 0.1], [1, 0], new RiskControlOptions(), new CertificationUnits(["a"])));
    }
}
