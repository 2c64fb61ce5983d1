using System.Reflection;
using System.Security.Cryptography;
using CxrQa.Server.Http;
using Microsoft.Net.Http.Headers;

namespace CxrQa.Server.Endpoints;

/// <summary>
/// The radiologists' review page (issue 7): static HTML, CSS and JavaScript under /review, talking to the review API
/// with the reviewer's own key. The files are embedded resources of this assembly, not loose content files: whatever
/// copies the server (build output, <c>dotnet publish</c>, a Docker image of the publish folder) carries the page
/// inside CxrQa.Server.dll, so the page can never be missing or out of step with the server that serves it.
/// </summary>
public static class ReviewPageEndpoints
{
    /// <summary>
    /// Scripts, styles, fonts and connections from this origin only (no inline script or style, so an injected
    /// fragment cannot run); images also from blob: (films and thumbnails are fetched with the key, then shown from
    /// blobs) and data:. No framing (clickjacking of the decision buttons), no plugins, no base-URI rewriting.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string ResourcePrefix = "review/";

    private static readonly Dictionary<string, PageFile> Files = Load();

    public static void MapReviewPage(this IEndpointRouteBuilder app)
    {
        // /review (and /review/: routing ignores a trailing slash) answers the page; its assets use absolute
        // /review/... paths, so both work.
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/review", methods, (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription();
        app.MapMethods("/review/{file}", methods, (HttpContext http, string file) => Serve(http, file)).ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext http, string name)
    {
        // Only the embedded names are served: the route value is a dictionary key, never a path.
        if (!Files.TryGetValue(name, out var file))
            return Problems.Create(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, "no such file of the review page");
        var headers = http.Response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.XFrameOptions] = "DENY";
        // Revalidate every time (cheap: 304 by ETag) so a new server version never runs with a stale script.
        headers[HeaderNames.CacheControl] = "no-cache";
        headers[HeaderNames.ETag] = file.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(file.ETag))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(file.Bytes, file.ContentType);
    }

    private static Dictionary<string, PageFile> Load()
    {
        var assembly = typeof(ReviewPageEndpoints).Assembly;
        var files = new Dictionary<string, PageFile>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var name = resource[ResourcePrefix.Length..];
            files[name] = new PageFile(bytes, ContentTypeOf(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }
        // A build that lost the page must fail at start-up, not serve 404s to a radiologist.
        if (!files.ContainsKey("index.html"))
            throw new InvalidOperationException($"the review page is not embedded in {assembly.GetName().Name}");
        return files;
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };

    private sealed record PageFile(byte[] Bytes, string ContentType, string ETag);
}
