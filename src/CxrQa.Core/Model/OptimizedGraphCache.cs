using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace CxrQa.Core.Model;

/// <summary>
/// ONNX Runtime's optimized form of a served graph, kept on disk so that the next start skips graph optimization, the
/// largest part of a cold start (2-5 s of the ensemble's load against ~0.15 s to open the optimized file; measured
/// in docs/benchmarks.md). ONNX Runtime warns that an optimized graph may hold optimizations for the CPU it was made
/// on, so an entry is keyed by the served graph's SHA-256, the ONNX Runtime version and the CPU's model and flags: a
/// different machine, runtime or graph never reads another's entry. Entries are written to a temporary name and
/// renamed, so a reader sees a whole file or none; an entry that fails to open is deleted and made again.
/// </summary>
public sealed class OptimizedGraphCache(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>Where the server and the CLI keep what they derive from a bundle and may reuse on the next start
    /// (<c>$XDG_CACHE_HOME/cxrqa</c>, else <c>~/.cache/cxrqa</c>); null when there is no home to put it in.</summary>
    public static string? DefaultRoot()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? Path.Combine(home, ".cache")
            : null;
        return root is null ? null : Path.Combine(root, "cxrqa");
    }

    /// <summary>The optimized graphs' folder under a cache root; null for no root (no cache).</summary>
    public static string? Under(string? root) => root is null ? null : Path.Combine(root, "onnxruntime");

    /// <summary>The entry for a graph whose served bytes have <paramref name="graphSha256"/>.</summary>
    public string PathFor(string graphSha256) =>
        Path.Combine(Directory, Sha256Hex.Of(Encoding.UTF8.GetBytes($"{graphSha256}\n{OrtEnv.Instance().GetVersionString()}\n{CpuSignature()}"))[..32] + ".ort.onnx");

    /// <summary>A CPU's identity as far as ONNX Runtime's kernels care: its model name and instruction set flags.</summary>
    private static string CpuSignature()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo))
            return $"{System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}";
        var lines = File.ReadLines(cpuinfo).TakeWhile(l => l.Length > 0)
            .Where(l => l.StartsWith("model name", StringComparison.Ordinal) || l.StartsWith("flags", StringComparison.Ordinal));
        return Sha256Hex.Of(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
    }
}
