using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>POST /dicomweb/studies on a real server: the PS3.18 answer (Referenced and Failed SOP Sequences, 200, 202,
/// 409, 415) and the same screening as /predict; patient identifiers never come back in answers, metrics or logs.</summary>
public sealed class DicomWebStowTests(OpenServerFixture fixture) : IClassFixture<OpenServerFixture>
{
    private const string ReferencedSopSequence = "00081199";
    private const string FailedSopSequence = "00081198";
    private const string ReferencedSopClassUid = "00081150";
    private const string ReferencedSopInstanceUid = "00081155";
    private const string FailureReason = "00081197";
    private const string RetrieveUrl = "00081190";

    private HttpClient Client => fixture.Server.Client;

    private static async Task<JsonObject> StowAnswerAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static JsonArray Items(JsonObject answer, string sequence) => answer[sequence]?["Value"]?.AsArray() ?? [];

    private static string? Value(JsonNode item, string tag) => item[tag]?["Value"]?[0]?.ToString();

    [Fact]
    public async Task A_chest_film_is_stored_as_a_case_and_referenced_with_its_url()
    {
        var film = await File.ReadAllBytesAsync(DicomFiles.ChestDx);
        var answer = await StowAnswerAsync(await Client.PostAsync("/dicomweb/studies", DicomFiles.Stow(("application/dicom", film))), HttpStatusCode.OK);

        Assert.Null(answer[FailedSopSequence]);
        var item = Assert.Single(Items(answer, ReferencedSopSequence))!;
        Assert.Equal("1.2.840.10008.5.1.4.1.1.7", Value(item, ReferencedSopClassUid));
        Assert.Equal(Path.GetFileNameWithoutExtension(DicomFiles.ChestDx), Value(item, ReferencedSopInstanceUid));
        var url = new Uri(Value(item, RetrieveUrl)!);
        var view = await Http.JsonAsync(await Client.GetAsync(url.PathAndQuery));
        Assert.Equal(Http.Sha256(film), view["input_sha256"]!.GetValue<string>());
        Assert.Contains(view["status"]!.GetValue<string>(), new[] { "automated", "pending_review" });
    }

    [Fact]
    public async Task A_single_application_dicom_body_is_one_instance()
    {
        var answer = await StowAnswerAsync(await Client.PostAsync("/dicomweb/studies",
            Http.Raw(await File.ReadAllBytesAsync(DicomFiles.ChestDx), "application/dicom")), HttpStatusCode.OK);
        Assert.Single(Items(answer, ReferencedSopSequence));
    }

    [Fact]
    public async Task Parts_that_are_not_dicom_fail_with_cannot_understand_while_the_others_are_stored()
    {
        var film = await File.ReadAllBytesAsync(DicomFiles.ChestDx);
        var answer = await StowAnswerAsync(await Client.PostAsync("/dicomweb/studies", DicomFiles.Stow(
            ("application/dicom", film),
            ("text/plain", Encoding.UTF8.GetBytes("a referral letter")),
            ("application/dicom", await File.ReadAllBytesAsync(Films.Pneumonia)))), HttpStatusCode.Accepted);

        Assert.Single(Items(answer, ReferencedSopSequence));
        var failed = Items(answer, FailedSopSequence);
        Assert.Equal(2, failed.Count);
        Assert.All(failed, f => Assert.Equal("49152", Value(f!, FailureReason))); // 0xC000 Cannot understand
        Assert.All(failed, f => Assert.Null(Value(f!, ReferencedSopInstanceUid)));
    }

    [Fact]
    public async Task Nothing_stored_is_409_with_each_failure()
    {
        var answer = await StowAnswerAsync(await Client.PostAsync("/dicomweb/studies", DicomFiles.Stow(
            ("application/dicom", Films.GarbageDicom()))), HttpStatusCode.Conflict);
        Assert.Null(answer[ReferencedSopSequence]);
        Assert.Equal("49152", Value(Assert.Single(Items(answer, FailedSopSequence))!, FailureReason));
    }

    [Fact]
    public async Task Our_own_overlay_coming_back_is_refused_not_screened()
    {
        // A PACS that forwards everything it stores sends our objects back: screening the overlay would answer with
        // new objects, forwarded back again, without end. (That the builder's own objects are recognised is
        // OwnResultObjectsTests' part; here: the server refuses what carries our manufacturer and result series.)
        var answer = await StowAnswerAsync(await Client.PostAsync("/dicomweb/studies", DicomFiles.Stow(
            ("application/dicom", Films.ResultLookalikeDicom("CxrQa", 9702)),
            ("application/dicom", await File.ReadAllBytesAsync(DicomFiles.ChestDx)))), HttpStatusCode.Accepted);
        Assert.Single(Items(answer, ReferencedSopSequence));
        Assert.Equal("290", Value(Assert.Single(Items(answer, FailedSopSequence))!, FailureReason)); // 0x0122
    }

    [Fact]
    public async Task An_instance_of_another_study_than_the_url_names_is_not_stored()
    {
        var answer = await StowAnswerAsync(await Client.PostAsync("/dicomweb/studies/1.2.3.4.5",
            DicomFiles.Stow(("application/dicom", await File.ReadAllBytesAsync(DicomFiles.ChestDx)))), HttpStatusCode.Conflict);
        var failed = Assert.Single(Items(answer, FailedSopSequence))!;
        Assert.Equal("43264", Value(failed, FailureReason)); // 0xA900
        Assert.Equal(Path.GetFileNameWithoutExtension(DicomFiles.ChestDx), Value(failed, ReferencedSopInstanceUid));

        var study = await DicomFiles.TagAsync(DicomFiles.ChestDx, "0020,000d");
        await StowAnswerAsync(await Client.PostAsync($"/dicomweb/studies/{study}",
            DicomFiles.Stow(("application/dicom", await File.ReadAllBytesAsync(DicomFiles.ChestDx)))), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_non_chest_image_is_stored_and_routed_to_a_radiologist()
    {
        var answer = await StowAnswerAsync(await Client.PostAsync("/dicomweb/studies",
            DicomFiles.Stow(("application/dicom", await File.ReadAllBytesAsync(DicomFiles.Ct)))), HttpStatusCode.OK);
        var url = new Uri(Value(Assert.Single(Items(answer, ReferencedSopSequence))!, RetrieveUrl)!);
        var view = await Http.JsonAsync(await Client.GetAsync(url.PathAndQuery));
        Assert.Equal("pending_review", view["status"]!.GetValue<string>());
        Assert.Contains("not_chest_modality", view["reasons"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Theory]
    [InlineData("image/jpeg")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("multipart/related; type=\"application/dicom+json\"; boundary=x")]
    public async Task Other_media_types_are_415(string contentType)
    {
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(DicomFiles.ChestDx));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        await Http.ProblemAsync(await Client.PostAsync("/dicomweb/studies", content), 415, "unsupported_media_type");
    }

    [Fact]
    public async Task Patient_identifiers_reach_no_answer_metric_or_log()
    {
        using var folder = new TempDirectory();
        var identified = await DicomFiles.WithPatientIdentifiersAsync(DicomFiles.ChestDx, folder.Path);
        Assert.Equal(Films.PatientIdentifiers[0], await DicomFiles.TagAsync(identified, "0010,0010"));

        var stow = await Client.PostAsync("/dicomweb/studies", DicomFiles.Stow(("application/dicom", await File.ReadAllBytesAsync(identified))));
        var stowText = await stow.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, stow.StatusCode);
        var url = new Uri(Value(Items(JsonNode.Parse(stowText)!.AsObject(), ReferencedSopSequence)[0]!, RetrieveUrl)!);
        var texts = new List<string>
        {
            stowText,
            await Client.GetStringAsync(url.PathAndQuery),
            await Client.GetStringAsync("/metrics"),
            fixture.Server.Output,
        };
        foreach (var text in texts)
            foreach (var identifier in Films.PatientIdentifiers)
                Assert.DoesNotContain(identifier, text, StringComparison.OrdinalIgnoreCase);
    }
}
