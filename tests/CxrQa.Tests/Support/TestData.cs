namespace CxrQa.Tests.Support;

/// <summary>
/// Locates the shared real data (../shared/data beside the repository, or CXRQA_DATA). Tests that need it fail
/// loudly when it is missing instead of skipping: CI always has it, and a silent skip would hide a broken set-up.
/// </summary>
public static class TestData
{
    public static string Root { get; } = Resolve();

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Resolve()
    {
        var fromEnv = Environment.GetEnvironmentVariable("CXRQA_DATA");
        var dir = !string.IsNullOrWhiteSpace(fromEnv)
            ? fromEnv
            : System.IO.Path.GetFullPath(System.IO.Path.Combine(FindRepoRoot(), "..", "shared", "data"));
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException(
                $"Test data not found at '{dir}'. Put the shared data beside the repository (../shared/data) or set CXRQA_DATA.");
        return dir;
    }

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(System.IO.Path.Combine(d.FullName, "CxrQa.sln")))
                return d.FullName;
        throw new DirectoryNotFoundException("CxrQa.sln not found above " + AppContext.BaseDirectory);
    }
}
