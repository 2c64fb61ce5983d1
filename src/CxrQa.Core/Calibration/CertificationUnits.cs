namespace CxrQa.Core.Calibration;

/// <summary>
/// Who each calibration film belongs to and whether production would automate it: one entry per calibration film, in
/// the same order as the probabilities handed to <see cref="ClassConditionalRiskControl"/>.
/// </summary>
/// <param name="PatientIds">
/// The patient of each film. Films of one patient share their errors (same anatomy, same disease, often the same
/// visit), so they are not independent draws; certification then counts one film per patient
/// (<see cref="CertificationSample"/>). Null: every film is its own unit (only right when no patient has two films).
/// </param>
/// <param name="Eligible">
/// Whether each film passes every gate production applies before a threshold (quality, out-of-distribution, view).
/// Ineligible films go to review whatever their confidence, so they are left out of certification: the certificate
/// must describe the films production actually automates. Null: every film is eligible.
/// </param>
/// <param name="FilmKeys">
/// A stable name of each film (file name, content hash) that picks a patient's film; null: the film's position among
/// that patient's films in input order. Never a label or a score.
/// </param>
public sealed record CertificationUnits(string[]? PatientIds, bool[]? Eligible = null, string[]? FilmKeys = null)
{
    /// <summary>Every film is its own unit (no patient ids), with an optional eligibility mask.</summary>
    public static CertificationUnits PerFilm(bool[]? eligible = null) => new(null, eligible);

    /// <summary>"patients" when one film per patient is certified, else "films" (the card's <c>units</c>).</summary>
    public string UnitName => PatientIds is null ? UnitNames.Films : UnitNames.Patients;

    /// <summary>Throws unless every array given has one entry per film and no patient id is null or empty.</summary>
    public void Validate(int films)
    {
        Check(PatientIds?.Length, films, nameof(PatientIds));
        Check(Eligible?.Length, films, nameof(Eligible));
        Check(FilmKeys?.Length, films, nameof(FilmKeys));
        if (PatientIds is not null && PatientIds.Any(string.IsNullOrEmpty))
            throw new ArgumentException("a patient id is null or empty", nameof(PatientIds));
        if (FilmKeys is not null && FilmKeys.Any(k => k is null))
            throw new ArgumentException("a film key is null", nameof(FilmKeys));
    }

    private static void Check(int? length, int films, string name)
    {
        if (length is { } n && n != films)
            throw new ArgumentException($"{n} entries in {name} but {films} calibration films", name);
    }
}

/// <summary>The values of the card's <c>units</c> field.</summary>
public static class UnitNames
{
    public const string Films = "films";
    public const string Patients = "patients";
}
