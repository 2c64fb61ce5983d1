using System.Buffers.Binary;
using System.Net;
using CxrQa.Server.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>The Grad-CAM overlay is not drawn before /predict answers: the first GET of heatmap.png draws it from the
/// stored film and grid and keeps it in the case folder; concurrent first requests get the same bytes.</summary>
public sealed class LazyHeatmapTests(OpenServerFixture fixture) : IClassFixture<OpenServerFixture>
{
    [Fact]
    public async Task The_overlay_is_drawn_on_first_request_at_the_films_size_and_kept()
    {
        var bytes = await File.ReadAllBytesAsync(Films.FullResolution);
        var body = await Http.JsonAsync(await fixture.Server.Client.PostAsync("/predict", Http.Multipart(("film.jpeg", bytes))));
        var id = body["case_id"]!.GetValue<string>();
        var caseDir = Path.Combine(fixture.Server.DataDirectory, "cases", id);
        Assert.True(File.Exists(Path.Combine(caseDir, "film.jpg")));
        Assert.False(File.Exists(Path.Combine(caseDir, "heatmap.png")));

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.Server.Client.GetAsync($"/cases/{id}/heatmap.png")));
        var pngs = new List<byte[]>();
        foreach (var r in responses)
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("image/png", r.Content.Headers.ContentType?.MediaType);
            pngs.Add(await r.Content.ReadAsByteArrayAsync());
        }
        Assert.All(pngs, p => Assert.Equal(pngs[0], p));
        Assert.Equal(pngs[0], await File.ReadAllBytesAsync(Path.Combine(caseDir, "heatmap.png")));
        // The case reports the stored size, though screening decoded this 1422x1152 film at 1/2.
        var stored = Films.JpegSize(bytes);
        Assert.True(stored.Width >= 896 && stored.Height >= 896, "pick a film the screening path decodes reduced");
        Assert.Equal(stored.Width, body["quality"]!["width"]!.GetValue<int>());
        Assert.Equal(stored.Height, body["quality"]!["height"]!.GetValue<int>());
        // IHDR: the overlay has the film's own size.
        Assert.Equal(body["quality"]!["width"]!.GetValue<int>(), (int)BinaryPrimitives.ReadUInt32BigEndian(pngs[0].AsSpan(16)));
        Assert.Equal(body["quality"]!["height"]!.GetValue<int>(), (int)BinaryPrimitives.ReadUInt32BigEndian(pngs[0].AsSpan(20)));
        // No temp file is left beside the case folders, and the case folder holds just the film and the overlay.
        Assert.Empty(Directory.GetFiles(Path.Combine(fixture.Server.DataDirectory, "cases")));
        Assert.Equal(["film.jpg", "heatmap.png"], Directory.GetFiles(caseDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        using var again = await fixture.Server.Client.GetAsync($"/cases/{id}/heatmap.png");
        Assert.Equal(pngs[0], await again.Content.ReadAsByteArrayAsync());
    }
}
