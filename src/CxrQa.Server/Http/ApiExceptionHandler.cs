using System.Globalization;
using CxrQa.Core.Errors;
using CxrQa.Server.Inference;
using CxrQa.Server.Metrics;
using Microsoft.AspNetCore.Diagnostics;

namespace CxrQa.Server.Http;

/// <summary>
/// The one path from an exception to problem+json: an <see cref="ApiException"/> a service or endpoint throws (its status
/// and code), a full inference queue (503 <c>queue_full</c>, Retry-After), Kestrel's own refusals (body over
/// MaxRequestBodySize: 413 <c>file_too_large</c>; malformed requests: 400). Each is counted in cxrqa_errors_total.
/// Anything else falls through to the generic 500 without internals.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ServerMetrics metrics, ServerOptions options,
    ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var (status, code, detail) = exception switch
        {
            ApiException e => (e.Status, e.Code, e.Message),
            QueueFullException => (StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.QueueFull,
                "the server is busy screening other films; retry shortly"),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge,
                ErrorCodes.FileTooLarge, "the request body is larger than the upload limit"),
            BadHttpRequestException bad => (bad.StatusCode, ApiErrorCodes.BadRequest, "malformed request"),
            _ => (0, "", ""),
        };
        if (status == 0)
        {
            LogUnhandled(exception.GetType().Name);
            return false;
        }
        metrics.CountError(code);
        if (status == StatusCodes.Status503ServiceUnavailable)
            httpContext.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Detail = detail, Extensions = { ["code"] = code } },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "unhandled {ExceptionType} while serving a request")]
    private partial void LogUnhandled(string exceptionType);
}
