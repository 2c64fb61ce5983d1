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

    /// <summary>A POST with a body exactly as given (raw JSON text, a stream without a length).</summary>
    public Task<HttpResponseMessage> PostAsync(string path, HttpContent content) => SendAsync(HttpMethod.Post, path, content);

    public async Task<JsonNode> JsonAsync(string path) => await Http.JsonAsync(await GetAsync(path));

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client.SendAsync(request);
    }
}
