using System.Diagnostics;

namespace CxrQa.Server.Tests.Support;

/// <summary>Runs the built CLI (cxrqa.dll), or the server binary's commands, and returns its exit code and output.</summary>
public static class Cli
{
    public static Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] args) =>
        RunDllAsync(ServerProcess.BuiltDll("CxrQa.Cli", "cxrqa"), args, new Dictionary<string, string>());

    /// <summary>The server binary's own commands (<c>CxrQa.Server keys ...</c>, what a container has), with extra
    /// environment variables (e.g. the server's configuration as CxrQa__DataDirectory).</summary>
    public static Task<(int ExitCode, string StdOut, string StdErr)> RunServerBinaryAsync(IReadOnlyDictionary<string, string> environment,
        params string[] args) =>
        RunDllAsync(ServerProcess.BuiltDll("CxrQa.Server", "CxrQa.Server"), args, environment);

    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunDllAsync(string dll, string[] args,
        IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        info.Environment.Remove("CXRQA_POSTGRES");
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary><c>keys create</c> (with <c>--team</c> when <paramref name="team"/> is given); the key is the last line of stdout.</summary>
    public static async Task<string> CreateKeyAsync(string dataDirectory, string role, string name, string? postgres = null, string? team = null)
    {
        string[] args = ["keys", "create", "--role", role, "--name", name, "--data-dir", dataDirectory];
        if (postgres is not null)
            args = [.. args, "--postgres", postgres];
        if (team is not null)
            args = [.. args, "--team", team];
        var (code, stdout, stderr) = await RunAsync(args);
        Assert.True(code == 0, $"keys create failed ({code}): {stdout}\n{stderr}");
        return stdout.TrimEnd().Split('\n')[^1].Trim();
    }
}
