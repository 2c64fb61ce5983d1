using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace CxrQa.Server.Http;

/// <summary>
/// Reads the small JSON bodies of the review and admin endpoints strictly: at most <see cref="MaxBytes"/> (413
/// <c>body_too_large</c>), a JSON content type, and each property at most once (System.Text.Json's
/// <c>AllowDuplicateProperties = false</c> in <see cref="Cases.ServerJson"/>): a body such as
/// <c>{"label":"Normal","label":"Pneumonia"}</c> is refused rather than read as whichever value comes last.
/// </summary>
public static class JsonBody
{
    /// <summary>A decision or a resume reason is a few hundred bytes; 64 KiB leaves room for long notes.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Endpoint metadata that makes Kestrel stop reading a body past <see cref="MaxBytes"/> (the routing
    /// middleware applies it), also on endpoints that never read their body.</summary>
    public static IRequestSizeLimitMetadata Limit { get; } = new BodySizeLimit(MaxBytes);

    /// <param name="invalidCode">The endpoint's code for a body it cannot read (400).</param>
    /// <param name="expected">What to send, for the problem's detail.</param>
    public static async Task<T?> ReadAsync<T>(HttpRequest request, string invalidCode, string expected, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
            throw TooLarge();
        if (!request.HasJsonContentType())
            throw new ApiException(StatusCodes.Status400BadRequest, invalidCode, $"send a JSON body (application/json): {expected}");
        byte[] bytes;
        try
        {
            bytes = await ReadBoundedAsync(request.Body, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge();
        }
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Cases.ServerJson.Options);
        }
        catch (JsonException)
        {
            // The parser's own message is not passed on: it may quote the client's text back into logs and proxies.
            throw new ApiException(StatusCodes.Status400BadRequest, invalidCode,
                $"the body is not valid JSON of the expected shape (each property at most once): {expected}");
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ApiException TooLarge() => new(StatusCodes.Status413PayloadTooLarge, ApiErrorCodes.BodyTooLarge,
        $"the JSON body is larger than {MaxBytes} bytes");

    private sealed record BodySizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
