using CxrQa.Core.Errors;
using CxrQa.Core.Pipeline;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CxrQa.Server.Http;

/// <summary>An upload as the server read it: the films in order, and whether the client sent a list (multipart).</summary>
public sealed record Upload(IReadOnlyList<FilmInput> Films, bool IsMultipart);

/// <summary>One part of a STOW-RS body: its 1-based position, its media type and its bytes.</summary>
public sealed record StowPart(int Index, string MediaType, byte[] Bytes);

/// <summary>
/// Reads /predict bodies: multipart/form-data with one or more <c>file</c> parts, or a raw body typed image/jpeg,
/// image/png or application/dicom. Every size is bounded while reading; upload file names are checked (no paths)
/// but never used for storage or logged.
/// </summary>
public static class UploadReader
{
    public const string FileField = "file";

    public static IReadOnlyList<string> RawContentTypes { get; } = ["image/jpeg", "image/png", "application/dicom"];

    public static async Task<Upload> ReadAsync(HttpRequest request, ServerOptions options, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > options.MaxUploadBytes + MultipartAllowance)
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, ErrorCodes.FileTooLarge,
                $"the request body is {declared} bytes; the limit is {options.MaxUploadBytes}");
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType.Value is not { } mediaType)
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ApiErrorCodes.UnsupportedMediaType,
                "send multipart/form-data with a 'file' field, or a raw body typed image/jpeg, image/png or application/dicom");

        if (mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return new Upload(await ReadMultipartAsync(request, contentType, options, cancellationToken), IsMultipart: true);

        if (!RawContentTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ApiErrorCodes.UnsupportedMediaType,
                $"content type '{mediaType}' is not accepted: use image/jpeg, image/png, application/dicom or multipart/form-data");
        var bytes = await ReadBoundedAsync(request.Body, options.MaxUploadBytes, cancellationToken);
        return new Upload([new FilmInput("body", bytes)], IsMultipart: false);
    }

    /// <summary>Part headers allowed per multipart section, and their total length.</summary>
    public const int HeadersCountLimit = 16;
    public const int HeadersLengthLimit = 16 * 1024;

    /// <summary>Room for multipart boundaries and part headers on top of the film bytes.</summary>
    public const long MultipartAllowance = 1024 * 1024;

    private static async Task<IReadOnlyList<FilmInput>> ReadMultipartAsync(HttpRequest request, MediaTypeHeaderValue contentType,
        ServerOptions options, CancellationToken cancellationToken)
    {
        var films = new List<FilmInput>();
        long total = 0;
        await ForEachSectionAsync(request, contentType, options, async section =>
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.IsFileDisposition() && !disposition.IsFormDisposition())
                return;
            if (!string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, FileField, StringComparison.Ordinal))
            {
                await section.Body.CopyToAsync(Stream.Null, cancellationToken);
                return;
            }
            var name = FileName(disposition);
            CheckPartCount(films.Count, options);
            var bytes = await ReadBoundedAsync(section.Body, options.MaxUploadBytes - total, cancellationToken);
            total += bytes.Length;
            films.Add(new FilmInput(name, bytes));
        }, cancellationToken);
        if (films.Count == 0)
            throw new ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.MissingFile, "no 'file' field in the multipart body");
        return films;
    }

    /// <summary>
    /// Reads a DICOMweb Store Instances (STOW-RS, PS3.18 10.5) body: multipart/related; type="application/dicom" with
    /// one instance per part, or a single application/dicom body. The same limits as /predict (total bytes, parts per
    /// request, part headers). A part of another media type is kept, with its type, for the answer to fail it.
    /// </summary>
    public static async Task<IReadOnlyList<StowPart>> ReadStowAsync(HttpRequest request, ServerOptions options, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > options.MaxUploadBytes + MultipartAllowance)
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, ErrorCodes.FileTooLarge,
                $"the request body is {declared} bytes; the limit is {options.MaxUploadBytes}");
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType.Value is not { } mediaType)
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ApiErrorCodes.UnsupportedMediaType,
                $"send multipart/related; type=\"{DicomMediaType}\" or a single {DicomMediaType} body");
        if (mediaType.Equals(DicomMediaType, StringComparison.OrdinalIgnoreCase))
            return [new StowPart(1, DicomMediaType, await ReadBoundedAsync(request.Body, options.MaxUploadBytes, cancellationToken))];
        if (!mediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase))
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ApiErrorCodes.UnsupportedMediaType,
                $"content type '{mediaType}' is not accepted: use multipart/related; type=\"{DicomMediaType}\" or {DicomMediaType}");
        // The root type names what every part is (PS3.18 8.6.1.2); the metadata-and-bulk-data forms (dicom+json,
        // dicom+xml) are not supported. A missing type is tolerated: each part's own type is checked.
        var rootType = contentType.Parameters.FirstOrDefault(p => p.Name.Equals("type", StringComparison.OrdinalIgnoreCase))?.Value;
        if (rootType is { } t && !HeaderUtilities.RemoveQuotes(t).Equals(DicomMediaType, StringComparison.OrdinalIgnoreCase))
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ApiErrorCodes.UnsupportedMediaType,
                $"multipart/related of type '{HeaderUtilities.RemoveQuotes(t)}' is not accepted: only type=\"{DicomMediaType}\" (Part-10 instances)");

        var parts = new List<StowPart>();
        long total = 0;
        await ForEachSectionAsync(request, contentType, options, async section =>
        {
            CheckPartCount(parts.Count, options);
            var partType = MediaTypeHeaderValue.TryParse(section.ContentType, out var parsed) ? parsed.MediaType.Value : null;
            var bytes = await ReadBoundedAsync(section.Body, options.MaxUploadBytes - total, cancellationToken);
            total += bytes.Length;
            // A part without its own Content-Type has the root's type.
            parts.Add(new StowPart(parts.Count + 1, partType ?? DicomMediaType, bytes));
        }, cancellationToken);
        if (parts.Count == 0)
            throw new ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.MissingFile, "the multipart body has no part");
        return parts;
    }

    public const string DicomMediaType = "application/dicom";

    private static void CheckPartCount(int count, ServerOptions options)
    {
        if (count >= options.MaxFilesPerRequest)
            throw new ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.TooManyFiles,
                $"at most {options.MaxFilesPerRequest} files per request");
    }

    /// <summary>Runs <paramref name="onSection"/> on every part of a multipart body under the upload limits, turning the
    /// reader's failures into 400/413 answers.</summary>
    private static async Task ForEachSectionAsync(HttpRequest request, MediaTypeHeaderValue contentType, ServerOptions options,
        Func<MultipartSection, Task> onSection, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200)
            throw new ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.BadRequest, "multipart body without a valid boundary");
        var reader = new MultipartReader(boundary, request.Body)
        {
            BodyLengthLimit = options.MaxUploadBytes + MultipartAllowance,
            HeadersCountLimit = HeadersCountLimit,
            HeadersLengthLimit = HeadersLengthLimit,
        };
        MultipartSection? section;
        try
        {
            while ((section = await reader.ReadNextSectionAsync(cancellationToken)) is not null)
                await onSection(section);
        }
        catch (InvalidDataException e) when (e.Message.Contains("body length limit", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, ErrorCodes.FileTooLarge,
                $"the upload is larger than the limit of {options.MaxUploadBytes} bytes");
        }
        catch (InvalidDataException)
        {
            // Too many part headers, a header line over HeadersLengthLimit, a bad boundary line: the request is
            // malformed (400), not a film that is too large (413).
            throw new ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.BadRequest,
                $"malformed multipart body: at most {HeadersCountLimit} part headers of {HeadersLengthLimit} bytes in all");
        }
        catch (IOException e) when (e is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.BadRequest, "malformed multipart body");
        }
    }

    /// <summary>The client's file name, refused when it is a path (traversal attempts, absolute paths, control
    /// characters). It is only echoed back to the client; storage uses the case id.</summary>
    private static string FileName(ContentDispositionHeaderValue disposition)
    {
        var raw = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
        if (string.IsNullOrEmpty(raw))
            return "file";
        if (raw.Length > 255 || raw.Contains('/') || raw.Contains('\\') || raw.Contains("..", StringComparison.Ordinal)
            || raw.Any(char.IsControl) || raw.Contains(':'))
            throw new ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidFileName,
                "the file name must be a plain name, not a path");
        return raw;
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new ApiException(StatusCodes.Status413PayloadTooLarge, ErrorCodes.FileTooLarge,
                    $"the upload is larger than the limit of {limit} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
