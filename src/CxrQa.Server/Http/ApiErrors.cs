using CxrQa.Core.Errors;

namespace CxrQa.Server.Http;

/// <summary>Stable codes of the errors the server adds to <see cref="ErrorCodes"/> (film errors keep theirs).</summary>
public static class ApiErrorCodes
{
    public const string MissingFile = "missing_file";
    public const string TooManyFiles = "too_many_files";
    public const string InvalidFileName = "invalid_file_name";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string BadRequest = "bad_request";
    /// <summary>A JSON body (review decision, admin request) over <see cref="JsonBody.MaxBytes"/>; films keep
    /// <see cref="ErrorCodes.FileTooLarge"/>.</summary>
    public const string BodyTooLarge = "body_too_large";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string MissingApiKey = "missing_api_key";
    public const string InvalidApiKey = "invalid_api_key";
    public const string Forbidden = "forbidden";
    public const string QueueFull = "queue_full";
    public const string Timeout = "timeout";
    public const string NotReady = "not_ready";
    public const string Internal = "internal_error";
    public const string Conflict = "conflict";
    public const string AlreadyClaimed = "already_claimed";
    public const string AlreadyDecided = "already_decided";
    public const string NotClaimedByYou = "not_claimed_by_you";
    public const string InvalidLabel = "invalid_label";
    public const string InvalidNote = "invalid_note";
    public const string InvalidQuery = "invalid_query";
    public const string InvalidReason = "invalid_reason";
    public const string NotPaused = "not_paused";
    public const string AuditBoundExceeded = "audit_bound_exceeded";

    /// <summary>HTTP status for a film error code.</summary>
    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.EmptyFile => StatusCodes.Status400BadRequest,
        ErrorCodes.FileTooLarge or ErrorCodes.ImageTooLarge or BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.UnsupportedFormat => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.CorruptImage or ErrorCodes.TruncatedImage or ErrorCodes.DicomMalformed or ErrorCodes.DicomNoPixelData
            or ErrorCodes.UnsupportedTransferSyntax or ErrorCodes.UnsupportedPhotometric or ErrorCodes.UnsupportedPixelFormat
            => StatusCodes.Status422UnprocessableEntity,
        MissingFile or TooManyFiles or InvalidFileName or BadRequest => StatusCodes.Status400BadRequest,
        UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Default code for a bare status (unknown routes, framework errors).</summary>
    public static string CodeForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => MissingApiKey,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        413 => ErrorCodes.FileTooLarge,
        415 => UnsupportedMediaType,
        503 => NotReady,
        _ when status >= 500 => Internal,
        _ => BadRequest,
    };
}

/// <summary>An error the endpoint turns into problem+json.</summary>
public sealed class ApiException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static ApiException FromFilm(string code, string message) => new(ApiErrorCodes.StatusFor(code), code, message);
}

public static class Problems
{
    public static IResult Create(int status, string code, string detail, string? title = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    public static IResult From(ApiException e) => Create(e.Status, e.Code, e.Message);
}
