using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;
using Xunit.Abstractions;

namespace CxrQa.Server.Tests;

/// <summary>
/// The production monitors on a running server with its default monitor settings (drift monitor and audit breaker
/// on, 1 % false alarms over 1000 films): films are streamed through POST /predict one at a time, as a hospital
/// sends them.
/// </summary>
[Trait("Category", "Slow")]
public sealed class MonitoringServerTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Monitors = new()
    {
        [ServerProcess.DriftMonitorSetting] = "true",
        [ServerProcess.AuditBreakerSetting] = "true",
    };

    /// <summary>Films until the pause in the tests below; the Core simulation states the delay distribution.</summary>
    private const int PauseWithin = 60;

    private static async Task<JsonNode> PredictAsync(HttpClient client, string file) =>
        await Http.JsonAsync(await client.PostAsync("/predict", Http.Raw(await File.ReadAllBytesAsync(file), "image/jpeg")));

    private static async Task<(int? PausedAt, List<JsonNode> Answers)> StreamAsync(HttpClient client, IEnumerable<string> files, int max)
    {
        var answers = new List<JsonNode>();
        foreach (var file in files.Take(max))
        {
            var answer = await PredictAsync(client, file);
            answers.Add(answer);
            var health = await Http.JsonAsync(await client.GetAsync("/health"));
            if (health["automation"]!["state"]!.GetValue<string>() == "paused")
                return (answers.Count, answers);
        }
        return (null, answers);
    }

    [Fact]
    public async Task In_distribution_films_from_calibration_patients_raise_no_alarm()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, Monitors);

        var (pausedAt, answers) = await StreamAsync(server.Client, MonitoringFilms.Calibration(seed: 1), 200);

        Assert.True(pausedAt is null, $"paused after {pausedAt} in-distribution films:\n{await server.Client.GetStringAsync("/health")}");
        Assert.DoesNotContain(answers, a => a["reasons"]!.AsArray().Any(r => r!.GetValue<string>() == "automation_paused"));
        // The shipped bundle never automates Normal: a sure Normal is not "low confidence", and the answer says so.
        var normal = answers.First(a => a["prediction"]!.GetValue<string>() == "Normal" && a["confidence"]!.GetValue<double>() > 0.95
            && a["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).SequenceEqual(["low_confidence"]));
        Assert.Equal("Normal answers are not yet certified at this site: routed to radiologist", normal["message"]!.GetValue<string>());
        var metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Contains("cxrqa_automation_paused{site=\"default\",cause=\"none\"} 0", metrics);
        Assert.Contains("cxrqa_drift_statistic{site=\"default\",signal=\"uncertainty_high\"}", metrics);
        Assert.Contains("cxrqa_drift_films_observed{site=\"default\"} 200", metrics);
        output.WriteLine(string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("cxrqa_drift", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task Films_from_other_hospitals_pause_automation_which_survives_a_restart_until_an_admin_resumes_with_a_reason()
    {
        using var data = new TempDirectory();
        var admin = await Cli.CreateKeyAsync(data.Path, "admin", "ops-1");
        var reviewer = await Cli.CreateKeyAsync(data.Path, "reviewer", "dr-a");
        var server = await ServerProcess.StartAsync(data.Path, Monitors);
        try
        {
            var (pausedAt, _) = await StreamAsync(server.Client, MonitoringFilms.DevShift(seed: 2), PauseWithin);
            output.WriteLine($"dev-shift stream paused after {pausedAt} films");
            Assert.True(pausedAt is not null, $"no pause within {PauseWithin} dev-shift films:\n{await server.Client.GetStringAsync("/health")}");

            // Ready (the server still answers, every film to review) but paused, and why.
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);
            var health = await Http.JsonAsync(await server.Client.GetAsync("/health"));
            Assert.Equal("drift", health["automation"]!["cause"]!.GetValue<string>());
            Assert.StartsWith("drift: ", health["automation"]!["detail"]!.GetValue<string>());
            var stats = await new Reviewer(server.Client, reviewer).JsonAsync("/reviews/stats");
            Assert.True(stats["automation"]!["paused"]!.GetValue<bool>());
            Assert.Contains("cxrqa_automation_paused{site=\"default\",cause=\"drift\"} 1", await server.Client.GetStringAsync("/metrics"));
            Assert.Contains("cxrqa_automation_pauses_total{cause=\"drift\"} 1", await server.Client.GetStringAsync("/metrics"));

            // A calibration Pneumonia film that the certified policy automates goes to review, in words a radiologist reads.
            var paused = await FirstAutomatableAsync(server.Client);
            Assert.Equal("pending_review", paused["status"]!.GetValue<string>());
            Assert.Equal(["automation_paused"], paused["reasons"]!.AsArray().Select(r => r!.GetValue<string>()));
            Assert.StartsWith("Automated answers are paused at this site", paused["message"]!.GetValue<string>());

            // The pause is the database's, not the process's.
            await server.DisposeAsync();
            server = await ServerProcess.StartAsync(data.Path, Monitors);
            Assert.Equal("paused", (await Http.JsonAsync(await server.Client.GetAsync("/health")))["automation"]!["state"]!.GetValue<string>());

            var ops = new Reviewer(server.Client, admin);
            await Http.ProblemAsync(await server.Client.PostAsJsonAsync("/admin/automation/resume", new { reason = "x" }), 401, "missing_api_key");
            await Http.ProblemAsync(await new Reviewer(server.Client, reviewer).PostAsync("/admin/automation/resume", new JsonObject { ["reason"] = "x" }), 403, "forbidden");
            await Http.ProblemAsync(await ops.PostAsync("/admin/automation/resume", new JsonObject { ["reason"] = " " }), 400, "invalid_reason");
            var resumed = await Http.JsonAsync(await ops.PostAsync("/admin/automation/resume",
                new JsonObject { ["reason"] = "the dev-shift films were a test of the monitor, not patients" }));
            Assert.False(resumed["paused"]!.GetValue<bool>());
            await Http.ProblemAsync(await ops.PostAsync("/admin/automation/resume", new JsonObject { ["reason"] = "again" }), 409, "not_paused");
            Assert.Equal("automated", (await FirstAutomatableAsync(server.Client))["status"]!.GetValue<string>());

            var trail = await ops.JsonAsync("/admin/automation");
            var actions = trail["events"]!.AsArray().Select(e => (e!["action"]!.GetValue<string>(), e["actor"]!.GetValue<string>())).ToList();
            Assert.Equal([("automation_resumed", "ops-1"), ("automation_paused", "monitor")], actions);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_simulated_prevalence_shift_normal_films_only_pauses_automation()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, Monitors);

        var (pausedAt, _) = await StreamAsync(server.Client, MonitoringFilms.Calibration(seed: 3, label: "NORMAL"), PauseWithin);

        output.WriteLine($"normal-only stream paused after {pausedAt} films");
        Assert.True(pausedAt is not null, await server.Client.GetStringAsync("/health"));
        var health = await Http.JsonAsync(await server.Client.GetAsync("/health"));
        Assert.Contains("predicted_normal", health["automation"]!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_replay_of_decided_audit_samples_with_ten_percent_errors_trips_the_breaker_and_blocks_a_resume()
    {
        using var data = new TempDirectory();
        var reviewerKey = await Cli.CreateKeyAsync(data.Path, "reviewer", "dr-a");
        var adminKey = await Cli.CreateKeyAsync(data.Path, "admin", "ops-1");
        // Every automated answer is audited; the drift monitor is off, since a Pneumonia-only stream is itself a shift.
        await using var server = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string>
        {
            ["CxrQa:AuditSampleFraction"] = "1",
            [ServerProcess.DriftMonitorSetting] = "false",
            [ServerProcess.AuditBreakerSetting] = "true",
        });
        var reviewer = new Reviewer(server.Client, reviewerKey);
        var decided = 0;
        var trippedAt = 0;
        foreach (var file in MonitoringFilms.Calibration(seed: 4, label: "PNEUMONIA"))
        {
            var answer = await PredictAsync(server.Client, file);
            if (answer["status"]!.GetValue<string>() != "automated")
                continue;
            var id = answer["case_id"]!.GetValue<string>();
            // Blinded: the reviewer sees the film, not the AI's answer.
            var item = await reviewer.JsonAsync($"/reviews/{id}");
            Assert.Equal("audit_sample", item["origin"]!.GetValue<string>());
            Assert.True(item["case"]!["blinded"]!.GetValue<bool>());
            Assert.Null(item["case"]!["prediction"]);
            Assert.Null(item["case"]!["heatmap_grid"]);
            await Http.JsonAsync(await reviewer.ClaimAsync(id));
            decided++;
            // Every tenth decision disagrees: a 10 % automated error against a 2 % promise.
            await Http.JsonAsync(await reviewer.DecideAsync(id, decided % 10 == 0 ? "Normal" : "Pneumonia"));
            var health = await Http.JsonAsync(await server.Client.GetAsync("/health"));
            if (health["automation"]!["state"]!.GetValue<string>() == "paused")
            {
                trippedAt = decided;
                Assert.Equal("audit_breaker", health["automation"]!["cause"]!.GetValue<string>());
                break;
            }
            Assert.True(decided < 120, "the breaker did not trip within 120 decided samples");
        }
        output.WriteLine($"breaker tripped after {trippedAt} decided audit samples");
        Assert.InRange(trippedAt, 20, 100);

        var stats = await reviewer.JsonAsync("/reviews/stats");
        var pneumonia = stats["automation"]!["audit"]!.AsArray().Single(c => c!["predicted_class"]!.GetValue<string>() == "Pneumonia")!;
        Assert.True(pneumonia["lower"]!.GetValue<double>() > 0.02);
        Assert.True(pneumonia["broken"]!.GetValue<bool>());
        Assert.Contains("cxrqa_audit_error_bound{class=\"Pneumonia\",bound=\"lower\"}", await server.Client.GetStringAsync("/metrics"));
        await Http.ProblemAsync(await new Reviewer(server.Client, adminKey).PostAsync("/admin/automation/resume",
            new JsonObject { ["reason"] = "we think it is fine" }), 409, "audit_bound_exceeded");
    }

    /// <summary>The first calibration Pneumonia film whose answer is not sent to review for a reason of its own.</summary>
    private static async Task<JsonNode> FirstAutomatableAsync(HttpClient client)
    {
        foreach (var file in MonitoringFilms.Calibration(seed: 9, label: "PNEUMONIA").Take(20))
        {
            var answer = await PredictAsync(client, file);
            var reasons = answer["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
            if (reasons.Count == 0 || reasons is ["automation_paused"])
                return answer;
        }
        throw new InvalidOperationException("no automatable calibration film among 20");
    }
}
