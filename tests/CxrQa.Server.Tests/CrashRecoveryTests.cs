using System.Collections.Concurrent;
using System.Net;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>kill -9 in the middle of a stream of uploads: after a restart every case that got a 200 is there with
/// its files, and the leftovers of interrupted writes are gone.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Every_case_answered_200_survives_a_sigkill_and_orphans_are_removed_on_restart()
    {
        using var data = new TempDirectory();
        var film = await File.ReadAllBytesAsync(Films.Pneumonia);
        var acknowledged = new ConcurrentBag<string>();
        var server = await ServerProcess.StartAsync(data.Path);
        try
        {
            using var stop = new CancellationTokenSource();
            var streams = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await server.Client.PostAsync("/predict", Http.Raw(film, "image/jpeg"));
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                            acknowledged.Add(body["case_id"]!.GetValue<string>());
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToList();

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (acknowledged.Count < 12 && DateTime.UtcNow < deadline)
                await Task.Delay(20);
            server.Kill(); // SIGKILL while the streams are still sending
            stop.Cancel();
            await Task.WhenAll(streams);
        }
        finally
        {
            await server.DisposeAsync();
        }
        Assert.True(acknowledged.Count >= 12, $"only {acknowledged.Count} answers before the kill");

        // Leftovers of interrupted writes: a temp folder, and a case folder whose row was never committed.
        var cases = Path.Combine(data.Path, "cases");
        var orphan = Path.Combine(cases, Guid.CreateVersion7().ToString("N"));
        Directory.CreateDirectory(orphan);
        await File.WriteAllBytesAsync(Path.Combine(orphan, "film.jpg"), film);
        var temp = Path.Combine(cases, ".tmp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        await File.WriteAllBytesAsync(Path.Combine(temp, "film.jpg"), film);

        await using var restarted = await ServerProcess.StartAsync(data.Path);
        foreach (var id in acknowledged)
        {
            Assert.Equal(HttpStatusCode.OK, (await restarted.Client.GetAsync($"/cases/{id}")).StatusCode);
            using var image = await restarted.Client.GetAsync($"/cases/{id}/image");
            Assert.Equal(film, await image.Content.ReadAsByteArrayAsync());
            using var heatmap = await restarted.Client.GetAsync($"/cases/{id}/heatmap.png");
            Assert.Equal(HttpStatusCode.OK, heatmap.StatusCode);
        }
        Assert.False(Directory.Exists(orphan));
        Assert.False(Directory.Exists(temp));
        foreach (var dir in Directory.GetDirectories(cases))
        {
            var name = Path.GetFileName(dir);
            Assert.False(name.StartsWith('.'), $"temp folder {name} left after restart");
            Assert.Equal(HttpStatusCode.OK, (await restarted.Client.GetAsync($"/cases/{name}")).StatusCode);
        }
    }
}
