using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using CxrQa.Server.Cases;
using CxrQa.Server.Http;
using CxrQa.Server.Security;

namespace CxrQa.Server.Endpoints;

/// <summary>/cases/*: a stored case and its film's views, for the requests <see cref="CaseAccess"/> lets read it (404
/// for the others, as for an unknown id). Every view of the film is an audit event (<c>film_read</c>).</summary>
public static class CaseEndpoints
{
    public static void MapCases(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/cases").RequireAuthorization(ApiPolicies.Reader);
        group.MapGet("/{id}", GetCaseAsync).WithName("GetCase").WithSummary("A stored case")
            .Produces<CaseView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/image", ImageAsync)
            .WithName("GetCaseImage")
            .WithSummary("The stored film with its content type (DICOM de-identified unless the key is a reviewer's or an admin's)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/heatmap.png", HeatmapAsync)
            .WithName("GetCaseHeatmap").WithSummary("Grad-CAM overlay at the film's own size")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/display.png", (string id, HttpContext http, CaseAccess access, FilmPreviews previews, CancellationToken ct) =>
                PreviewAsync(id, http, access, previews, PreviewSize.Display, FilmViews.Display, ct))
            .WithName("GetCaseDisplay").WithSummary("The decoded film (DICOM too) as an 8-bit grey PNG, long side at most 1024 px")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/{id}/thumbnail.png", (string id, HttpContext http, CaseAccess access, FilmPreviews previews, CancellationToken ct) =>
                PreviewAsync(id, http, access, previews, PreviewSize.Thumbnail, FilmViews.Thumbnail, ct))
            .WithName("GetCaseThumbnail").WithSummary("The decoded film as an 8-bit grey PNG, long side at most 160 px")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<IResult> GetCaseAsync(string id, HttpContext http, CaseAccess access, CaseService cases, CancellationToken ct)
    {
        // The case's JSON carries no patient data (no film, no DICOM header values): not a film read.
        var readable = await access.FindAsync(id, http, ct);
        return readable is null ? NotFound() : TypedResults.Ok(CaseView.From(readable.Record, cases.Policy, readable.Review));
    }

    private static async Task<IResult> ImageAsync(string id, HttpContext http, CaseAccess access, CaseFiles files,
        DeidentifiedFilms deidentified, CancellationToken ct)
    {
        var readable = await access.FindAsync(id, http, ct);
        if (readable is null)
            return NotFound();
        var record = readable.Record;
        var deidentify = record.ContentType == CaseService.StoredFilm(ImageFormat.Dicom).ContentType && !readable.MayReadIdentified;
        return await ServeAsync(access, readable, FilmViews.Image, deidentify, record.ContentType,
            () => deidentify ? deidentified.PathAsync(record, ct) : Task.FromResult<string?>(files.PathOf(record.Id, record.FilmFile)), ct);
    }

    private static async Task<IResult> PreviewAsync(string id, HttpContext http, CaseAccess access, FilmPreviews previews,
        PreviewSize size, string view, CancellationToken ct)
    {
        var readable = await access.FindAsync(id, http, ct);
        if (readable is null)
            return NotFound();
        return await ServeAsync(access, readable, view, deidentified: true, "image/png", () => previews.PathAsync(readable.Record, size, ct), ct);
    }

    /// <summary>The overlay is drawn on the first request and kept in the case folder (HeatmapOverlays).</summary>
    private static async Task<IResult> HeatmapAsync(string id, HttpContext http, CaseAccess access, HeatmapOverlays overlays, CancellationToken ct)
    {
        var readable = await access.FindAsync(id, http, ct);
        if (readable is null)
            return NotFound();
        return await ServeAsync(access, readable, FilmViews.Heatmap, deidentified: true, "image/png", () => overlays.PathAsync(readable.Record, ct), ct);
    }

    /// <summary>Finds (or renders) the file, audits the read, then serves it; a missing file is a 404 and no read.</summary>
    private static async Task<IResult> ServeAsync(CaseAccess access, ReadableCase readable, string view, bool deidentified,
        string contentType, Func<Task<string?>> locate, CancellationToken ct)
    {
        string? path;
        try
        {
            path = await locate();
        }
        catch (CxrQaException e)
        {
            // The film was decoded when it was screened; a failure now (over the preview budget, gdcmconv removed
            // since) is the film's error.
            return Problems.From(ApiException.FromFilm(e.Code, e.Message));
        }
        if (path is null || !File.Exists(path))
            return Problems.Create(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, "the case's file is missing");
        await access.AuditReadAsync(readable, view, deidentified, ct);
        return TypedResults.PhysicalFile(path, contentType);
    }

    private static IResult NotFound() =>
        Problems.Create(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, "no case with this id");
}
