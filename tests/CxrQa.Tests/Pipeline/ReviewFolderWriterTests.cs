using System.Text.Json;
using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Review;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Tests.Pipeline;

public sealed class ReviewFolderWriterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cxrqa-review-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ScreeningOutcome PendingOutcome(string caseId, byte[] bytes) => new(
        new FilmInput("some/dir/film.png", bytes),
        new ScreeningResult(caseId, "Pneumonia", 0.7, 0.7, 0.85,
            new RoutingDecision(CaseStatus.PendingReview, [ReasonCodes.LowConfidence]),
            "abc", new FilmMetadata(ImageFormat.Png, 10, 10, 8, 1, 0, null), new ModelIdentity("m", "1"),
            double.NaN, CamResult.EmptyMap(), new CxrQa.Core.Quality.QualityMeasurements(10, 0, 50, 10, 200, 0, null, null)),
        null);

    [Fact]
    public async Task Copies_the_film_and_writes_a_sidecar_without_touching_the_source()
    {
        var source = Path.Combine(_root, "source.png");
        var bytes = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 };
        await File.WriteAllBytesAsync(source, bytes);
        var writer = new ReviewFolderWriter(Path.Combine(_root, "queue"));

        var folder = await writer.WriteAsync(PendingOutcome("case1", await File.ReadAllBytesAsync(source)));

        Assert.Equal(bytes, await File.ReadAllBytesAsync(source));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(folder, "film.png")));
        using var sidecar = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, ReviewFolderWriter.SidecarName)));
        var r = sidecar.RootElement;
        Assert.Equal("case1", r.GetProperty("case_id").GetString());
        Assert.Equal("pending_review", r.GetProperty("status").GetString());
        Assert.Equal("low_confidence", r.GetProperty("reasons")[0].GetString());
        Assert.Equal("Pneumonia", r.GetProperty("prediction").GetString());
        Assert.Equal("abc", r.GetProperty("input_sha256").GetString());
        Assert.Equal("m", r.GetProperty("model").GetProperty("name").GetString());
        Assert.Empty(Directory.GetDirectories(Path.Combine(_root, "queue"), ".staging-*"));
    }

    [Fact]
    public async Task Never_overwrites_an_existing_case_and_leaves_no_staging_folder()
    {
        var writer = new ReviewFolderWriter(_root);
        await writer.WriteAsync(PendingOutcome("dup", [1, 2, 3]));
        await Assert.ThrowsAnyAsync<IOException>(() => writer.WriteAsync(PendingOutcome("dup", [4, 5, 6])));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(_root, "dup", "film.png")));
        Assert.Empty(Directory.GetDirectories(_root, ".staging-*"));
    }

    [Theory]
    [InlineData("../escape.png")]
    [InlineData("/etc/passwd")]
    [InlineData("a/b.png")]
    public async Task Refuses_extra_file_names_that_leave_the_case_folder(string name)
    {
        var writer = new ReviewFolderWriter(_root);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            writer.WriteAsync(PendingOutcome("x", [1]), new Dictionary<string, byte[]> { [name] = [1] }));
        Assert.False(Directory.Exists(Path.Combine(_root, "x")));
    }
}
