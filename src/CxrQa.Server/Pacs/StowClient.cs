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
            var failed = await FailedInstancesAsync(response, cancellationToken);
            var ours = instances.Select(i => i.SopInstanceUid).ToHashSet(StringComparer.Ordinal);
            var refused = failed.Where(f => f.SopInstanceUid is null || ours.Contains(f.SopInstanceUid)).ToList();
            return refused.Count == 0 ? StowResult.Ok
                : new StowResult(false, $"PACS answered HTTP {status}, failure reason {string.Join(",", refused.Select(f => f.FailureReason.ToString("X4")))}", "rejected");
        }
    }

    private static MultipartContent Body(IReadOnlyList<DicomResultObject> instances)
    {
        var body = new MultipartContent("related", "cxrqa-" + Guid.NewGuid().ToString("N"));
        body.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", $"\"{DicomResultObject.ContentType}\""));
        foreach (var instance in instances)
        {
            var part = new ByteArrayContent(instance.Part10);
            part.Headers.ContentType = new MediaTypeHeaderValue(DicomResultObject.ContentType);
            body.Add(part);
        }
        return body;
    }

    private static async Task<string> FailureReasonsAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var failed = await FailedInstancesAsync(response, ct);
        return failed.Count == 0 ? "" : $", failure reason {string.Join(",", failed.Select(f => f.FailureReason.ToString("X4")))}";
    }

    /// <summary>The Failed SOP Sequence of a DICOM JSON answer; empty when there is none or the body is not DICOM JSON.</summary>
    private static async Task<IReadOnlyList<FailedSop>> FailedInstancesAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            // Some servers answer the JSON model as an array of one dataset.
            var node = JsonNode.Parse(text);
            var root = node as JsonObject ?? (node as JsonArray)?.FirstOrDefault() as JsonObject;
            if (root?[StoreInstancesResponse.Tags.FailedSopSequence]?["Value"] is not JsonArray items)
                return [];
            return items.OfType<JsonObject>().Select(i => new FailedSop(
                i[StoreInstancesResponse.Tags.ReferencedSopClassUid]?["Value"]?[0]?.GetValue<string>(),
                i[StoreInstancesResponse.Tags.ReferencedSopInstanceUid]?["Value"]?[0]?.GetValue<string>(),
                (ushort)(i[StoreInstancesResponse.Tags.FailureReason]?["Value"]?[0]?.GetValue<int>() ?? FailureReason.ProcessingFailure))).ToList();
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }
}
