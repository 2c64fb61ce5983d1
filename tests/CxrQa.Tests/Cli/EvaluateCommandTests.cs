using System.Text.Json;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Cli;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("cxrqa-eval-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Writes_the_full_report_and_keeps_the_old_metrics_fields()
    {
        var outDir = Path.Combine(_work, "report");
        var result = await CliRunner.RunAsync(_work, "evaluate", "--data", TestData.Path("kermany-224", "val"), "--out", outDir, "--faithfulness", "2");

        Assert.True(result.ExitCode == 0, result.StdErr);
        foreach (var file in new[] { "report.md", "report.html", "metrics.json", "predictions.csv", "roc.png", "pr.png", "reliability.png",
                     "confusion.png", "risk_coverage.png", "deletion.png" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        // Training curves appear exactly when the bundle carries its training log (the fine-tuned default does).
        var shippedLog = Path.Combine(AppContext.BaseDirectory, "models", CxrQa.Core.Model.ModelLocator.ShippedBundleName, "training_log.csv");
        Assert.Equal(File.Exists(shippedLog), File.Exists(Path.Combine(outDir, "training.png")));

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "metrics.json")));
        var root = json.RootElement;
        foreach (var field in new[] { "auc", "accuracy", "sensitivity", "specificity", "f1", "brier", "ece", "confusion_matrix", "routing", "failed", "model", "data" })
            Assert.True(root.TryGetProperty(field, out _), field);
        Assert.Equal(16, root.GetProperty("n").GetInt32());
        var routing = root.GetProperty("routing");
        Assert.Equal(16, routing.GetProperty("automated").GetInt32() + routing.GetProperty("pending_review").GetInt32());
        Assert.Equal(0.02, routing.GetProperty("realised").GetProperty("pneumonia").GetProperty("alpha").GetDouble());
        Assert.InRange(root.GetProperty("selective").GetProperty("aurc").GetDouble(), 0, 1);
        Assert.Equal(6, root.GetProperty("selective").GetProperty("accuracy_at_coverage").GetArrayLength());
        Assert.Equal(2, root.GetProperty("faithfulness").GetProperty("films").GetInt32());
        Assert.Equal(7, root.GetProperty("intervals").EnumerateObject().Count());

        var md = await File.ReadAllTextAsync(Path.Combine(outDir, "report.md"));
        Assert.Contains("## Selective classification", md);
        Assert.Contains("## Grad-CAM faithfulness (deletion test)", md);
    }
}
