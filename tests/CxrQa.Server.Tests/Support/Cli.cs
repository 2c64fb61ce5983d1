using System.Diagnostics;

namespace CxrQa.Server.Tests.Support;

/// <summary>Runs the built CLI (cxrqa.dll) and returns its exit code and output.</summary>
public static class Cli
{
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ServerProcess.BuiltDll("CxrQa.Cli", "cxrqa"));
        foreach (var a in args)
            info.ArgumentList.Add(a);
        info.Environment.Remove("CXRQA_POSTGRES");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary><c>keys create</c>; the key is the last line of stdout.</summary>
    public static async Task<string> CreateKeyAsync(string dataDirectory, string role, string name, string? postgres = null)
    {
        string[] args = ["keys", "create", "--role", role, "--name", name, "--data-dir", dataDirectory];
        if (postgres is not null)
            args = [.. args, "--postgres", postgres];
        var (code, stdout, stderr) = await RunAsync(args);
        Assert.True(code == 0, $"keys create failed ({code}): {stdout}\n{stderr}");
        return stdout.TrimEnd().Split('\n')[^1].Trim();
    }
}
