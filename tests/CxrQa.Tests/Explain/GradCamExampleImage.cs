using CxrQa.Core.Explain;

namespace CxrQa.Tests.Explain;

/// <summary>
/// Renders the documentation picture from a synthetic film and a synthetic feature map (never a dataset image).
/// It always checks the picture; it writes <c>docs/img/gradcam-example.png</c> only when
/// <c>CXRQA_WRITE_DOCS_IMAGES=1</c>, so ordinary test runs never touch the working tree.
/// </summary>
public sealed class GradCamExampleImage
{
    private const string EnvironmentSwitch = "CXRQA_WRITE_DOCS_IMAGES";

    [Fact]
    public void Synthetic_example_renders_and_is_written_on_request()
    {
        // Non-square, as films are: the 7x7 grid stretches over the whole film with separate x and y scales.
        var film = SyntheticFilm.Chest(560, 640);
        var featureMap = CamTestData.FeatureMap(seed: 2024);
        var weights = CamTestData.Weights(seed: 2025);
        for (var c = 0; c < featureMap.Length; c++)
            featureMap[c] *= 0.3f; // quiet background evidence
        PlantFinding(featureMap, weights, row: 4, column: 5, strength: 12f);
        PlantFinding(featureMap, weights, row: 5, column: 5, strength: 7f);
        PlantFinding(featureMap, weights, row: 4, column: 4, strength: 5f);

        var cam = GradCam.Compute(featureMap, weights, TargetClass.Pneumonia);
        var png = HeatmapRenderer.RenderOverlayPng(film, cam, HeatmapRenderOptions.Default with { PngCompressionLevel = 9 });

        Assert.False(cam.Empty);
        Assert.Equal(4 * CamResult.Side + 5, CamTestData.ArgMax(cam.Grid));
        var (w, h, _) = SyntheticFilm.DecodeRgba(png);
        Assert.Equal((film.Width, film.Height), (w, h));

        if (Environment.GetEnvironmentVariable(EnvironmentSwitch) == "1")
        {
            var path = Path.Combine(RepoRoot(), "docs", "img", "gradcam-example.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, png);
        }
    }

    /// <summary>Adds, at one cell, activations along the positive part of the head (the most pneumonia-like a
    /// post-ReLU feature vector can look).</summary>
    private static void PlantFinding(float[] featureMap, float[] weights, int row, int column, float strength)
    {
        var cell = row * CamResult.Side + column;
        for (var k = 0; k < weights.Length; k++)
            featureMap[k * CamResult.CellCount + cell] += strength * Math.Max(weights[k], 0f) / 0.05f;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CxrQa.sln")))
                return d.FullName;
        throw new DirectoryNotFoundException("CxrQa.sln not found above " + AppContext.BaseDirectory);
    }
}
