using System.Net;
using System.Text;
using CxrQa.Server.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>The JSON bodies of the review and admin endpoints are small and unambiguous: a repeated property is a 400
/// (never "last one wins"), a body over 64 KiB a 413 <c>body_too_large</c>, with or without a Content-Length.</summary>
public sealed class StrictJsonBodyTests(ReviewServerFixture fixture) : IClassFixture<ReviewServerFixture>
{
    // Just over the limit: the server has then read (nearly) all of a streamed body when it answers, so closing the
    // connection does not reset it under the client's feet.
    private const int OverLimit = 64 * 1024 + 1024; // the documented limit (JsonBody.MaxBytes) plus 1 KiB

    private static HttpContent Json(string text) => new StringContent(text, Encoding.UTF8, "application/json");

    /// <summary>A body the client streams without a Content-Length (chunked), so only the server's reading limit stops it.</summary>
    private static HttpContent Chunked(string text)
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<string> ClaimedCaseAsync(int seed)
    {
        var body = await Http.JsonAsync(await fixture.Server.Client.PostAsync("/predict", Http.Raw(Films.NoisePng(seed), "image/png")));
        var id = body["case_id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await fixture.DrA.ClaimAsync(id)).StatusCode);
        return id;
    }

    [Fact]
    public async Task A_decision_with_a_repeated_property_is_refused_and_the_case_stays_claimed()
    {
        var id = await ClaimedCaseAsync(611);
        await Http.ProblemAsync(await fixture.DrA.PostAsync($"/reviews/{id}/decision",
            Json("""{"label":"Normal","label":"Pneumonia"}""")), 400, "bad_request");
        await Http.ProblemAsync(await fixture.DrA.PostAsync($"/reviews/{id}/decision",
            Json("""{"label":"Normal","note":"a","note":"b"}""")), 400, "bad_request");
        var review = await fixture.DrA.JsonAsync($"/reviews/{id}");
        Assert.Equal("claimed", review["state"]!.GetValue<string>());

        var decided = await Http.JsonAsync(await fixture.DrA.PostAsync($"/reviews/{id}/decision", Json("""{"label":"Normal"}""")));
        Assert.Equal("Normal", decided["label"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_decision_body_over_64_KiB_is_413_with_or_without_a_length()
    {
        var id = await ClaimedCaseAsync(612);
        var big = $$"""{"label":"Normal","note":"{{new string('x', OverLimit)}}"}""";
        // Expect: 100-continue, as curl sends for large bodies: the server refuses on the length alone, before the client
        // sends the body (without it the client may still be writing when the server closes, and sees a reset).
        await Http.ProblemAsync(await fixture.DrA.PostAsync($"/reviews/{id}/decision", Json(big), expectContinue: true), 413, "body_too_large");
        await Http.ProblemAsync(await fixture.DrA.PostAsync($"/reviews/{id}/decision", Chunked(big)), 413, "body_too_large");
        Assert.Equal("claimed", (await fixture.DrA.JsonAsync($"/reviews/{id}"))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_admin_resume_body_is_as_strict()
    {
        await Http.ProblemAsync(await fixture.Admin.PostAsync("/admin/automation/resume",
            Json("""{"reason":"checked the detector","reason":"x"}""")), 400, "invalid_reason");
        await Http.ProblemAsync(await fixture.Admin.PostAsync("/admin/automation/resume",
            Chunked($$"""{"reason":"{{new string('x', OverLimit)}}"}""")), 413, "body_too_large");
    }

    [Fact]
    public async Task Key_checks_still_come_before_the_body()
    {
        var response = await fixture.Server.Client.PostAsync($"/reviews/{new string('0', 32)}/decision", Json("""{"label":"Normal","label":"Normal"}"""));
        await Http.ProblemAsync(response, 401, "missing_api_key");
    }
}
