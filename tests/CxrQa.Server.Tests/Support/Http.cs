using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CxrQa.Server.Tests.Support;

public static class Http
{
    public static HttpContent Multipart(params (string FileName, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", name);
        }
        return form;
    }

    /// <summary>One <c>file</c> part written by hand, with extra part headers (to test the reader's header limits).</summary>
    public static HttpContent MultipartWithPartHeaders(byte[] film, IEnumerable<string> extraHeaders)
    {
        const string boundary = "cxrqa-test-boundary";
        using var body = new MemoryStream();
        var head = $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"film.jpeg\"\r\n"
            + string.Concat(extraHeaders.Select(h => h + "\r\n")) + "\r\n";
        body.Write(System.Text.Encoding.ASCII.GetBytes(head));
        body.Write(film);
        body.Write(System.Text.Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n"));
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        return content;
    }

    public static HttpContent Raw(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Asserts problem+json with the status and code; returns the body.</summary>
    public static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, int status, string? code = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!;
        Assert.Equal(status, body["status"]!.GetValue<int>());
        var actual = body["code"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(actual), $"problem without a code: {text}");
        if (code is not null)
            Assert.Equal(code, actual);
        return body;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
