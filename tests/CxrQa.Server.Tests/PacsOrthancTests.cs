using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>
/// The hospital round trip against a real PACS (Orthanc with DICOMweb): a modality's C-STORE to Orthanc, Orthanc's
/// STOW-RS to CxrQa, CxrQa's SR and SC back into the same study; the outbox while the PACS is down and across a
/// restart; the verified report after review; patient identifiers only in what goes to the PACS.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PacsOrthancTests
{
    private static readonly TimeSpan ResultsWithin = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> PacsSettings(OrthancServer orthanc) => new()
    {
        ["CxrQa:Pacs:StowUrl"] = orthanc.DicomWebUrl,
        ["CxrQa:Pacs:PollInterval"] = "00:00:00.500",
        ["CxrQa:Pacs:FirstRetryDelay"] = "00:00:00.500",
        ["CxrQa:Pacs:MaxRetryDelay"] = "00:00:02",
        // Every case gets a review row (automated ones as audit samples), so the test can always decide it.
        ["CxrQa:AuditSampleFraction"] = "1",
    };

    /// <summary>An SR or SC CxrQa wrote (not the film itself, which may be a Secondary Capture too).</summary>
    private static bool IsResult(JsonNode instance, string sopClass, string filmSopInstance) =>
        OrthancServer.SopClassOf(instance) == sopClass && OrthancServer.SopInstanceOf(instance) != filmSopInstance;

    /// <summary>One series' value from /metrics; -1 when it is absent.</summary>
    internal static async Task<long> MetricAsync(ServerProcess server, string series)
    {
        var text = await server.Client.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task<JsonNode> OnlyReviewAsync(Reviewer reviewer)
    {
        var list = await reviewer.JsonAsync("/reviews?status=pending");
        return Assert.Single(list["items"]!.AsArray())!;
    }

    [Fact]
    public async Task A_film_from_a_modality_comes_back_as_a_report_and_an_overlay_in_its_study_then_verified_after_review()
    {
        using var data = new TempDirectory();
        using var films = new TempDirectory();
        var reviewerKey = await Cli.CreateKeyAsync(data.Path, "reviewer", "dr-a");
        var port = ServerProcess.FreePort();
        await using var orthanc = await OrthancServer.StartAsync($"http://127.0.0.1:{port}/dicomweb");
        await using var server = await ServerProcess.StartAsync(data.Path, PacsSettings(orthanc), port: port);

        var film = await DicomFiles.WithPatientIdentifiersAsync(DicomFiles.ChestDx, films.Path);
        var study = await DicomFiles.TagAsync(film, "0020,000d");
        var filmInstance = await DicomFiles.TagAsync(film, "0008,0018");
        await orthanc.StoreScuAsync(film);

        var instances = await orthanc.WaitForStudyAsync(study, i =>
                i.Any(x => IsResult(x, DicomFiles.ComprehensiveSr, filmInstance)) && i.Any(x => IsResult(x, DicomFiles.SecondaryCapture, filmInstance)),
            "an SR and an SC from CxrQa", ResultsWithin, () => server.Output);
        Assert.Equal(3, instances.Count);

        // The report says what the case says.
        var reviewer = new Reviewer(server.Client, reviewerKey);
        var review = await OnlyReviewAsync(reviewer);
        var caseId = review["case_id"]!.GetValue<string>();
        var view = await Http.JsonAsync(await reviewer.GetAsync($"/cases/{caseId}"));
        var srFile = Path.Combine(films.Path, "sr.dcm");
        await File.WriteAllBytesAsync(srFile, await orthanc.FileAsync(OrthancServer.SopInstanceOf(
            instances.Single(i => IsResult(i!, DicomFiles.ComprehensiveSr, filmInstance))!)));
        var sr = await DicomFiles.SrTextAsync(srFile);
        ReportChecks.AssertSaysWhatTheCaseSays(sr, view);
        Assert.Equal("UNVERIFIED", await DicomFiles.TagAsync(srFile, "0040,a493"));
        await ReportChecks.AssertNoDciodvfyErrorsAsync(srFile);
        // The identifiers travel to the PACS, in the report filed with the patient's study...
        Assert.Equal(Films.PatientIdentifiers[0], await DicomFiles.TagAsync(srFile, "0010,0010"));
        Assert.Equal(study, await DicomFiles.TagAsync(srFile, "0020,000d"));

        // ... and the radiologist's decision follows as the verified report.
        Assert.Equal(HttpStatusCode.OK, (await reviewer.ClaimAsync(caseId)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.DecideAsync(caseId, "Pneumonia")).StatusCode);
        instances = await orthanc.WaitForStudyAsync(study, i => i.Count(x => IsResult(x, DicomFiles.ComprehensiveSr, filmInstance)) == 2,
            "the verified SR", ResultsWithin, () => server.Output);
        var verified = instances.Where(i => IsResult(i!, DicomFiles.ComprehensiveSr, filmInstance))
            .Select(i => OrthancServer.SopInstanceOf(i!)).ToList();
        var flags = new List<string>();
        foreach (var uid in verified)
        {
            var file = Path.Combine(films.Path, uid + ".dcm");
            await File.WriteAllBytesAsync(file, await orthanc.FileAsync(uid));
            flags.Add(await DicomFiles.TagAsync(file, "0040,a493"));
            await ReportChecks.AssertNoDciodvfyErrorsAsync(file);
        }
        Assert.Equal(["UNVERIFIED", "VERIFIED"], flags.Order(StringComparer.Ordinal));

        Assert.Equal(0, await MetricAsync(server, "cxrqa_pacs_outbox_depth"));
        Assert.Equal(1, await MetricAsync(server, "cxrqa_pacs_sent_total{kind=\"verified_sr\"}"));
        // Never in the server's own output (logs), its answers or its metrics.
        var said = server.Output + await server.Client.GetStringAsync("/metrics") + view.ToJsonString();
        foreach (var identifier in Films.PatientIdentifiers)
            Assert.DoesNotContain(identifier, said, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Results_wait_in_the_outbox_while_the_pacs_is_down_and_across_a_restart()
    {
        using var data = new TempDirectory();
        var port = ServerProcess.FreePort();
        await using var orthanc = await OrthancServer.StartAsync($"http://127.0.0.1:{port}/dicomweb");
        orthanc.Stop();
        var settings = PacsSettings(orthanc);
        var film = await File.ReadAllBytesAsync(DicomFiles.ChestDx);
        var study = await DicomFiles.TagAsync(DicomFiles.ChestDx, "0020,000d");
        var filmInstance = Path.GetFileNameWithoutExtension(DicomFiles.ChestDx);

        await using (var first = await ServerProcess.StartAsync(data.Path, settings, port: port))
        {
            var stow = await first.Client.PostAsync("/dicomweb/studies", DicomFiles.Stow(("application/dicom", film)));
            Assert.Equal(HttpStatusCode.OK, stow.StatusCode);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await MetricAsync(first, "cxrqa_pacs_send_failures_total{category=\"unreachable\"}") < 2 && DateTime.UtcNow < deadline)
                await Task.Delay(250);
            Assert.True(await MetricAsync(first, "cxrqa_pacs_send_failures_total{category=\"unreachable\"}") >= 2, first.Output);
            Assert.Equal(2, await MetricAsync(first, "cxrqa_pacs_outbox_depth"));
            first.Kill(); // a crash while results are waiting
        }

        await orthanc.StartAsync();
        await using var second = await ServerProcess.StartAsync(data.Path, settings, port: port);
        await orthanc.WaitForStudyAsync(study, i =>
                i.Any(x => IsResult(x, DicomFiles.ComprehensiveSr, filmInstance)) && i.Any(x => IsResult(x, DicomFiles.SecondaryCapture, filmInstance)),
            "the SR and SC after the PACS came back", ResultsWithin, () => second.Output);
        var drained = DateTime.UtcNow.AddSeconds(10);
        while (await MetricAsync(second, "cxrqa_pacs_outbox_depth") != 0 && DateTime.UtcNow < drained)
            await Task.Delay(250);
        Assert.Equal(0, await MetricAsync(second, "cxrqa_pacs_outbox_depth"));
        Assert.Equal(1, await MetricAsync(second, "cxrqa_pacs_sent_total{kind=\"result_sr\"}"));
        Assert.Equal(1, await MetricAsync(second, "cxrqa_pacs_sent_total{kind=\"overlay_sc\"}"));
    }

    [Fact]
    public async Task A_non_chest_study_gets_a_report_that_says_why_it_went_to_a_radiologist()
    {
        using var data = new TempDirectory();
        using var films = new TempDirectory();
        var port = ServerProcess.FreePort();
        await using var orthanc = await OrthancServer.StartAsync($"http://127.0.0.1:{port}/dicomweb");
        await using var server = await ServerProcess.StartAsync(data.Path, PacsSettings(orthanc), port: port);

        await orthanc.StoreScuAsync(DicomFiles.Ct);
        var study = await DicomFiles.TagAsync(DicomFiles.Ct, "0020,000d");
        var instances = await orthanc.WaitForStudyAsync(study, i => i.Any(x => OrthancServer.SopClassOf(x) == DicomFiles.ComprehensiveSr),
            "an SR from CxrQa", ResultsWithin, () => server.Output);
        var srFile = Path.Combine(films.Path, "sr.dcm");
        await File.WriteAllBytesAsync(srFile, await orthanc.FileAsync(OrthancServer.SopInstanceOf(
            instances.Single(i => OrthancServer.SopClassOf(i!) == DicomFiles.ComprehensiveSr)!)));
        var sr = await DicomFiles.SrTextAsync(srFile);
        Assert.Contains("\"Reason for radiologist review\")=\"not_chest_modality: DICOM header says this is not a chest radiograph\"", sr, StringComparison.Ordinal);
        Assert.Contains("CODE:(,,\"Routing status\")=(pending_review,", sr, StringComparison.Ordinal);
        await ReportChecks.AssertNoDciodvfyErrorsAsync(srFile);
    }
}

/// <summary>What the tests read in a report written by CxrQa.</summary>
public static class ReportChecks
{
    /// <summary>The SR (as dsrdump prints it) names the case, its finding, its probability and its routing status.</summary>
    public static void AssertSaysWhatTheCaseSays(string srText, JsonNode caseView)
    {
        Assert.Contains($"\"CxrQa case id\")=\"{caseView["case_id"]!.GetValue<string>()}\"", srText, StringComparison.Ordinal);
        var finding = Regex.Match(srText, @"CODE:\(,,""Pneumonia""\)=\([^)]*""(Present|Absent)""\)");
        Assert.True(finding.Success, srText);
        Assert.Equal(caseView["prediction"]!.GetValue<string>() == "Pneumonia" ? "Present" : "Absent", finding.Groups[1].Value);
        var probability = Regex.Match(srText, @"NUM:\(,,""Calibrated probability of pneumonia""\)=""([0-9.eE+-]+)""");
        Assert.True(probability.Success, srText);
        Assert.Equal(caseView["pneumonia_probability"]!.GetValue<double>(), double.Parse(probability.Groups[1].Value, CultureInfo.InvariantCulture), 6);
        Assert.Contains($"CODE:(,,\"Routing status\")=({caseView["status"]!.GetValue<string>()},", srText, StringComparison.Ordinal);
        foreach (var reason in caseView["reasons"]!.AsArray())
            Assert.Contains($"\"Reason for radiologist review\")=\"{reason!.GetValue<string>()}: ", srText, StringComparison.Ordinal);
    }

    /// <summary>dicom3tools' dciodvfy finds no error in the object (warnings allowed).</summary>
    public static async Task AssertNoDciodvfyErrorsAsync(string file)
    {
        var output = await DicomFiles.RunAsync("dciodvfy", [file], mustSucceed: false);
        var errors = output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"dciodvfy errors:\n{output}");
    }
}

/// <summary>Two replicas on one PostgreSQL database share the outbox: while the PACS is down both queue and retry,
/// and when it comes back every result is stored exactly once between them (the leases), none lost.</summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresPacsOrthancTests(PostgresServer postgres)
{
    private static Task<long> MetricAsync(ServerProcess server, string series) => PacsOrthancTests.MetricAsync(server, series);

    [Fact]
    public async Task Two_replicas_drain_one_outbox_without_sending_a_row_twice()
    {
        using var data = new TempDirectory();
        var env = new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = await postgres.CreateDatabaseAsync() };
        await using var orthanc = await OrthancServer.StartAsync($"http://127.0.0.1:{ServerProcess.FreePort()}/dicomweb");
        orthanc.Stop();
        var settings = new Dictionary<string, string>
        {
            ["CxrQa:Pacs:StowUrl"] = orthanc.DicomWebUrl,
            ["CxrQa:Pacs:PollInterval"] = "00:00:00.200",
            ["CxrQa:Pacs:FirstRetryDelay"] = "00:00:00.200",
            ["CxrQa:Pacs:MaxRetryDelay"] = "00:00:01",
            ["CxrQa:Pacs:BatchSize"] = "2",
        };
        var replicas = await Task.WhenAll(ServerProcess.StartAsync(data.Path, settings, env), ServerProcess.StartAsync(data.Path, settings, env));
        try
        {
            var film = await File.ReadAllBytesAsync(DicomFiles.ChestDx);
            const int FilmCount = 4;
            for (var i = 0; i < FilmCount; i++)
                Assert.Equal(HttpStatusCode.OK, (await replicas[i % 2].Client.PostAsync("/dicomweb/studies", DicomFiles.Stow(("application/dicom", film)))).StatusCode);
            Assert.Equal(2 * FilmCount, await MetricAsync(replicas[0], "cxrqa_pacs_outbox_depth"));

            await orthanc.StartAsync();
            var study = await DicomFiles.TagAsync(DicomFiles.ChestDx, "0020,000d");
            var instances = await orthanc.WaitForStudyAsync(study, i => i.Count == 2 * FilmCount, $"{2 * FilmCount} results",
                TimeSpan.FromSeconds(90), () => replicas[0].Output + replicas[1].Output);
            Assert.Equal(FilmCount, instances.Count(i => OrthancServer.SopClassOf(i!) == DicomFiles.ComprehensiveSr));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await MetricAsync(replicas[1], "cxrqa_pacs_outbox_depth") != 0 && DateTime.UtcNow < deadline)
                await Task.Delay(200);
            Assert.Equal(0, await MetricAsync(replicas[1], "cxrqa_pacs_outbox_depth"));
            foreach (var kind in new[] { "result_sr", "overlay_sc" })
            {
                var sent = 0L;
                foreach (var replica in replicas)
                    sent += await MetricAsync(replica, $"cxrqa_pacs_sent_total{{kind=\"{kind}\"}}");
                Assert.Equal(FilmCount, sent);
            }
        }
        finally
        {
            foreach (var replica in replicas)
                await replica.DisposeAsync();
        }
    }
}
