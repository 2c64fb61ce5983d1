using CxrQa.Core.Errors;
using CxrQa.Server.Cases;
using CxrQa.Server.Http;
using CxrQa.Server.Security;
using CxrQa.Storage;

namespace CxrQa.Server.Endpoints;

public static class CaseEndpoints
{
    public static void MapCases(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/cases").AddEndpointFilter(new ApiKeyFilter(ApiKeyFilter.ReadRoles));
        group.MapGet("/{id}", GetCaseAsync).WithName("GetCase").WithSummary("A stored case")
            .Produces<CaseView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/image", (string id, ICaseStore store, CaseFiles files, CancellationToken ct) =>
                FileAsync(id, store, files, r => (r.FilmFile, r.ContentType), ct))
            .WithName("GetCaseImage").WithSummary("The stored film bytes, with their content type")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/heatmap.png", HeatmapAsync)
            .WithName("GetCaseHeatmap").WithSummary("Grad-CAM overlay at the film's own size")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/display.png", (string id, ICaseStore store, CaseFiles files, FilmPreviews previews, CancellationToken ct) =>
                PreviewAsync(id, store, files, previews, FilmPreviews.DisplayLongSide, ct))
            .WithName("GetCaseDisplay").WithSummary("The decoded film (DICOM too) as an 8-bit grey PNG, long side at most 1024 px")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/thumbnail.png", (string id, ICaseStore store, CaseFiles files, FilmPreviews previews, CancellationToken ct) =>
                PreviewAsync(id, store, files, previews, FilmPreviews.ThumbnailLongSide, ct))
            .WithName("GetCaseThumbnail").WithSummary("The decoded film as an 8-bit grey PNG, long side at most 160 px")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> GetCaseAsync(string id, ICaseStore store, IReviewStore reviews, CaseService cases, CancellationToken ct)
    {
        var record = CaseFiles.IsValidId(id) ? await store.GetAsync(id, ct) : null;
        if (record is null)
            return NotFound(id);
        var review = await reviews.GetAsync(id, ct);
        return TypedResults.Ok(CaseView.From(record, cases.Policy, review?.Review));
    }

    private static async Task<IResult> PreviewAsync(string id, ICaseStore store, CaseFiles files, FilmPreviews previews, int longSide,
        CancellationToken ct)
    {
        var record = CaseFiles.IsValidId(id) ? await store.GetAsync(id, ct) : null;
        if (record is null)
            return NotFound(id);
        var path = files.PathOf(id, record.FilmFile);
        if (!File.Exists(path))
            return Problems.Create(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, "the case's file is missing");
        var film = await File.ReadAllBytesAsync(path, ct);
        try
        {
            var png = await Task.Run(() => previews.RenderPng(film, longSide), ct);
            return TypedResults.File(png, "image/png");
        }
        catch (CxrQaException e)
        {
            // The film was decoded when it was screened; a failure now (e.g. gdcmconv removed since) is the film's error.
            return Problems.From(ApiException.FromFilm(e.Code, e.Message));
        }
    }

    private static async Task<IResult> FileAsync(string id, ICaseStore store, CaseFiles files,
        Func<CaseRecord, (string File, string ContentType)> pick, CancellationToken ct)
    {
        var record = CaseFiles.IsValidId(id) ? await store.GetAsync(id, ct) : null;
        if (record is null)
            return NotFound(id);
        var (file, contentType) = pick(record);
        var path = files.PathOf(id, file);
        return File.Exists(path)
            ? TypedResults.PhysicalFile(path, contentType)
            : Problems.Create(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, "the case's file is missing");
    }

    /// <summary>The overlay is drawn on the first request and kept in the case folder (HeatmapOverlays).</summary>
    private static async Task<IResult> HeatmapAsync(string id, ICaseStore store, HeatmapOverlays overlays, CancellationToken ct)
    {
        var record = CaseFiles.IsValidId(id) ? await store.GetAsync(id, ct) : null;
        if (record is null)
            return NotFound(id);
        return await overlays.PathAsync(record, ct) is { } path
            ? TypedResults.PhysicalFile(path, "image/png")
            : Problems.Create(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, "the case's file is missing");
    }

    private static IResult NotFound(string id) =>
        Problems.Create(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, "no case with this id");
}
