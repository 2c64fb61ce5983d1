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
        foreach (var kept in new[] { "film.deid.dcm", "display.png" })
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, kept)));
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
