namespace CxrQa.Training.Native;

/// <summary>
/// Makes TorchSharp loadable on this platform before its first use. TorchSharp binds its native library on the
/// first touch of <c>torch</c>, so <see cref="EnsureLoadable"/> must run before any <c>torch</c> call; every
/// public entry point of this project that creates tensors calls it. See docs/torchsharp-on-debian12.md.
/// </summary>
public static class TorchRuntime
{
    public const string NativeLibraryFileName = "libLibTorchSharp.so";

    // Runs the file patch once per process; the patch itself is idempotent, so racing processes agree too.
    private static readonly Lazy<IReadOnlyList<string>> Patched = new(PatchCopiesBesideTheApp, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// On Linux, marks the GLIBCXX_3.4.32 requirement of every <c>libLibTorchSharp.so</c> beside the app as weak
    /// (in place, idempotent). Elsewhere a no-op.
    /// </summary>
    /// <returns>The files that this call rewrote (empty once they are patched).</returns>
    public static IReadOnlyList<string> EnsureLoadable() => Patched.Value;

    /// <summary>Where TorchSharp looks for its native library: the app folder (RID-specific builds copy natives
    /// there) and runtimes/linux-x64/native (RID-less builds).</summary>
    public static IEnumerable<string> CandidatePaths(string baseDirectory) =>
        new[]
        {
            Path.Combine(baseDirectory, NativeLibraryFileName),
            Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", NativeLibraryFileName),
        }.Where(File.Exists);

    private static IReadOnlyList<string> PatchCopiesBesideTheApp()
    {
        if (!OperatingSystem.IsLinux())
            return [];
        var rewritten = new List<string>();
        foreach (var path in CandidatePaths(AppContext.BaseDirectory))
        {
            try
            {
                if (ElfVersionNeedPatcher.MarkVersionWeakInFile(path, ElfVersionNeedPatcher.GlibcxxVersionNeededByTorchSharp))
                    rewritten.Add(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException(
                    $"TorchSharp's native library at '{path}' needs a one-time patch to load on this system (GLIBCXX_3.4.32 " +
                    "marked weak) and it could not be written. Make the build output writable, or patch it once at deploy " +
                    "time (see docs/torchsharp-on-debian12.md).", e);
            }
        }
        return rewritten;
    }
}
