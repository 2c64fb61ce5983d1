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
    public const string FileName = "film.deid.dcm";

    public Task<string?> PathAsync(CaseRecord record, CancellationToken cancellationToken)
    {
        limits.CheckPreviewBudget(record);
        return renderings.PathAsync(record, FileName, film => DicomDeidentifier.Deidentify(film, limits.Preview(film.Length)), cancellationToken);
    }
}
