using System.Net;
using System.Text.Json.Nodes;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>One real server (SQLite, open on loopback for /predict) that sends every automated answer to the audit
/// sample (AuditSampleFraction=1), with reviewer, admin and submitter keys made by the real CLI.</summary>
public sealed class ReviewServerFixture : IAsyncLifetime
{
    public TempDirectory Data { get; } = new();
    public ServerProcess Server { get; private set; } = null!;
    public Reviewer DrA { get; private set; } = null!;
    public Reviewer DrB { get; private set; } = null!;
    public Reviewer Admin { get; private set; } = null!;
    public Reviewer Submitter { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var keys = await Task.WhenAll(
            Cli.CreateKeyAsync(Data.Path, "reviewer", "dr-a"), Cli.CreateKeyAsync(Data.Path, "reviewer", "dr-b"),
            Cli.CreateKeyAsync(Data.Path, "admin", "admin-1"), Cli.CreateKeyAsync(Data.Path, "submitter", "ward-3"));
        Server = await ServerProcess.StartAsync(Data.Path, new Dictionary<string, string> { ["CxrQa:AuditSampleFraction"] = "1" });
        (DrA, DrB, Admin, Submitter) = (new(Server.Client, keys[0]), new(Server.Client, keys[1]), new(Server.Client, keys[2]), new(Server.Client, keys[3]));
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Data.Dispose();
    }
}

public sealed class ReviewApiTests(ReviewServerFixture fixture) : IClassFixture<ReviewServerFixture>
{
    private HttpClient Client => fixture.Server.Client;

    private async Task<JsonNode> PredictAsync(byte[] film, string contentType) =>
        await Http.JsonAsync(await Client.PostAsync("/predict", Http.Raw(film, contentType)));

    private async Task<string> RoutedCaseAsync(int seed)
    {
        var body = await PredictAsync(Films.NoisePng(seed), "image/png");
        Assert.Equal("pending_review", body["status"]!.GetValue<string>());
        Assert.Equal(("pending", "routed"), (body["review"]!["state"]!.GetValue<string>(), body["review"]!["origin"]!.GetValue<string>()));
        return body["case_id"]!.GetValue<string>();
    }

    [Fact]
    public async Task Review_endpoints_need_a_reviewer_or_admin_key_even_on_loopback_and_audit_needs_admin()
    {
        var id = await RoutedCaseAsync(101); // /predict itself is open on loopback
        foreach (var path in new[] { "/reviews", $"/reviews/{id}", "/reviews/stats", "/audit" })
            await Http.ProblemAsync(await Client.GetAsync(path), 401, "missing_api_key");
        await Http.ProblemAsync(await Client.PostAsync($"/reviews/{id}/claim", null), 401, "missing_api_key");
        await Http.ProblemAsync(await new Reviewer(Client, "not-a-key").GetAsync("/reviews"), 401, "invalid_api_key");
        await Http.ProblemAsync(await fixture.Submitter.GetAsync("/reviews"), 403, "forbidden");
        await Http.ProblemAsync(await fixture.Submitter.ClaimAsync(id), 403, "forbidden");
        await Http.ProblemAsync(await fixture.DrA.GetAsync("/audit"), 403, "forbidden");

        Assert.Equal(HttpStatusCode.OK, (await fixture.DrA.GetAsync("/reviews")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.GetAsync("/reviews")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.GetAsync("/audit")).StatusCode);
        await Http.ProblemAsync(await fixture.DrA.GetAsync("/reviews?status=lost"), 400, "invalid_query");
        await Http.ProblemAsync(await fixture.DrA.ClaimAsync(new string('0', 32)), 404, "not_found");
    }

    [Fact]
    public async Task Claim_release_and_decision_answer_409s_and_the_case_shows_decision_reviewer_and_time()
    {
        var id = await RoutedCaseAsync(202);
        var queue = await fixture.DrA.JsonAsync("/reviews?status=pending&limit=500");
        var listed = Assert.Single(queue["items"]!.AsArray(), i => i!["case_id"]!.GetValue<string>() == id)!;
        Assert.Equal($"/cases/{id}/display.png", listed["case"]!["display_url"]!.GetValue<string>());
        Assert.Equal($"/cases/{id}/thumbnail.png", listed["case"]!["thumbnail_url"]!.GetValue<string>());
        Assert.Equal(7, listed["case"]!["heatmap_grid"]!.AsArray().Count);
        Assert.Equal(500, queue["limit"]!.GetValue<int>());

        var claimed = await Http.JsonAsync(await fixture.DrA.ClaimAsync(id));
        Assert.Equal(("claimed", "dr-a"), (claimed["state"]!.GetValue<string>(), claimed["claimed_by"]!.GetValue<string>()));
        Assert.True(claimed["claim_expires_at"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(10));
        await Http.ProblemAsync(await fixture.DrB.ClaimAsync(id), 409, "already_claimed");
        Assert.Equal(HttpStatusCode.OK, (await fixture.DrA.ClaimAsync(id)).StatusCode); // refresh
        await Http.ProblemAsync(await fixture.DrB.DecideAsync(id, "Normal"), 409, "not_claimed_by_you");
        await Http.ProblemAsync(await fixture.DrB.ReleaseAsync(id), 409, "not_claimed_by_you");
        await Http.ProblemAsync(await fixture.DrA.DecideAsync(id, "Maybe"), 400, "invalid_label");
        await Http.ProblemAsync(await fixture.DrA.DecideAsync(id, "Normal", new string('x', 2001)), 400, "invalid_note");
        Assert.Equal("pending", (await Http.JsonAsync(await fixture.DrA.ReleaseAsync(id)))["state"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await fixture.DrB.ClaimAsync(id)).StatusCode);
        var decided = await Http.JsonAsync(await fixture.DrB.DecideAsync(id, "Pneumonia", "consolidation, right lower lobe"));
        Assert.Equal(("decided", "dr-b", "Pneumonia"), (decided["state"]!.GetValue<string>(), decided["decided_by"]!.GetValue<string>(), decided["label"]!.GetValue<string>()));
        await Http.ProblemAsync(await fixture.DrB.DecideAsync(id, "Normal"), 409, "already_decided");
        await Http.ProblemAsync(await fixture.DrA.ClaimAsync(id), 409, "already_decided");

        var stored = await fixture.DrA.JsonAsync($"/cases/{id}");
        var review = stored["review"]!;
        Assert.Equal(("decided", "dr-b", "Pneumonia", "consolidation, right lower lobe"),
            (review["state"]!.GetValue<string>(), review["decided_by"]!.GetValue<string>(), review["label"]!.GetValue<string>(), review["note"]!.GetValue<string>()));
        Assert.InRange(review["decided_at"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Null(review["case"]);
        Assert.Equal("pending_review", stored["status"]!.GetValue<string>());

        var audit = await Http.JsonAsync(await fixture.Admin.GetAsync($"/audit?case_id={id}"));
        var items = audit["items"]!.AsArray();
        Assert.Equal(["created", "claimed", "claimed", "released", "claimed", "decided"], items.Select(i => i!["action"]!.GetValue<string>()));
        Assert.Equal(["anonymous", "dr-a", "dr-a", "dr-a", "dr-b", "dr-b"], items.Select(i => i!["actor"]!.GetValue<string>()));
        // The key's id beside its name: none for the anonymous loopback upload, one id per reviewer key.
        var keyIds = items.Select(i => i!["actor_key_id"]?.GetValue<string>()).ToList();
        Assert.Null(keyIds[0]);
        Assert.All(keyIds.Skip(1), k => Assert.Matches("^[0-9a-f]{32}$", k));
        Assert.Equal(2, keyIds.Skip(1).Distinct().Count());
        Assert.Equal(keyIds[1], keyIds[3]);
        Assert.Null(items[0]!["before"]);
        Assert.Equal("claimed", items[^1]!["before"]!["state"]!.GetValue<string>());
        Assert.Equal("Pneumonia", items[^1]!["after"]!["label"]!.GetValue<string>());
        var next = await Http.JsonAsync(await fixture.Admin.GetAsync($"/audit?case_id={id}&after_id={items[2]!["id"]}&limit=2"));
        Assert.Equal(["released", "claimed"], next["items"]!.AsArray().Select(i => i!["action"]!.GetValue<string>()));

        var metrics = await Client.GetStringAsync("/metrics");
        Assert.Matches(@"cxrqa_review_queue_depth\{state=""pending""\} \d+", metrics);
        Assert.Matches(@"cxrqa_review_queue_depth\{state=""claimed""\} \d+", metrics);
        Assert.Matches(@"cxrqa_review_decisions_total\{label=""Pneumonia""\} [1-9]\d*", metrics);
    }

    [Fact]
    public async Task Display_and_thumbnail_are_grey_pngs_within_their_long_side_for_jpeg_and_dicom()
    {
        var jpeg = await PredictAsync(await File.ReadAllBytesAsync(Films.FullResolution), "image/jpeg");
        var dicom = await PredictAsync(await File.ReadAllBytesAsync(Films.ChestDicom), "application/dicom");
        foreach (var body in new[] { jpeg, dicom })
        {
            var id = body["case_id"]!.GetValue<string>();
            var (w, h) = (body["quality"]!["width"]!.GetValue<int>(), body["quality"]!["height"]!.GetValue<int>());
            foreach (var (kind, side) in new[] { ("display", 1024), ("thumbnail", 160) })
            {
                using var response = await Client.GetAsync($"/cases/{id}/{kind}.png");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
                var (pw, ph, depth, colour) = Films.PngHeader(await response.Content.ReadAsByteArrayAsync());
                Assert.Equal((8, 0), (depth, colour)); // 8-bit grey
                Assert.Equal(Math.Min(side, Math.Max(w, h)), Math.Max(pw, ph));
                Assert.Equal(w / (double)h, pw / (double)ph, 1);
            }
        }
        await Http.ProblemAsync(await Client.GetAsync($"/cases/{new string('0', 32)}/display.png"), 404, "not_found");
    }

    [Fact]
    public async Task Sampled_automated_answers_enter_the_queue_and_stats_count_agreement()
    {
        // Not the films the export test decides: evaluate keeps one of byte-identical films, whatever their labels.
        var films = Directory.GetFiles(TestData.Path("kermany-224", "val", "NORMAL"), "*.jpeg").Order(StringComparer.Ordinal).Skip(2).Take(6)
            .Concat(Directory.GetFiles(TestData.Path("kermany-224", "val", "PNEUMONIA"), "*.jpeg").Order(StringComparer.Ordinal).Skip(1).Take(6))
            .Select(p => (Path.GetFileName(p), File.ReadAllBytes(p))).ToArray();
        var answers = (await Http.JsonAsync(await Client.PostAsync("/predict", Http.Multipart(films)))).AsArray();
        var automated = answers.Where(a => a!["status"]!.GetValue<string>() == "automated").ToList();
        Assert.True(automated.Count >= 2, $"need two automated answers among {answers.Count}");
        Assert.All(automated, a => Assert.Equal(("pending", "audit_sample"),
            (a!["review"]!["state"]!.GetValue<string>(), a["review"]!["origin"]!.GetValue<string>())));

        var before = (await fixture.Admin.JsonAsync("/reviews/stats"))["audit_sample"]!;
        var (agree, disagree) = (automated[0]!, automated[1]!);
        foreach (var (answer, label) in new[] { (agree, agree["prediction"]!.GetValue<string>()),
                     (disagree, disagree["prediction"]!.GetValue<string>() == "Normal" ? "Pneumonia" : "Normal") })
        {
            var id = answer["case_id"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.OK, (await fixture.DrA.ClaimAsync(id)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await fixture.DrA.DecideAsync(id, label)).StatusCode);
            Assert.Equal("automated", (await fixture.DrA.JsonAsync($"/cases/{id}"))["status"]!.GetValue<string>());
        }
        if (automated.Count > 2)
        {
            var id = automated[2]!["case_id"]!.GetValue<string>();
            await fixture.DrB.ClaimAsync(id);
            Assert.Equal(HttpStatusCode.OK, (await fixture.DrB.DecideAsync(id, "Unreadable")).StatusCode);
        }

        var stats = await fixture.DrB.JsonAsync("/reviews/stats");
        var after = stats["audit_sample"]!;
        Assert.Equal(before["agreements"]!.GetValue<long>() + 1, after["agreements"]!.GetValue<long>());
        Assert.Equal(before["disagreements"]!.GetValue<long>() + 1, after["disagreements"]!.GetValue<long>());
        var n = after["decided"]!.GetValue<long>();
        Assert.Equal(after["agreements"]!.GetValue<long>() + after["disagreements"]!.GetValue<long>(), n);
        var rate = after["error_rate"]!.GetValue<double>();
        Assert.Equal(after["disagreements"]!.GetValue<long>() / (double)n, rate, 12);
        Assert.InRange(after["error_rate_upper_95"]!.GetValue<double>(), rate + 1e-9, 1);
        Assert.True(stats["pending"]!.GetValue<long>() >= answers.Count - 3);

        var metrics = await Client.GetStringAsync("/metrics");
        var ratio = double.Parse(System.Text.RegularExpressions.Regex.Match(metrics, @"(?m)^cxrqa_audit_sample_agreement_ratio (\S+)$").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(after["agreements"]!.GetValue<long>() / (double)n, ratio, 12);
    }

    [Fact]
    public async Task Export_reviews_writes_a_labelled_folder_that_evaluate_accepts_and_leaves_the_data_directory_alone()
    {
        var decisions = new List<(string Id, string Label, string Ext)>();
        foreach (var (path, type, label, ext) in new[]
                 {
                     (Films.Normal, "image/jpeg", "Normal", ".jpg"), (Films.NormalSecond, "image/jpeg", "Normal", ".jpg"),
                     (Films.Pneumonia, "image/jpeg", "Pneumonia", ".jpg"), (Films.ChestDicom, "application/dicom", "Pneumonia", ".dcm"),
                 })
            decisions.Add(((await PredictAsync(await File.ReadAllBytesAsync(path), type))["case_id"]!.GetValue<string>(), label, ext));
        decisions.Add((await RoutedCaseAsync(303), "Unreadable", ".png"));
        foreach (var (id, label, _) in decisions)
        {
            Assert.Equal(HttpStatusCode.OK, (await fixture.DrB.ClaimAsync(id)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await fixture.DrB.DecideAsync(id, label)).StatusCode);
        }

        using var work = new TempDirectory();
        var output = Path.Combine(work.Path, "export");
        var casesBefore = Snapshot(Path.Combine(fixture.Data.Path, "cases"));
        var (code, _, stderr) = await Cli.RunAsync("export-reviews", "--data-dir", fixture.Data.Path, "--out", output);
        Assert.True(code == 0, $"export-reviews failed ({code}): {stderr}");
        Assert.Equal(casesBefore, Snapshot(Path.Combine(fixture.Data.Path, "cases")));
        Assert.Contains("unreadable", stderr);

        var manifest = (await File.ReadAllLinesAsync(Path.Combine(output, "manifest.csv"))).ToList();
        Assert.Equal("case_id,label,file,origin,model_prediction,pneumonia_probability,decided_by,decided_at,input_sha256", manifest[0]);
        var rows = manifest.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0]);
        foreach (var (id, label, ext) in decisions)
        {
            if (label == "Unreadable")
            {
                Assert.False(rows.ContainsKey(id));
                Assert.Empty(Directory.GetFiles(output, id + ".*", SearchOption.AllDirectories));
                continue;
            }
            var row = rows[id];
            var file = $"{label.ToUpperInvariant()}/{id}{ext}";
            Assert.Equal((label, file, "dr-b"), (row[1], row[2], row[6]));
            var stored = await File.ReadAllBytesAsync(Directory.GetFiles(Path.Combine(fixture.Data.Path, "cases", id), "film.*").Single());
            Assert.Equal(stored, await File.ReadAllBytesAsync(Path.Combine(output, file)));
            Assert.Equal(Http.Sha256(stored), row[8]);
        }

        // A non-empty --out is refused unless --overwrite, which replaces the earlier export.
        var again = await Cli.RunAsync("export-reviews", "--data-dir", fixture.Data.Path, "--out", output);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("not empty", again.StdErr);
        Assert.Equal(0, (await Cli.RunAsync("export-reviews", "--data-dir", fixture.Data.Path, "--out", output, "--overwrite")).ExitCode);
        var missing = await Cli.RunAsync("export-reviews", "--data-dir", Path.Combine(work.Path, "nowhere"), "--out", Path.Combine(work.Path, "x"));
        Assert.Equal(2, missing.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(work.Path, "nowhere")));

        // evaluate reads the export like any labelled folder, the DICOM film included.
        var report = Path.Combine(work.Path, "report");
        var model = Path.Combine(TestData.RepoRoot, "models", "cxrqa-ensemble-resnet18-int8");
        var evaluated = await Cli.RunAsync("evaluate", "--model", model, "--data", output, "--out", report);
        Assert.True(evaluated.ExitCode == 0, $"evaluate failed ({evaluated.ExitCode}): {evaluated.StdErr}");
        var predictions = await File.ReadAllTextAsync(Path.Combine(report, "predictions.csv"));
        foreach (var (id, label, ext) in decisions.Where(d => d.Label != "Unreadable"))
            Assert.Contains($"\"{label.ToUpperInvariant()}/{id}{ext}\",{label},", predictions);
    }

    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Http.Sha256(File.ReadAllBytes(f)) + File.GetLastWriteTimeUtc(f).Ticks);
}
