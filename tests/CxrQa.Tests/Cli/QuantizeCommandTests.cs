using CxrQa.Tests.Support;

namespace CxrQa.Tests.Cli;

/// <summary>What quantize refuses, through the real CLI: a clear message, exit 2, nothing written.</summary>
public sealed class QuantizeCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("cxrqa-quantize-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static string Bundle(string name) => Path.Combine(AppContext.BaseDirectory, "models", name);

    private Task<CliRunner.Result> Quantize(string model, params string[] more) =>
        CliRunner.RunAsync(_work, ["quantize", "--model", model, "--data", TestData.Path("kermany-224", "train"), "--out", Path.Combine(_work, "out"), .. more]);

    [Fact]
    public async Task A_bundle_without_a_graph_file_is_refused()
    {
        var result = await Quantize(Bundle("cxrqa-frozen-resnet18-lr"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("only bundles with a graph file", result.StdErr);
        Assert.False(Directory.Exists(Path.Combine(_work, "out")));
    }

    [Fact]
    public async Task An_int8_bundle_is_not_quantized_again()
    {
        var result = await Quantize(Bundle("cxrqa-ensemble-resnet18-int8"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already quantized", result.StdErr);
        Assert.False(Directory.Exists(Path.Combine(_work, "out")));
    }

    [Fact]
    public async Task An_unknown_range_method_names_the_choices()
    {
        var result = await Quantize(Bundle("cxrqa-finetuned-resnet18"), "--method", "entropy");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("percentile:99.99", result.StdErr);
        Assert.False(Directory.Exists(Path.Combine(_work, "out")));
    }
}
