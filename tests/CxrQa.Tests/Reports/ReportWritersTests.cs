using CxrQa.Cli.Reports;
using CxrQa.Core.Evaluation;
using CxrQa.Core.Explain;
using CxrQa.Tests.Evaluation;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Reports;

public class ReportWritersTests
{
    private static readonly ReportContext Context = new("toy-model", "1.0.0", "risk_controlled", "Pneumonia <automated> when sure.",
        "/data/val", new string('a', 64), 0, 0);

    private static EvaluationSummary Summary(int seed = 1)
    {
        var (s, y) = AucTests.Random(seed, 200);
        var cases = s.Select((p, i) => new ScreenedCase(y[i], p, Math.Max(p, 1 - p), p >= 0.5, Math.Max(p, 1 - p) > 0.8,
            Math.Max(p, 1 - p) > 0.8 ? [] : ["low_confidence"])).ToList();
        return EvaluationSummary.Compute(cases, 0.01, 0.02, bootstrapResamples: 200);
    }

    private static DeletionTestResult Deletion() => DeletionTestResult.Aggregate(
        [new FilmDeletion(4, [1, 2, 3, 4, 5], [0.1, 0.2, 0.3, 0.4, 0.5]), new FilmDeletion(3, [1.5, 2, 2.5, 3, 3.5], [0, 0.1, 0.2, 0.1, 0])],
        skippedEmptyMap: 0, new DeletionTestOptions());

    [Fact]
    public void Optional_sections_appear_only_with_their_data()
    {
        var plain = EvaluationReportDocument.Build(Context, Summary(), null, null);
        Assert.DoesNotContain(plain.Sections, s => s.Heading.Contains("faithfulness") || s.Heading.Contains("Training"));
        var full = EvaluationReportDocument.Build(Context, Summary(), Deletion(), [new TrainingEpoch(1, 0.5, 0.9, 0.4, 1e-3, 60)]);
        Assert.Contains(full.Sections, s => s.Heading.Contains("faithfulness"));
        Assert.Contains(full.Sections, s => s.Heading.Contains("Training"));
        var images = full.Sections.SelectMany(s => s.Blocks).OfType<ReportImage>().Select(i => i.File).ToHashSet();
        Assert.Superset(images, new HashSet<string> { ReportFigures.Roc, ReportFigures.PrecisionRecall, ReportFigures.Reliability,
            ReportFigures.Confusion, ReportFigures.RiskCoverage, ReportFigures.Deletion, ReportFigures.Training });
    }

    [Fact]
    public void Html_is_self_contained_and_escaped()
    {
        var html = HtmlReportWriter.Render(EvaluationReportDocument.Build(Context, Summary(), Deletion(), null));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<style>", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<link", html);
        Assert.Contains("&lt;automated&gt;", html);
        Assert.Contains("<img src=\"risk_coverage.png\"", html);
        Assert.Contains("<strong>Realised routing</strong>", html);
    }

    [Fact]
    public void Markdown_tables_have_a_row_per_level_and_escape_pipes()
    {
        var md = MarkdownReportWriter.Render(new ReportDocument("T", [new ReportSection("S",
            [new ReportTable(["a", "b"], [["x|y", "1"], ["z", "2"]]), new ReportImage("f.png", "alt")])]));
        Assert.Equal("# T\n\n## S\n\n| a | b |\n|---|---|\n| x\\|y | 1 |\n| z | 2 |\n\n![alt](f.png)\n\n", md);
    }

    [Fact]
    public void Every_figure_is_written_as_a_png()
    {
        using var dir = new TempDirectory();
        ReportFigures.WriteAll(dir.Path, "toy", Summary(), Deletion(), [new TrainingEpoch(1, 0.5, 0.9, 0.4, 1e-3, 60), new TrainingEpoch(2, 0.3, 0.93, 0.35, 1e-3, 60)]);
        foreach (var name in new[] { ReportFigures.Roc, ReportFigures.PrecisionRecall, ReportFigures.Reliability, ReportFigures.Confusion,
                     ReportFigures.RiskCoverage, ReportFigures.Deletion, ReportFigures.Training })
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir.Path, name));
            Assert.True(bytes.Length > 10_000, $"{name}: {bytes.Length} bytes");
        }
    }
}
