using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests.Support;

/// <summary>
/// The real server as production runs it: its built dll on Kestrel at 127.0.0.1 and a free port, with a data
/// directory and extra configuration. Output is kept for failure messages.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();

    private ServerProcess(Process process, int port, string dataDirectory)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(120) };
    }

    public int Port { get; }
    public string DataDirectory { get; }
    public HttpClient Client { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_outputLock) return _output.ToString(); }
    }

    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    public const string DriftMonitorSetting = "CxrQa:Automation:DriftMonitor";
    public const string AuditBreakerSetting = "CxrQa:Automation:AuditBreaker";

    public static string BuiltDll(string project, string assembly)
    {
        var path = Path.Combine(TestData.RepoRoot, "src", project, "bin", Configuration, "net10.0", "linux-x64", assembly + ".dll");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} not built: build the solution ({Configuration}) first", path);
        return path;
    }

    /// <summary>Starts the server and waits until /health/ready answers 200. <paramref name="port"/>: a port chosen
    /// beforehand (a peer, such as the test PACS, must know the server's URL before it starts).</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null,
        IReadOnlyDictionary<string, string>? environment = null, int? port = null)
    {
        port ??= FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(BuiltDll("CxrQa.Server", "CxrQa.Server"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.ArgumentList.Add("--data-dir");
        info.ArgumentList.Add(dataDirectory);
        // The production monitors are off unless a test turns them on (MonitoringServerTests): the other tests stream
        // made-up films (noise, one class only) that would rightly pause automation and change their answers.
        var all = new Dictionary<string, string> { [DriftMonitorSetting] = "false", [AuditBreakerSetting] = "false" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            all[key] = value;
        foreach (var (key, value) in all)
            info.ArgumentList.Add($"--{key}={value}");
        info.Environment.Remove("CXRQA_POSTGRES");
        info.Environment.Remove("CXRQA_DATA_DIR");
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process, port.Value, dataDirectory);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitReadyAsync(TimeSpan.FromSeconds(180));
        return server;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_outputLock) _output.AppendLine(line);
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the server exited with {_process.ExitCode} before it was ready:\n{Output}");
            try
            {
                using var response = await Client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the server was not ready within {timeout}:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit(30_000);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        Client.Dispose();
        _process.Dispose();
        await Task.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
