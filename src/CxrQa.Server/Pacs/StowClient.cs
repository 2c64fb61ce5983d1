using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CxrQa.Core.Dicom.Results;
using CxrQa.Server.DicomWeb;

namespace CxrQa.Server.Pacs;

/// <summary>What the PACS said to one Store Instances request. <paramref name="Error"/> carries no PHI: an HTTP status,
/// a Failure Reason, or the kind of transport failure.</summary>
public sealed record StowResult(bool Stored, string? Error, string FailureCategory)
{
    public static StowResult Ok { get; } = new(true, null, "");
}

/// <summary>
/// Sends DICOM instances to the PACS with DICOMweb Store Instances (PS3.18 10.5): POST {StowUrl}/studies,
/// multipart/related; type="application/dicom", one Part-10 instance per part, optional basic authentication.
/// Stored means 200, or 202 whose Failed SOP Sequence does not name any of the instances sent.
/// </summary>
public sealed class StowClient(HttpClient http, PacsOptions options)
{

    public async Task<StowResult> StoreAsync(IReadOnlyList<DicomResultObject> instances, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instances);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.StudiesUri) { Content = Body(instances) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(StoreInstancesResponse.MediaType));
        if (!string.IsNullOrEmpty(options.Username))
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}")));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token);
        }
        catch (HttpRequestException e)
        {
            return new StowResult(false, $"PACS unreachable ({e.HttpRequestError})", "unreachable");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new StowResult(false, $"no answer from the PACS within {options.RequestTimeout.TotalSeconds:0} s", "timeout");
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is not (200 or 202))
                return new StowResult(false, $"PACS answered HTTP {status}{await FailureReasonsAsync(response, cancellationToken)}",
                    status >= 500 ? "http_5xx" : "http_4xx");
            var answer = await AnswerAsync(response, cancellationToken);
            var ours = instances.Select(i => i.SopInstanceUid).ToList();
            var refused = answer.Failed.Where(f => f.SopInstanceUid is null || ours.Contains(f.SopInstanceUid)).ToList();
            if (refused.Count > 0)
                return new StowResult(false, $"PACS answered HTTP {status}, failure reason {string.Join(",", refused.Select(f => f.FailureReason.ToString("X4")))}", "rejected");
            // Stored means named in the Referenced SOP Sequence: a PACS may answer 200 with both sequences empty for a
            // part it dropped (Orthanc does, for a part whose media type it does not take).
            var unconfirmed = ours.Count(uid => !answer.Referenced.Contains(uid));
            return unconfirmed == 0 ? StowResult.Ok
                : new StowResult(false, $"PACS answered HTTP {status} without confirming {unconfirmed} of {ours.Count} instance(s)", "rejected");
        }
    }

    private static MultipartContent Body(IReadOnlyList<DicomResultObject> instances)
    {
        var body = new MultipartContent("related", "cxrqa-" + Guid.NewGuid().ToString("N"));
        body.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", $"\"{DicomResultObject.ContentType}\""));
        foreach (var instance in instances)
        {
            var part = new ByteArrayContent(instance.Part10);
            // No transfer-syntax parameter: Orthanc's DICOMweb plugin (1.7, Debian 12) fails such a part as "not
            // application/dicom". The builder writes Explicit VR Little Endian, which every PACS accepts.
            part.Headers.ContentType = new MediaTypeHeaderValue(DicomResultObject.ContentType);
            body.Add(part);
        }
        return body;
    }

    private static async Task<string> FailureReasonsAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var failed = (await AnswerAsync(response, ct)).Failed;
        return failed.Count == 0 ? "" : $", failure reason {string.Join(",", failed.Select(f => f.FailureReason.ToString("X4")))}";
    }

    private sealed record StowAnswer(IReadOnlyList<FailedSop> Failed, IReadOnlySet<string> Referenced)
    {
        public static StowAnswer Empty { get; } = new([], new HashSet<string>());
    }

    /// <summary>The Failed and Referenced SOP Sequences of a DICOM JSON answer; empty when the body is not DICOM JSON.</summary>
    private static async Task<StowAnswer> AnswerAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            // Some servers answer the JSON model as an array of one dataset.
            var node = JsonNode.Parse(text);
            var root = node as JsonObject ?? (node as JsonArray)?.FirstOrDefault() as JsonObject;
            if (root is null)
                return StowAnswer.Empty;
            var failed = Items(root, StoreInstancesResponse.Tags.FailedSopSequence).Select(i => new FailedSop(
                Uid(i, StoreInstancesResponse.Tags.ReferencedSopClassUid),
                Uid(i, StoreInstancesResponse.Tags.ReferencedSopInstanceUid),
                (ushort)(i[StoreInstancesResponse.Tags.FailureReason]?["Value"]?[0]?.GetValue<int>() ?? FailureReason.ProcessingFailure))).ToList();
            var referenced = Items(root, StoreInstancesResponse.Tags.ReferencedSopSequence)
                .Select(i => Uid(i, StoreInstancesResponse.Tags.ReferencedSopInstanceUid)).OfType<string>().ToHashSet(StringComparer.Ordinal);
            return new StowAnswer(failed, referenced);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return StowAnswer.Empty;
        }
    }

    private static IEnumerable<JsonObject> Items(JsonObject root, string sequence) =>
        (root[sequence]?["Value"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static string? Uid(JsonObject item, string tag) => item[tag]?["Value"]?[0]?.GetValue<string>();
}
