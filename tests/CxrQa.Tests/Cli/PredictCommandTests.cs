using System.Text.Json;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Cli;

public sealed class PredictCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("cxrqa-cli-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Predicts_every_film_of_a_folder_as_one_json_line_in_order()
    {
        var val = TestData.Path("kermany-224", "val");
        var result = await CliRunner.RunAsync(_work, "predict", val, "--review-dir", Path.Combine(_work, "queue"));

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(16, result.Lines.Length);
        var files = new List<string>();
        foreach (var line in result.Lines)
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            files.Add(r.GetProperty("file").GetString()!);
            Assert.Contains(r.GetProperty("prediction").GetString(), new[] { "Normal", "Pneumonia" });
            var p = r.GetProperty("pneumonia_probability").GetDouble();
            var confidence = r.GetProperty("confidence").GetDouble();
            Assert.InRange(p, 0, 1);
            Assert.Equal(Math.Max(p, 1 - p), confidence, 5);
            var status = r.GetProperty("status").GetString();
            Assert.Contains(status, new[] { "automated", "pending_review" });
            Assert.Equal(status == "pending_review", r.GetProperty("reasons").GetArrayLength() > 0);
            Assert.Equal(32, r.GetProperty("case_id").GetString()!.Length);
            Assert.False(string.IsNullOrEmpty(r.GetProperty("model").GetProperty("name").GetString()));
            Assert.Equal(7, r.GetProperty("heatmap_grid").GetArrayLength());
            if (status == "pending_review")
            {
                var folder = r.GetProperty("review_folder").GetString()!;
                Assert.True(File.Exists(Path.Combine(folder, "case.json")));
                Assert.True(File.Exists(Path.Combine(folder, "gradcam.png")));
            }
        }
        Assert.All(files, f => Assert.StartsWith(val, f));
        Assert.Equal(files.Order(StringComparer.Ordinal), files);
        // the model should get most of these 16 right; a broken pipeline (e.g. wrong normalisation) would not
        var correct = result.Lines.Count(l => l.Contains("/PNEUMONIA/") == l.Contains("\"prediction\":\"Pneumonia\""));
        Assert.True(correct >= 12, $"only {correct}/16 correct");
    }

    [Fact]
    public async Task Bad_inputs_get_typed_errors_the_rest_are_answered_and_no_input_is_touched()
    {
        var good = Path.Combine(_work, "good.jpeg");
        File.Copy(Directory.EnumerateFiles(TestData.Path("kermany-224", "train", "NORMAL")).Order().First(), good);
        var empty = Path.Combine(_work, "empty.png");
        await File.WriteAllBytesAsync(empty, []);
        var text = Path.Combine(_work, "notes.png");
        await File.WriteAllTextAsync(text, "not an image at all");
        var truncated = Path.Combine(_work, "truncated.jpeg");
        var goodBytes = await File.ReadAllBytesAsync(good);
        await File.WriteAllBytesAsync(truncated, goodBytes[..(goodBytes.Length / 2)]);
        var before = new[] { good, empty, text, truncated }.ToDictionary(f => f, File.ReadAllBytes);

        var result = await CliRunner.RunAsync(_work, "predict", empty, text, good, truncated, Path.Combine(_work, "missing.png"),
            "--review-dir", Path.Combine(_work, "queue"));

        Assert.Equal(3, result.ExitCode);
        var codes = result.Lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Select(r => r.TryGetProperty("error", out var e) ? e.GetProperty("code").GetString()! : "ok").ToArray();
        Assert.Equal(new[] { "empty_file", "unsupported_format", "ok", "truncated_image", "file_not_found" }, codes);
        foreach (var (file, bytes) in before)
            Assert.Equal(bytes, await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task Folders_skip_non_images_with_a_warning()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work, "in")).FullName;
        File.Copy(Directory.EnumerateFiles(TestData.Path("kermany-224", "train", "PNEUMONIA")).Order().First(), Path.Combine(folder, "a.jpeg"));
        await File.WriteAllTextAsync(Path.Combine(folder, "readme.txt"), "hello");

        var result = await CliRunner.RunAsync(_work, "predict", folder, "--review-dir", Path.Combine(_work, "queue"));

        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.Lines);
        Assert.Contains("readme.txt", result.StdErr);
    }

    [Fact]
    public async Task Every_chest_dicom_gets_an_answer_and_heatmaps_match_the_film_size()
    {
        var heatmaps = Path.Combine(_work, "heatmaps");
        // IM-0117-0001 (1422x1152): screening decodes it at 1/2, the overlay must still have the stored size.
        var fullRes = Directory.EnumerateFiles(TestData.Path("kermany-fullres-sample", "NORMAL")).Order(StringComparer.Ordinal).First();
        var result = await CliRunner.RunAsync(_work, "predict", TestData.Path("dicom", "chest"), fullRes,
            "--heatmaps", heatmaps, "--review-dir", Path.Combine(_work, "queue"));

        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        Assert.Equal(6, result.Lines.Length);
        foreach (var line in result.Lines)
        {
            var r = JsonDocument.Parse(line).RootElement;
            Assert.False(r.TryGetProperty("error", out _), line);
            var png = r.GetProperty("heatmap_file").GetString()!;
            using var codec = SkiaSharp.SKCodec.Create(png);
            Assert.NotNull(codec);
            Assert.True(codec.Info.Width > 200 && codec.Info.Height > 200);
        }
        using var fullCodec = SkiaSharp.SKCodec.Create(fullRes);
        Assert.True(fullCodec.Info.Width >= 896 && fullCodec.Info.Height >= 896, "pick a film the screening path decodes reduced");
        using var overlay = SkiaSharp.SKCodec.Create(Path.Combine(heatmaps, Path.GetFileNameWithoutExtension(fullRes) + ".gradcam.png"));
        Assert.Equal(fullCodec.Info.Width, overlay.Info.Width);
        Assert.Equal(fullCodec.Info.Height, overlay.Info.Height);
    }
}
