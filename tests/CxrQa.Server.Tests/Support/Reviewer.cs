using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CxrQa.Server.Tests.Support;

/// <summary>Requests of the review API with one key.</summary>
public sealed class Reviewer(HttpClient client, string key)
{
    public HttpClient Client => client;

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<HttpResponseMessage> ClaimAsync(string id) => SendAsync(HttpMethod.Post, $"/reviews/{id}/claim");

    public Task<HttpResponseMessage> ReleaseAsync(string id) => SendAsync(HttpMethod.Post, $"/reviews/{id}/release");

    public Task<HttpResponseMessage> DecideAsync(string id, string label, string? note = null) =>
        SendAsync(HttpMethod.Post, $"/reviews/{id}/decision", JsonContent.Create(new JsonObject { ["label"] = label, ["note"] = note }));

    public Task<HttpResponseMessage> PostAsync(string path, JsonObject body) => SendAsync(HttpMethod.Post, path, JsonContent.Create(body));

    /// <summary>A POST with a body exactly as given (raw JSON text, a stream without a length); with
    /// <paramref name="expectContinue"/> the body waits for the server's 100 Continue, as curl does for large bodies.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, HttpContent content, bool expectContinue = false) =>
        SendAsync(HttpMethod.Post, path, content, expectContinue);

    public async Task<JsonNode> JsonAsync(string path) => await Http.JsonAsync(await GetAsync(path));

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, bool expectContinue = false)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (expectContinue) request.Headers.ExpectContinue = true;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client.SendAsync(request);
    }
}
