using System.Net;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;
using Xunit.Abstractions;

namespace CxrQa.Server.Tests;

/// <summary>
/// Previews cost one decode per film, not one per request, and a bounded one: display.png of a deflated DICOM (a
/// few KB on the wire, tens of MB inflated) asked for 8 times at once is rendered once, kept in the case folder
/// (0600), and the server's peak resident memory stays under 1 GB (issue 16 measured 5.17 GB before). A film over
/// the preview pixel budget is screened but its preview refused with 413 before it is inflated.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PreviewBoundsTests(ITestOutputHelper output)
{
    private const long OneGigabyte = 1L << 30;
    private const long PreviewGrowthBound = 150L << 20;

    [Fact]
    public async Task Eight_concurrent_previews_of_a_deflated_dicom_are_rendered_once_and_stay_under_1_GB()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string>
        {
            ["CxrQa:PreviewMaxPixels"] = "10000000",
        });
        var started = ProcessMemory.Read(server.ProcessId);
        // 4 MP, 8 MB of pixels from 1 MB on the wire. Screening it leaves the server near 1 GB already (the model
        // alone takes ~850 MB), so the test also bounds what the previews add.
        var film = Films.IdentifiedDicom(side: 2000, deflated: true);
        output.WriteLine($"deflated DICOM: {film.Length} bytes for 2000 x 2000 x 16 bit");
        var id = (await Http.JsonAsync(await server.Client.PostAsync("/predict", Http.Raw(film, "application/dicom"))))["case_id"]!.GetValue<string>();
        var before = ProcessMemory.Read(server.ProcessId);

        var responses = new HttpResponseMessage[8];
        var peak = await ProcessMemory.PeakDuringAsync(server.ProcessId, async () =>
            responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => server.Client.GetAsync($"/cases/{id}/display.png"))));
        output.WriteLine($"server RSS at start {started / 1048576} MB, after screening the film {before / 1048576} MB, peak during the previews {peak / 1048576} MB");

        var pngs = new List<byte[]>();
        foreach (var r in responses)
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            pngs.Add(await r.Content.ReadAsByteArrayAsync());
        }
        Assert.All(pngs, p => Assert.Equal(pngs[0], p));
        Assert.Equal((1024, 1024, 8, 0), Films.PngHeader(pngs[0]));
        Assert.True(peak < OneGigabyte, $"peak RSS {peak / 1048576} MB during 8 concurrent previews");
        // One 4 MP decode takes ~40 MB; eight unbounded ones took several hundred.
        Assert.True(peak - before < PreviewGrowthBound, $"RSS grew {(peak - before) / 1048576} MB during 8 concurrent previews");

        // Kept: later requests serve the file (same bytes, file not rewritten).
        var kept = Path.Combine(data.Path, "cases", id, "display.png");
        Assert.Equal(pngs[0], await File.ReadAllBytesAsync(kept));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kept));
        var written = File.GetLastWriteTimeUtc(kept);
        using var again = await server.Client.GetAsync($"/cases/{id}/display.png");
        Assert.Equal(pngs[0], await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(written, File.GetLastWriteTimeUtc(kept));
        using var thumbnail = await server.Client.GetAsync($"/cases/{id}/thumbnail.png");
        Assert.Equal((160, 160, 8, 0), Films.PngHeader(await thumbnail.Content.ReadAsByteArrayAsync()));

        // Over the budget (11.6 MP > 10 MP): screened, but no preview, and nothing kept.
        var large = Films.IdentifiedDicom(side: 3400, deflated: true);
        var largeId = (await Http.JsonAsync(await server.Client.PostAsync("/predict", Http.Raw(large, "application/dicom"))))["case_id"]!.GetValue<string>();
        await Http.ProblemAsync(await server.Client.GetAsync($"/cases/{largeId}/display.png"), 413, "image_too_large");
        Assert.False(File.Exists(Path.Combine(data.Path, "cases", largeId, "display.png")));
    }
}
