using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>
/// Least privilege on /cases/*, on a real server that requires keys, against SQLite and PostgreSQL: a submitter reads
/// only its own cases (another submitter gets the same 404 as for an id that does not exist), a reviewer the cases in
/// the review queue, an admin every case; every view of a film is an audit event with the key's name and id; a
/// submitter gets its DICOM de-identified, an admin the original.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public abstract class CaseAccessContract
{
    private static readonly string[] Views = ["", "/image", "/display.png", "/thumbnail.png", "/heatmap.png"];

    /// <summary>The server's extra environment (the database) and the PostgreSQL connection for the CLI, if any.</summary>
    protected abstract Task<(IReadOnlyDictionary<string, string> Environment, string? Postgres)> BackendAsync();

    private sealed record Site(ServerProcess Server, Reviewer WardA, Reviewer WardB, Reviewer Doctor, Reviewer Admin);

    private async Task<Site> StartAsync(TempDirectory data)
    {
        var (environment, postgres) = await BackendAsync();
        var keys = new List<string>();
        foreach (var (role, name) in new[] { ("submitter", "ward-a"), ("submitter", "ward-b"), ("reviewer", "dr-r"), ("admin", "admin-1") })
            keys.Add(await Cli.CreateKeyAsync(data.Path, role, name, postgres));
        var server = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string>
        {
            ["CxrQa:RequireKeyForPredict"] = "true",
            ["CxrQa:AuditSampleFraction"] = "0",
        }, environment);
        return new Site(server, new(server.Client, keys[0]), new(server.Client, keys[1]), new(server.Client, keys[2]), new(server.Client, keys[3]));
    }

    private static async Task<JsonNode> PredictAsync(Reviewer submitter, byte[] film, string contentType) =>
        await Http.JsonAsync(await submitter.PostAsync("/predict", Http.Raw(film, contentType)));

    /// <summary>A calibration film the shipped bundle automates; with AuditSampleFraction 0 it stays out of the queue.</summary>
    private static async Task<string> AutomatedCaseAsync(Reviewer submitter)
    {
        foreach (var file in MonitoringFilms.Calibration(seed: 16, label: "PNEUMONIA").Take(20))
        {
            var answer = await PredictAsync(submitter, await File.ReadAllBytesAsync(file), "image/jpeg");
            if (answer["status"]!.GetValue<string>() == "automated")
            {
                Assert.Null(answer["review"]);
                return answer["case_id"]!.GetValue<string>();
            }
        }
        throw new InvalidOperationException("no automated calibration film among 20");
    }

    [Fact]
    public async Task Submitters_read_only_their_own_cases_reviewers_the_queue_and_admins_every_case()
    {
        using var data = new TempDirectory();
        var site = await StartAsync(data);
        await using var _ = site.Server;

        var routed = await PredictAsync(site.WardA, Films.NoisePng(1601), "image/png");
        Assert.Equal("pending", routed["review"]!["state"]!.GetValue<string>());
        var queuedId = routed["case_id"]!.GetValue<string>();
        var automatedId = await AutomatedCaseAsync(site.WardA);

        // Another submitter cannot tell A's case from one that does not exist.
        var unknown = await Http.ProblemAsync(await site.WardB.GetAsync($"/cases/{new string('0', 32)}"), 404, "not_found");
        foreach (var id in new[] { queuedId, automatedId })
        foreach (var view in Views)
        {
            var refused = await Http.ProblemAsync(await site.WardB.GetAsync($"/cases/{id}{view}"), 404, "not_found");
            Assert.Equal(unknown["detail"]?.ToString(), refused["detail"]?.ToString());
            Assert.Equal(HttpStatusCode.OK, (await site.WardA.GetAsync($"/cases/{id}{view}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await site.Admin.GetAsync($"/cases/{id}{view}")).StatusCode);
            await Http.ProblemAsync(await site.Server.Client.GetAsync($"/cases/{id}{view}"), 401, "missing_api_key");
        }

        // A reviewer reads what the queue holds, nothing else.
        foreach (var view in Views)
        {
            Assert.Equal(HttpStatusCode.OK, (await site.Doctor.GetAsync($"/cases/{queuedId}{view}")).StatusCode);
            await Http.ProblemAsync(await site.Doctor.GetAsync($"/cases/{automatedId}{view}"), 404, "not_found");
        }
    }

    [Fact]
    public async Task Film_reads_are_audited_with_the_key_and_dicom_is_de_identified_for_its_submitter()
    {
        using var data = new TempDirectory();
        var site = await StartAsync(data);
        await using var _ = site.Server;

        var dicom = Films.IdentifiedDicom(side: 512, deflated: false);
        var id = (await PredictAsync(site.WardA, dicom, "application/dicom"))["case_id"]!.GetValue<string>();

        using var own = await site.WardA.GetAsync($"/cases/{id}/image");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("application/dicom", own.Content.Headers.ContentType?.MediaType);
        var copy = await own.Content.ReadAsByteArrayAsync();
        var text = Encoding.Latin1.GetString(copy);
        Assert.All(Films.PatientIdentifiers, p => Assert.DoesNotContain(p, text, StringComparison.Ordinal));
        Assert.Contains("basic profile", text, StringComparison.Ordinal);
        Assert.All(Films.PatientIdentifiers, p => Assert.Contains(p, Encoding.Latin1.GetString(dicom), StringComparison.Ordinal));

        using var identified = await site.Admin.GetAsync($"/cases/{id}/image");
        Assert.Equal(dicom, await identified.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await site.WardA.GetAsync($"/cases/{id}/display.png")).StatusCode);
        await Http.ProblemAsync(await site.WardB.GetAsync($"/cases/{id}/image"), 404, "not_found");
        Assert.Equal(HttpStatusCode.OK, (await site.WardA.GetAsync($"/cases/{id}")).StatusCode);

        var trail = (await site.Admin.JsonAsync($"/audit?case_id={id}"))["items"]!.AsArray();
        var created = Assert.Single(trail, e => e!["action"]!.GetValue<string>() == "created")!;
        var wardAKey = created["actor_key_id"]!.GetValue<string>();
        var reads = trail.Where(e => e!["action"]!.GetValue<string>() == "film_read")
            .Select(e => (Actor: e!["actor"]!.GetValue<string>(), Key: e["actor_key_id"]?.GetValue<string>(),
                View: e["after"]!["view"]!.GetValue<string>(), Deidentified: e["after"]!["deidentified"]!.GetValue<bool>()))
            .ToList();
        // The case JSON is no film read, a refused read is none either.
        Assert.Equal(3, reads.Count);
        Assert.Equal(("ward-a", wardAKey, "image", true), reads[0]);
        Assert.Equal(("admin-1", "image", false), (reads[1].Actor, reads[1].View, reads[1].Deidentified));
        Assert.NotNull(reads[1].Key);
        Assert.NotEqual(wardAKey, reads[1].Key);
        Assert.Equal(("ward-a", wardAKey, "display.png", true), reads[2]);

        // The copy and the preview are kept beside the film, private like it.
        var folder = Path.Combine(site.Server.DataDirectory, "cases", id);
        foreach (var kept in new[] { "film.deid.v2.dcm", "display.png" })
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, kept)));
    }

    [Fact]
    public async Task Reviewers_with_a_team_see_and_decide_only_their_teams_cases()
    {
        using var data = new TempDirectory();
        var (environment, postgres) = await BackendAsync();
        async Task<string> KeyAsync(string role, string name, string? team) => await Cli.CreateKeyAsync(data.Path, role, name, postgres, team);
        var keys = new Dictionary<string, string>
        {
            ["ward-n"] = await KeyAsync("submitter", "ward-n", "north"),
            ["ward-s"] = await KeyAsync("submitter", "ward-s", "south"),
            ["ward-x"] = await KeyAsync("submitter", "ward-x", null),
            ["dr-n"] = await KeyAsync("reviewer", "dr-n", "north"),
            ["dr-s"] = await KeyAsync("reviewer", "dr-s", "south"),
            ["dr-any"] = await KeyAsync("reviewer", "dr-any", null),
            // An admin's team labels what it submits; it still sees every team's cases.
            ["admin-s"] = await KeyAsync("admin", "admin-s", "south"),
        };
        var server = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string>
        {
            ["CxrQa:RequireKeyForPredict"] = "true",
            ["CxrQa:AuditSampleFraction"] = "0",
        }, environment);
        await using var _ = server;
        var as_ = keys.ToDictionary(k => k.Key, k => new Reviewer(server.Client, k.Value));

        async Task<string> RoutedAsync(string submitter, int seed)
        {
            var answer = await PredictAsync(as_[submitter], Films.NoisePng(seed), "image/png");
            Assert.Equal("pending", answer["review"]!["state"]!.GetValue<string>());
            return answer["case_id"]!.GetValue<string>();
        }
        var north = await RoutedAsync("ward-n", 1611);
        var south = await RoutedAsync("ward-s", 1612);
        var teamless = await RoutedAsync("ward-x", 1613);

        // The ids on the reviewer's first page and the total it is told, as one comparable string.
        async Task<string> QueueAsync(string reviewer)
        {
            var page = await as_[reviewer].JsonAsync("/reviews");
            return string.Join(",", page["items"]!.AsArray().Select(i => i!["case_id"]!.GetValue<string>())) + " / " + page["total"]!.GetValue<long>();
        }
        static string Queue(long total, params string[] ids) => string.Join(",", ids) + " / " + total;
        Assert.Equal(Queue(1, north), await QueueAsync("dr-n"));
        Assert.Equal(Queue(1, south), await QueueAsync("dr-s"));
        Assert.Equal(Queue(3, north, south, teamless), await QueueAsync("dr-any"));
        Assert.Equal(Queue(3, north, south, teamless), await QueueAsync("admin-s"));

        // Another team's case is answered like an id that does not exist, on every route, before anything changes.
        var unknown = await Http.ProblemAsync(await as_["dr-s"].GetAsync($"/reviews/{new string('0', 32)}"), 404, "not_found");
        foreach (var id in new[] { north, teamless })
        {
            foreach (var view in Views)
                await Http.ProblemAsync(await as_["dr-s"].GetAsync($"/cases/{id}{view}"), 404, "not_found");
            var refused = await Http.ProblemAsync(await as_["dr-s"].GetAsync($"/reviews/{id}"), 404, "not_found");
            Assert.Equal(unknown["detail"]?.ToString(), refused["detail"]?.ToString());
            await Http.ProblemAsync(await as_["dr-s"].ClaimAsync(id), 404, "not_found");
            await Http.ProblemAsync(await as_["dr-s"].ReleaseAsync(id), 404, "not_found");
            await Http.ProblemAsync(await as_["dr-s"].DecideAsync(id, "Normal"), 404, "not_found");
        }
        await Http.ProblemAsync(await as_["dr-n"].GetAsync($"/cases/{south}"), 404, "not_found");
        Assert.Equal("pending", (await as_["dr-n"].JsonAsync($"/reviews/{north}"))["state"]!.GetValue<string>());

        // Its own team's case: read, claimed and decided as before.
        foreach (var view in Views)
            Assert.Equal(HttpStatusCode.OK, (await as_["dr-n"].GetAsync($"/cases/{north}{view}")).StatusCode);
        await Http.JsonAsync(await as_["dr-n"].ClaimAsync(north));
        var decided = await Http.JsonAsync(await as_["dr-n"].DecideAsync(north, "Normal"));
        Assert.Equal(("decided", "dr-n"), (decided["state"]!.GetValue<string>(), decided["decided_by"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await as_["dr-any"].GetAsync($"/cases/{south}/image")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await as_["admin-s"].GetAsync($"/cases/{north}/image")).StatusCode);
        // A submitter's team does not widen what it reads: still only its own cases.
        await Http.ProblemAsync(await as_["ward-s"].GetAsync($"/cases/{north}"), 404, "not_found");

        // A key given a team later brings the cases it sent without one (keys are read on every request).
        string[] setTeam = ["keys", "set-team", "--name", "ward-x", "--team", "north", "--data-dir", data.Path];
        var (code, stdout, stderr) = await Cli.RunAsync(postgres is null ? setTeam : [.. setTeam, "--postgres", postgres]);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("1 case(s)", stdout);
        Assert.Equal(Queue(1, teamless), await QueueAsync("dr-n"));
        Assert.Equal(HttpStatusCode.OK, (await as_["dr-n"].GetAsync($"/cases/{teamless}")).StatusCode);
        await Http.ProblemAsync(await as_["dr-s"].GetAsync($"/cases/{teamless}"), 404, "not_found");

        string[] list = ["keys", "list", "--data-dir", data.Path];
        var listed = await Cli.RunAsync(postgres is null ? list : [.. list, "--postgres", postgres]);
        Assert.Equal(0, listed.ExitCode);
        var lines = listed.StdOut.Split('\n');
        Assert.Contains(lines, l => l.Contains(" north ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("ward-x", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" - ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("dr-any", StringComparison.Ordinal));
    }
}

public sealed class SqliteCaseAccessTests : CaseAccessContract
{
    protected override Task<(IReadOnlyDictionary<string, string> Environment, string? Postgres)> BackendAsync() =>
        Task.FromResult<(IReadOnlyDictionary<string, string>, string?)>((new Dictionary<string, string>(), null));
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseAccessTests(PostgresServer postgres) : CaseAccessContract
{
    protected override async Task<(IReadOnlyDictionary<string, string> Environment, string? Postgres)> BackendAsync()
    {
        var connection = await postgres.CreateDatabaseAsync();
        return (new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = connection }, connection);
    }
}
