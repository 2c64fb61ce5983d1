using System.Net;
using System.Net.Http.Headers;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>A server that requires keys, with a small upload limit and a one-request inference queue. Keys are made
/// with the real CLI (<c>keys create</c>) on the server's data directory before it starts.</summary>
public sealed class RestrictedServerFixture : IAsyncLifetime
{
    public const long UploadLimit = 100_000;
    private readonly TempDirectory _data = new();

    public ServerProcess Server { get; private set; } = null!;
    public string SubmitterKey { get; private set; } = "";
    public string ReviewerKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        SubmitterKey = await Cli.CreateKeyAsync(_data.Path, "submitter", "ward-7-pacs");
        ReviewerKey = await Cli.CreateKeyAsync(_data.Path, "reviewer", "dr-reviewer");
        Server = await ServerProcess.StartAsync(_data.Path, new Dictionary<string, string>
        {
            ["CxrQa:RequireKeyForPredict"] = "true",
            ["CxrQa:MaxUploadBytes"] = UploadLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CxrQa:InferenceQueueCapacity"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _data.Dispose();
    }
}

public sealed class RestrictedServerTests(RestrictedServerFixture fixture) : IClassFixture<RestrictedServerFixture>
{
    private HttpClient Client => fixture.Server.Client;

    private static HttpRequestMessage Predict(byte[] bytes, string? key, string contentType = "image/jpeg")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = Http.Raw(bytes, contentType) };
        if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    [Fact]
    public async Task Keys_created_by_the_cli_are_base64url_secrets_shown_once()
    {
        Assert.Matches("^[A-Za-z0-9_-]{43}$", fixture.SubmitterKey);
        Assert.NotEqual(fixture.SubmitterKey, fixture.ReviewerKey);
        var db = await File.ReadAllBytesAsync(Path.Combine(fixture.Server.DataDirectory, "cxrqa.db"));
        Assert.Equal(-1, System.Text.Encoding.ASCII.GetString(db).IndexOf(fixture.SubmitterKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Predict_needs_a_submitter_key()
    {
        var film = await File.ReadAllBytesAsync(Films.Normal);
        using (var none = await Client.SendAsync(Predict(film, null)))
        {
            await Http.ProblemAsync(none, 401, "missing_api_key");
            Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        }
        await Http.ProblemAsync(await Client.SendAsync(Predict(film, "not-a-key")), 401, "invalid_api_key");
        await Http.ProblemAsync(await Client.SendAsync(Predict(film, fixture.ReviewerKey)), 403, "forbidden");

        var body = await Http.JsonAsync(await Client.SendAsync(Predict(film, fixture.SubmitterKey)));
        var id = body["case_id"]!.GetValue<string>();

        await Http.ProblemAsync(await Client.GetAsync($"/cases/{id}"), 401, "missing_api_key");
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/cases/{id}");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.ReviewerKey);
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(read)).StatusCode);

        // Health and metrics stay open for probes and scrapers.
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Uploads_over_the_configured_limit_are_413()
    {
        var big = await File.ReadAllBytesAsync(Films.FullResolution);
        Assert.True(big.Length > RestrictedServerFixture.UploadLimit);
        await Http.ProblemAsync(await Client.SendAsync(Predict(big, fixture.SubmitterKey)), 413, "file_too_large");

        using var multipart = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = Http.Multipart(("big.jpeg", big)) };
        multipart.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.SubmitterKey);
        await Http.ProblemAsync(await Client.SendAsync(multipart), 413, "file_too_large");

        // Without Content-Length (chunked), the limit is enforced while reading.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = new StreamContent(new NonSeekable(big)) };
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        chunked.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.SubmitterKey);
        await Http.ProblemAsync(await Client.SendAsync(chunked), 413, "file_too_large");

        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_full_inference_queue_answers_503_with_retry_after()
    {
        var film = await File.ReadAllBytesAsync(Films.Pneumonia);
        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Client.SendAsync(Predict(film, fixture.SubmitterKey))));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        var busy = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var r in busy)
        {
            await Http.ProblemAsync(r, 503, "queue_full");
            Assert.NotNull(r.Headers.RetryAfter);
        }
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/ready")).StatusCode);
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
