using CxrQa.Server.Cases;
using CxrQa.Server.Http;
using CxrQa.Server.Security;

namespace CxrQa.Server.Endpoints;

public static class PredictEndpoints
{
    public static void MapPredict(this IEndpointRouteBuilder app)
    {
        app.MapPost("/predict", PredictAsync)
            .WithName("Predict")
            .WithSummary("Screen one or more chest films")
            .WithDescription("multipart/form-data with one or more 'file' fields (answered in order: one file gives one object, " +
                "several give an array whose failed items are {file, error}), or a raw body typed image/jpeg, image/png or application/dicom.")
            .Accepts<IFormFile>("multipart/form-data", "image/jpeg", "image/png", "application/dicom")
            .Produces<CaseView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireAuthorization(ApiPolicies.Submitter);
    }

    /// <summary>Refusals (bad upload, full queue, timeout) are thrown and answered by <see cref="ApiExceptionHandler"/>.</summary>
    private static async Task<IResult> PredictAsync(HttpContext http, CaseService cases, ServerOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            var upload = await UploadReader.ReadAsync(http.Request, options, timeout.Token);
            var outcomes = await cases.ScreenAsync(upload.Films, http.User.ApiKeyActor(), timeout.Token);
            if (outcomes.Count == 1)
            {
                var only = outcomes[0];
                return only.Case is { } view ? TypedResults.Ok(view) : Problems.From(only.Error!);
            }
            var items = outcomes.Select(o => o.Case is { } v
                ? (object)v
                : new FailedItemView(o.FileName, new FailedItemError(o.Error!.Code, o.Error.Message, o.Error.Status))).ToList();
            return TypedResults.Ok(items);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.Timeout,
                $"no answer within {options.RequestTimeout.TotalSeconds:0} s; retry shortly");
        }
    }
}
