using CxrQa.Core.Errors;
using Microsoft.AspNetCore.Diagnostics;

namespace CxrQa.Server.Http;

/// <summary>Turns Kestrel's own refusals (body over MaxRequestBodySize, malformed requests) into problem+json with a
/// code; anything else falls through to the generic 500 without internals.</summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            LogUnhandled(exception.GetType().Name);
            return false;
        }
        var code = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? ErrorCodes.FileTooLarge : ApiErrorCodes.BadRequest;
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "the request body is larger than the upload limit" : "malformed request",
                Extensions = { ["code"] = code },
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "unhandled {ExceptionType} while serving a request")]
    private partial void LogUnhandled(string exceptionType);
}
