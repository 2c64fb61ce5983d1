using System.Text.Json.Nodes;
using CxrQa.Server.Tests.Support;
using CxrQa.Storage;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary><c>cxrqa predict --data-dir</c> screens through the server's automation monitor: its films join the site's
/// stream and a paused site sends an otherwise automated answer to review, exactly as the server would.</summary>
[Trait("Category", "Slow")]
public sealed class CliSiteMonitorTests
{
    private static readonly string ShippedModel = Path.Combine(TestData.RepoRoot, "models", "cxrqa-ensemble-resnet18-int8");

    private static async Task<(CxrQaDatabase Db, string Reference)> DatabaseAsync(TempDirectory data)
    {
        var card = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(ShippedModel, "model.json")))!;
        var db = new CxrQaDatabase(new DatabaseSettings(data.Path, null));
        await SchemaMigrations.ApplyAsync(db, CancellationToken.None);
        return (db, $"{card["name"]!.GetValue<string>()}@{card["version"]!.GetValue<string>()}");
    }

    private static async Task<JsonNode> PredictAsync(TempDirectory data, string film, TempDirectory review, string reference)
    {
        var (code, stdout, stderr) = await Cli.RunAsync("predict", film, "--model", ShippedModel, "--review-dir", review.Path, "--data-dir", data.Path);
        Assert.True(code == 0, $"{code}: {stdout}\n{stderr}");
        return JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
    }

    [Fact]
    public async Task A_paused_site_sends_an_automatable_film_to_review_and_the_film_joins_the_stream()
    {
        using var data = new TempDirectory();
        using var review = new TempDirectory();
        var (db, reference) = await DatabaseAsync(data);
        var film = MonitoringFilms.Calibration(seed: 10, label: "PNEUMONIA")[0];

        var before = await PredictAsync(data, film, review, reference);
        Assert.Equal("automated", before["status"]!.GetValue<string>());

        var store = new SqlAutomationStore(db);
        await store.UpdateAsync("default", reference, DateTimeOffset.UtcNow, r => new AutomationChange(
            r with { Paused = true, PausedAt = DateTimeOffset.UtcNow, PauseCause = PauseCauses.Drift, PauseDetail = "seeded" }, null), CancellationToken.None);
        var during = await PredictAsync(data, film, review, reference);

        Assert.Equal("pending_review", during["status"]!.GetValue<string>());
        Assert.Equal(["automation_paused"], during["reasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(2, (await store.GetAsync("default", CancellationToken.None))!.Films);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
