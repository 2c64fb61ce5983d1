using CxrQa.Domain;
using System.Text.Json.Nodes;
using CxrQa.Server.Tests.Support;
using CxrQa.Storage;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary><c>cxrqa recalibrate</c> on a seeded review history of the shipped bundle: Normal is certified only when
/// the site's reviewed Normal answers are enough, and serving the new version lifts a pause.</summary>
[Trait("Category", "Slow")]
public sealed class RecalibrateTests
{
    private static readonly string ShippedModel = Path.Combine(TestData.RepoRoot, "models", "cxrqa-ensemble-resnet18-int8");
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Routed Normal answers (low confidence only), every one read by a radiologist and found right.</summary>
    private static async Task<string> SeedAsync(TempDirectory data, int normals)
    {
        var card = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(ShippedModel, "model.json")))!;
        var (name, version) = (card["name"]!.GetValue<string>(), card["version"]!.GetValue<string>());
        var database = new CxrQaDatabase(new DatabaseSettings(data.Path, null));
        await SchemaMigrations.ApplyAsync(database, CancellationToken.None);
        var cases = new SqlCaseStore(database);
        var reviews = new SqlReviewStore(database);
        for (var i = 0; i < normals; i++)
        {
            var record = CaseStoreContract.Sample(status: "pending_review") with
            {
                Prediction = ScreeningClass.Normal, Confidence = 0.95 - i * 1e-5, PneumoniaProbability = 0.05 + i * 1e-5,
                Reasons = [ReasonCode.Parse(ReasonCodes.LowConfidence)], ModelName = name, ModelVersion = version,
            };
            await cases.InsertAsync(record, new Actor("ward", null), auditSample: false, CancellationToken.None);
            await reviews.ClaimAsync(record.Id, new Actor("dr-a", null), T0, TimeSpan.FromHours(1), CancellationToken.None);
            await reviews.DecideAsync(record.Id, new Actor("dr-a", null), "Normal", null, T0, CancellationToken.None);
        }
        // A breaker that opened on the old version: the recertified bundle must lift it.
        await new SqlAutomationStore(database).UpdateAsync("default", $"{name}@{version}", T0, r => new AutomationChange(
            r with { Paused = true, PausedAt = T0, PauseCause = PauseCauses.AuditBreaker, PauseDetail = "seeded" }, null), CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return version;
    }

    [Theory]
    [InlineData(300, false)]
    [InlineData(400, true)]
    public async Task Normal_is_certified_only_when_the_reviewed_counts_allow_it(int normals, bool certified)
    {
        using var data = new TempDirectory();
        using var output = new TempDirectory();
        var version = await SeedAsync(data, normals);
        var bundle = Path.Combine(output.Path, "bundle");

        var (code, stdout, stderr) = await Cli.RunAsync("recalibrate", "--data-dir", data.Path, "--model", ShippedModel, "--out", bundle, "--site", "ward 7");

        Assert.True(code == 0, $"{code}: {stdout}\n{stderr}");
        var card = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, "model.json")))!;
        var normal = card["decision_policy"]!["risk_control"]!["normal"]!;
        Assert.Equal(certified, normal["threshold"] is not null);
        Assert.StartsWith($"{version}-site-ward-7-", card["version"]!.GetValue<string>());
        Assert.Equal("ward 7", card["site_certification"]!["site"]!.GetValue<string>());
        Assert.Equal(normals, card["site_certification"]!["routed_films"]!.GetValue<int>());
        Assert.Contains(certified ? "Normal: certified at" : "Normal: not certified", stdout);
        Assert.Equal(normals >= 300, File.Exists(Path.Combine(bundle, "site_reference.json")));
        if (!certified)
            return;

        // The server on the recertified bundle: the old pause is lifted by recertification and a Normal is automated.
        await using var server = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string>
        {
            ["CxrQa:ModelDirectory"] = bundle,
            [ServerProcess.DriftMonitorSetting] = "true",
        });
        var health = await Http.JsonAsync(await server.Client.GetAsync("/health"));
        Assert.Equal("automating", health["automation"]!["state"]!.GetValue<string>());
        var normalFilm = MonitoringFilms.Calibration(seed: 8, label: "NORMAL")[0];
        var answer = await Http.JsonAsync(await server.Client.PostAsync("/predict", Http.Raw(await File.ReadAllBytesAsync(normalFilm), "image/jpeg")));
        Assert.Equal("Normal", answer["prediction"]!.GetValue<string>());
        Assert.Equal("automated", answer["status"]!.GetValue<string>());
    }
}
