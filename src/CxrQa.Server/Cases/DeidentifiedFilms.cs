using CxrQa.Core.Dicom;
using CxrQa.Storage;

namespace CxrQa.Server.Cases;

/// <summary>
/// The copy of a stored DICOM film served to readers whose role does not allow identified data (a submitter reading
/// its own case, anyone on an open loopback server): <see cref="DicomDeidentifier"/>, made once and kept in the case
/// folder as <see cref="FileName"/> (<see cref="CaseRenderings"/>), parsed within the preview budget.
/// </summary>
public sealed class DeidentifiedFilms(CaseRenderings renderings, FilmLimits limits)
{
    /// <summary>Versioned with the de-identification rules: when they change, the name changes, so a copy made under
    /// older rules is never served (it stays in the case folder, private, until the case is removed).</summary>
    public const string FileName = "film.deid.v2.dcm";

    public Task<string?> PathAsync(CaseRecord record, CancellationToken cancellationToken)
    {
        limits.CheckPreviewBudget(record);
        return renderings.PathAsync(record, FileName, film => DicomDeidentifier.Deidentify(film, limits.Preview(film.Length)), cancellationToken);
    }
}
