using CxrQa.Server.Cases;
using CxrQa.Server.DicomWeb;
using CxrQa.Server.Http;
using CxrQa.Server.Security;

namespace CxrQa.Server.Endpoints;

/// <summary>DICOMweb Studies Store (STOW-RS, PS3.18 10.5) at /dicomweb: how a PACS or modality sends films in.</summary>
public static class DicomWebEndpoints
{
    public const string Root = "/dicomweb";

    public static void MapDicomWeb(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Root);
        Describe(group.MapPost("/studies", (HttpContext http, StowService stow, ServerOptions options, CancellationToken ct) =>
                StoreAsync(http, null, stow, options, ct))
            .WithName("StoreInstances")
            .WithSummary("DICOMweb Store Instances (STOW-RS): screen DICOM films")
            .WithDescription("multipart/related; type=\"application/dicom\" with one Part-10 instance per part, or one application/dicom " +
                "body. Each film becomes a case. Answers application/dicom+json (PS3.18 Annex I): ReferencedSOPSequence with each case's " +
                "URL, FailedSOPSequence with the Failure Reason; 200 all stored, 202 some, 409 none."));
        Describe(group.MapPost("/studies/{study}", (string study, HttpContext http, StowService stow, ServerOptions options,
                CancellationToken ct) => StoreAsync(http, study, stow, options, ct))
            .WithName("StoreStudyInstances")
            .WithSummary("DICOMweb Store Instances into one study: instances of another study fail (A900)"));
    }

    private static void Describe(RouteHandlerBuilder builder) =>
        builder.Accepts<IFormFile>("multipart/related", UploadReader.DicomMediaType)
                .Produces(StatusCodes.Status200OK, contentType: StoreInstancesResponse.MediaType)
                .Produces(StatusCodes.Status202Accepted, contentType: StoreInstancesResponse.MediaType)
                .Produces(StatusCodes.Status409Conflict, contentType: StoreInstancesResponse.MediaType)
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
                .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
                .RequireAuthorization(ApiPolicies.Submitter);

    /// <summary>Refusals outside the standard's answer (bad upload, timeout) are thrown and answered by
    /// <see cref="ApiExceptionHandler"/>, as for /predict.</summary>
    private static async Task<IResult> StoreAsync(HttpContext http, string? study, StowService stow, ServerOptions options,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            var parts = await UploadReader.ReadStowAsync(http.Request, options, timeout.Token);
            var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
            var outcome = await stow.StoreAsync(parts, study, http.User.ApiKeyActor(), id => baseUrl + CaseUrls.Case(id), timeout.Token);
            if (outcome.RetryLater)
                http.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Text(outcome.Response.ToJson().ToJsonString(), StoreInstancesResponse.MediaType, statusCode: outcome.Response.HttpStatus);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.Timeout,
                $"no answer within {options.RequestTimeout.TotalSeconds:0} s; retry shortly");
        }
    }
}
