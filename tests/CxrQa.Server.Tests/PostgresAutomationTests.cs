using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>Two replicas on one PostgreSQL database watch one stream: films sent to either count in the same drift
/// statistics, and a pause raised by one holds on the other.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Slow")]
public sealed class PostgresAutomationTests(PostgresServer postgres)
{
    [Fact]
    public async Task Replicas_share_the_stream_and_the_pause()
    {
        using var data = new TempDirectory();
        var env = new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = await postgres.CreateDatabaseAsync() };
        var settings = new Dictionary<string, string> { [ServerProcess.DriftMonitorSetting] = "true" };
        var servers = await Task.WhenAll(ServerProcess.StartAsync(data.Path, settings, env), ServerProcess.StartAsync(data.Path, settings, env));
        try
        {
            var sent = 0;
            foreach (var file in MonitoringFilms.DevShift(seed: 5).Take(60))
            {
                await Http.JsonAsync(await servers[sent++ % 2].Client.PostAsync("/predict", Http.Raw(await File.ReadAllBytesAsync(file), "image/jpeg")));
                var health = await Http.JsonAsync(await servers[0].Client.GetAsync("/health"));
                if (health["automation"]!["state"]!.GetValue<string>() == "paused")
                    break;
            }

            foreach (var server in servers)
            {
                var health = await Http.JsonAsync(await server.Client.GetAsync("/health"));
                Assert.Equal("paused", health["automation"]!["state"]!.GetValue<string>());
                Assert.Equal(sent, health["automation"]!["films_observed"]!.GetValue<long>());
            }
            var answer = await Http.JsonAsync(await servers[1].Client.PostAsync("/predict", Http.Raw(await File.ReadAllBytesAsync(
                MonitoringFilms.Calibration(seed: 6, label: "PNEUMONIA")[0]), "image/jpeg")));
            Assert.Equal("pending_review", answer["status"]!.GetValue<string>());
        }
        finally
        {
            foreach (var s in servers)
                await s.DisposeAsync();
        }
    }
}
