using System.Net;
using System.Text.Json.Nodes;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>One real server (SQLite, open on loopback) shared by the tests of this class.</summary>
public sealed class OpenServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _data.Dispose();
    }
}

public sealed class ServerApiTests(OpenServerFixture fixture) : IClassFixture<OpenServerFixture>
{
    /// <summary>The bundle the server loads on its embedded defaults (ModelLocator.ShippedBundleName).</summary>
    private const string ShippedModelName = "cxrqa-ensemble-resnet18-int8";

    private HttpClient Client => fixture.Server.Client;

    private static void AssertCaseFields(JsonNode body)
    {
        foreach (var field in new[] { "case_id", "created", "prediction", "confidence", "pneumonia_probability", "status", "reasons",
                     "message", "heatmap_url", "image_url", "heatmap_grid", "quality", "model", "input_sha256" })
            Assert.True(body[field] is not null, $"missing '{field}' in {body.ToJsonString()}");
        Assert.Contains(body["prediction"]!.GetValue<string>(), new[] { "Normal", "Pneumonia" });
        Assert.Contains(body["status"]!.GetValue<string>(), new[] { "automated", "pending_review" });
        var p = body["pneumonia_probability"]!.GetValue<double>();
        Assert.InRange(p, 0, 1);
        Assert.InRange(body["confidence"]!.GetValue<double>(), 0.5, 1);
        Assert.Equal(7, body["heatmap_grid"]!.AsArray().Count);
        Assert.All(body["heatmap_grid"]!.AsArray(), row => Assert.Equal(7, row!.AsArray().Count));
        var quality = body["quality"]!;
        Assert.True(quality["width"]!.GetValue<int>() > 0);
        Assert.True(quality["height"]!.GetValue<int>() > 0);
        Assert.NotNull(quality["format"]);
        Assert.NotNull(quality["colourfulness"]);
        Assert.Equal(ShippedModelName, body["model"]!["name"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["model"]!["version"]!.GetValue<string>()));
        var message = body["message"]!.GetValue<string>();
        if (body["status"]!.GetValue<string>() == "pending_review")
            Assert.EndsWith("routed to radiologist", message);
        else
            Assert.StartsWith("Automated answer", message);
        Assert.Equal(body["reasons"]!.AsArray().Count == 0, body["status"]!.GetValue<string>() == "automated");
    }

    [Fact]
    public async Task Multipart_predict_answers_and_the_case_its_film_and_heatmap_can_be_fetched()
    {
        var bytes = await File.ReadAllBytesAsync(Films.Pneumonia);
        using var response = await Client.PostAsync("/predict", Http.Multipart(("DOE^JOHN-1957-03-04.jpeg", bytes)));
        var body = await Http.JsonAsync(response);
        AssertCaseFields(body);
        Assert.Equal(Http.Sha256(bytes), body["input_sha256"]!.GetValue<string>());
        Assert.Equal("jpeg", body["quality"]!["format"]!.GetValue<string>());
        var id = body["case_id"]!.GetValue<string>();

        var stored = await Http.JsonAsync(await Client.GetAsync($"/cases/{id}"));
        AssertCaseFields(stored);
        foreach (var field in new[] { "case_id", "prediction", "pneumonia_probability", "confidence", "status", "message", "input_sha256" })
            Assert.Equal(body[field]!.ToJsonString(), stored[field]!.ToJsonString());
        Assert.Equal(body["heatmap_grid"]!.ToJsonString(), stored["heatmap_grid"]!.ToJsonString());

        using var image = await Client.GetAsync(body["image_url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await image.Content.ReadAsByteArrayAsync());

        using var heatmap = await Client.GetAsync(body["heatmap_url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, heatmap.StatusCode);
        Assert.Equal("image/png", heatmap.Content.Headers.ContentType?.MediaType);
        var png = await heatmap.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);

        Assert.True(File.Exists(Path.Combine(fixture.Server.DataDirectory, "cases", id, "film.jpg")));
        Assert.True(File.Exists(Path.Combine(fixture.Server.DataDirectory, "cases", id, "heatmap.png")));
        // Upload names may carry patient identifiers: they are neither stored nor logged.
        Assert.Contains(id, fixture.Server.Output);
        Assert.DoesNotContain("DOE^JOHN", fixture.Server.Output);
        Assert.DoesNotContain("DOE^JOHN", await File.ReadAllTextAsync(Path.Combine(fixture.Server.DataDirectory, "cxrqa.db")));
    }

    [Fact]
    public async Task Raw_jpeg_and_raw_dicom_bodies_are_answered_without_patient_data()
    {
        var jpeg = await File.ReadAllBytesAsync(Films.Normal);
        var first = await Http.JsonAsync(await Client.PostAsync("/predict", Http.Raw(jpeg, "image/jpeg")));
        AssertCaseFields(first);
        Assert.Equal(Http.Sha256(jpeg), first["input_sha256"]!.GetValue<string>());

        var dicom = await File.ReadAllBytesAsync(Films.ChestDicom);
        using var response = await Client.PostAsync("/predict", Http.Raw(dicom, "application/dicom"));
        var text = await response.Content.ReadAsStringAsync();
        var body = await Http.JsonAsync(response);
        AssertCaseFields(body);
        Assert.Equal("dicom", body["quality"]!["format"]!.GetValue<string>());
        Assert.NotNull(body["quality"]!["dicom"]!["transfer_syntax_uid"]);
        Assert.DoesNotContain("patient", text, StringComparison.OrdinalIgnoreCase);

        // Without a key (open loopback server) the DICOM comes de-identified: the role allows no identified data.
        using var image = await Client.GetAsync($"/cases/{body["case_id"]}/image");
        Assert.Equal("application/dicom", image.Content.Headers.ContentType?.MediaType);
        var copy = await image.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(dicom, copy);
        Assert.Contains("basic profile", System.Text.Encoding.Latin1.GetString(copy), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_films_in_one_request_are_answered_in_order()
    {
        string[] paths = [Films.Normal, Films.Pneumonia, Films.NormalSecond];
        var files = paths.Select(p => (Path.GetFileName(p), File.ReadAllBytes(p))).ToArray();
        var body = (await Http.JsonAsync(await Client.PostAsync("/predict", Http.Multipart(files)))).AsArray();
        Assert.Equal(3, body.Count);
        for (var i = 0; i < 3; i++)
        {
            AssertCaseFields(body[i]!);
            Assert.Equal(Http.Sha256(files[i].Item2), body[i]!["input_sha256"]!.GetValue<string>());
        }
        Assert.Equal(3, body.Select(b => b!["case_id"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public async Task A_bad_film_among_several_gets_its_error_in_place_and_the_others_their_cases()
    {
        var good = await File.ReadAllBytesAsync(Films.Normal);
        var body = (await Http.JsonAsync(await Client.PostAsync("/predict",
            Http.Multipart(("a.jpeg", good), ("b.jpeg", Films.TruncatedJpeg()), ("c.jpeg", good))))).AsArray();
        Assert.Equal(3, body.Count);
        AssertCaseFields(body[0]!);
        Assert.Equal("b.jpeg", body[1]!["file"]!.GetValue<string>());
        Assert.Equal("truncated_image", body[1]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(422, body[1]!["error"]!["status"]!.GetValue<int>());
        AssertCaseFields(body[2]!);
    }

    public static TheoryData<string, int, string> BadInputs => new()
    {
        { "empty", 400, "empty_file" },
        { "empty-multipart", 400, "empty_file" },
        { "truncated-jpeg", 422, "truncated_image" },
        { "text-as-png", 415, "unsupported_format" },
        { "wrong-content-type", 415, "unsupported_media_type" },
        { "huge-png-header", 413, "image_too_large" },
        { "garbage-dicom", 422, "dicom_malformed" },
        { "path-traversal-name", 400, "invalid_file_name" },
        { "absolute-path-name", 400, "invalid_file_name" },
        { "no-file-field", 400, "missing_file" },
        { "too-many-part-headers", 400, "bad_request" },
        { "part-header-over-16-KiB", 400, "bad_request" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_inputs_get_problem_json_with_a_code_and_the_server_stays_ready(string input, int status, string code)
    {
        var jpeg = await File.ReadAllBytesAsync(Films.Normal);
        HttpContent content = input switch
        {
            "empty" => Http.Raw([], "image/jpeg"),
            "empty-multipart" => Http.Multipart(("empty.jpeg", [])),
            "truncated-jpeg" => Http.Raw(Films.TruncatedJpeg(), "image/jpeg"),
            "text-as-png" => Http.Raw("this is not a picture"u8.ToArray(), "image/png"),
            "wrong-content-type" => Http.Raw(jpeg, "text/plain"),
            "huge-png-header" => Http.Raw(Films.HugePngHeader(), "image/png"),
            "garbage-dicom" => Http.Raw(Films.GarbageDicom(), "application/dicom"),
            "path-traversal-name" => Http.Multipart(("../../../../tmp/evil.jpeg", jpeg)),
            "absolute-path-name" => Http.Multipart(("/etc/cron.d/evil", jpeg)),
            "no-file-field" => new MultipartFormDataContent { { new StringContent("x"), "other" } },
            "too-many-part-headers" => Http.MultipartWithPartHeaders(jpeg, Enumerable.Range(0, 20).Select(i => $"X-Pad-{i}: {i}")),
            "part-header-over-16-KiB" => Http.MultipartWithPartHeaders(jpeg, [$"X-Pad: {new string('a', 20 * 1024)}"]),
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };
        var casesBefore = Directory.GetDirectories(Path.Combine(fixture.Server.DataDirectory, "cases")).Length;
        using var response = await Client.PostAsync("/predict", content);
        await Http.ProblemAsync(response, status, code);
        Assert.Equal(casesBefore, Directory.GetDirectories(Path.Combine(fixture.Server.DataDirectory, "cases")).Length);
        Assert.False(File.Exists("/tmp/evil.jpeg"));

        using var ready = await Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_and_cases_are_404_problem_json()
    {
        await Http.ProblemAsync(await Client.GetAsync("/no/such/route"), 404, "not_found");
        await Http.ProblemAsync(await Client.GetAsync($"/cases/{new string('0', 32)}"), 404, "not_found");
        await Http.ProblemAsync(await Client.GetAsync("/cases/..%2F..%2Fcxrqa.db/image"), 404, "not_found");
        await Http.ProblemAsync(await Client.GetAsync("/cases/not-an-id/heatmap.png"), 404, "not_found");
    }

    [Fact]
    public async Task Health_metrics_and_api_documents_answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/live")).StatusCode);
        var ready = await Http.JsonAsync(await Client.GetAsync("/health/ready"));
        Assert.Equal("ready", ready["status"]!.GetValue<string>());

        await Client.PostAsync("/predict", Http.Raw(await File.ReadAllBytesAsync(Films.Pneumonia), "image/jpeg"));
        await Client.PostAsync("/predict", Http.Raw([], "image/jpeg"));
        using var metrics = await Client.GetAsync("/metrics");
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE cxrqa_http_request_duration_seconds histogram", text);
        Assert.Contains("cxrqa_http_request_duration_seconds_bucket{route=\"/predict\",method=\"POST\",code=\"200\",le=\"+Inf\"}", text);
        Assert.Contains("cxrqa_answers_total{status=\"automated\"}", text);
        Assert.Contains("cxrqa_answers_total{status=\"pending_review\"}", text);
        Assert.Contains("# TYPE cxrqa_answer_reasons_total counter", text);
        Assert.Contains("cxrqa_errors_total{code=\"empty_file\"}", text);
        Assert.Matches(@"(?m)^cxrqa_review_queue_depth\{state=""pending""\} \d+$", text);
        Assert.Matches(@"(?m)^cxrqa_review_queue_depth\{state=""claimed""\} \d+$", text);
        Assert.Matches(@"(?m)^cxrqa_review_decisions_total\{label=""Unreadable""\} \d+$", text);
        Assert.Contains($"cxrqa_model_info{{name=\"{ShippedModelName}\",version=\"", text);

        var openapi = await Http.JsonAsync(await Client.GetAsync("/openapi/v1.json"));
        Assert.NotNull(openapi["paths"]!["/predict"]);
        Assert.NotNull(openapi["paths"]!["/cases/{id}"]);
        Assert.NotNull(openapi["paths"]!["/reviews/{id}/claim"]);
        using var docs = await Client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_answer_is_recorded_in_the_audit_trail_of_the_database()
    {
        var body = await Http.JsonAsync(await Client.PostAsync("/predict", Http.Raw(await File.ReadAllBytesAsync(Films.Normal), "image/jpeg")));
        var db = new CxrQa.Storage.CxrQaDatabase(new CxrQa.Storage.DatabaseSettings(fixture.Server.DataDirectory, null));
        var trail = await new CxrQa.Storage.SqlCaseStore(db).AuditTrailAsync(body["case_id"]!.GetValue<string>(), CancellationToken.None);
        var created = Assert.Single(trail);
        Assert.Equal(("anonymous", "created"), (created.Actor, created.Action));
    }
}
