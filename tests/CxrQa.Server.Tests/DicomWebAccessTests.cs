using System.Net;
using System.Net.Http.Headers;
using CxrQa.Server.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>STOW-RS takes the same keys, roles and upload limit as POST /predict.</summary>
public sealed class DicomWebAccessTests(RestrictedServerFixture fixture) : IClassFixture<RestrictedServerFixture>
{
    private Task<HttpResponseMessage> StowAsync(string? key, byte[] instance)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/dicomweb/studies") { Content = DicomFiles.Stow(("application/dicom", instance)) };
        if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return fixture.Server.Client.SendAsync(request);
    }

    [Fact]
    public async Task Without_a_key_401_with_a_reviewer_key_403()
    {
        var small = Films.IdentifiedDicom(16, deflated: true);
        await Http.ProblemAsync(await StowAsync(null, small), 401, "missing_api_key");
        await Http.ProblemAsync(await StowAsync(fixture.ReviewerKey, small), 403);
    }

    [Fact]
    public async Task A_submitter_key_gets_the_standard_answer_and_the_upload_limit_holds()
    {
        // A film without SOP Instance UID cannot be referred to: the answer is the standard's failure, not an auth error.
        using var answer = await StowAsync(fixture.SubmitterKey, Films.IdentifiedDicom(16, deflated: true));
        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Equal("application/dicom+json", answer.Content.Headers.ContentType?.MediaType);

        var large = await File.ReadAllBytesAsync(DicomFiles.ChestDx);
        Assert.True(large.Length > RestrictedServerFixture.UploadLimit);
        await Http.ProblemAsync(await StowAsync(fixture.SubmitterKey, large), 413);
    }
}
