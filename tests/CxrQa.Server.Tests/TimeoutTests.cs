using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

public sealed class TimeoutTests
{
    [Fact]
    public async Task A_request_over_the_timeout_is_503_with_retry_after_and_leaves_no_case()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string>
        {
            ["CxrQa:RequestTimeout"] = "00:00:00.001",
            ["CxrQa:RetryAfterSeconds"] = "7",
        });
        using var response = await server.Client.PostAsync("/predict", Http.Raw(await File.ReadAllBytesAsync(Films.Normal), "image/jpeg"));
        await Http.ProblemAsync(response, 503, "timeout");
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);
        await Task.Delay(500); // a screening already under way finishes, and is discarded
        Assert.Empty(Directory.GetDirectories(Path.Combine(data.Path, "cases")));
    }
}
