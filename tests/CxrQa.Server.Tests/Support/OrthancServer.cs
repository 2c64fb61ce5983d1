using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests.Support;

/// <summary>
/// A real PACS for the tests: Debian's Orthanc with its DICOMweb plugin, on loopback HTTP and DICOM ports chosen free,
/// storing in its own temporary folder. CxrQa is its DICOMweb peer "cxrqa"; a Lua OnStoredInstance hook forwards every
/// instance that came in over the DICOM protocol (a modality's C-STORE) to CxrQa with STOW-RS, and nothing that came in
/// over HTTP (CxrQa's own SR and SC), so results never loop back. Missing binaries fail the tests with a clear message
/// (scripts/ensure-test-deps.sh installs orthanc, orthanc-dicomweb and dcmtk): nothing is skipped.
/// </summary>
public sealed class OrthancServer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/Orthanc";
    public const string DicomWebPlugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";
    public const string Aet = "ORTHANC";

    private readonly string _root;
    private readonly StringBuilder _log = new();
    private readonly Lock _logLock = new();
    private Process? _process;

    private OrthancServer(string root, int httpPort, int dicomPort)
    {
        _root = root;
        HttpPort = httpPort;
        DicomPort = dicomPort;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int HttpPort { get; }
    public int DicomPort { get; }
    public HttpClient Client { get; }

    /// <summary>Where CxrQa sends results: Orthanc's DICOMweb root (CxrQa:Pacs:StowUrl).</summary>
    public string DicomWebUrl => $"http://127.0.0.1:{HttpPort}/dicom-web";

    public string Log
    {
        get { lock (_logLock) return _log.ToString(); }
    }

    /// <summary>Writes the configuration (CxrQa at <paramref name="cxrqaDicomWebUrl"/>, with
    /// <paramref name="cxrqaApiKey"/> as a Bearer key when given) and starts Orthanc.</summary>
    public static async Task<OrthancServer> StartAsync(string cxrqaDicomWebUrl, string? cxrqaApiKey = null)
    {
        foreach (var needed in new[] { Binary, DicomWebPlugin, "/usr/bin/storescu" })
            if (!File.Exists(needed))
                throw new InvalidOperationException($"{needed} not found. The PACS tests need Debian's orthanc, orthanc-dicomweb and dcmtk: " +
                    "run scripts/ensure-test-deps.sh (as root) or apt-get install orthanc orthanc-dicomweb dcmtk.");
        var root = Path.Combine(Path.GetTempPath(), "cxrqa-orthanc-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var server = new OrthancServer(root, ServerProcess.FreePort(), ServerProcess.FreePort());
        await File.WriteAllTextAsync(Path.Combine(root, "orthanc.json"), Configuration(root, server.HttpPort, server.DicomPort, cxrqaDicomWebUrl, cxrqaApiKey));
        await server.StartAsync();
        return server;
    }

    /// <summary>The shipped configuration (scripts/orthanc/orthanc.json, the one scripts/orthanc-demo.sh and docs/pacs.md
    /// use) filled in, with <paramref name="cxrqaApiKey"/> as the peer's Bearer key when given.</summary>
    public static string Configuration(string root, int httpPort, int dicomPort, string cxrqaDicomWebUrl, string? cxrqaApiKey)
    {
        var template = File.ReadAllText(Path.Combine(TestData.RepoRoot, "scripts", "orthanc", "orthanc.json"));
        var filled = template
            .Replace("@STORAGE@", Path.Combine(root, "storage"), StringComparison.Ordinal)
            .Replace("@HTTP_PORT@", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@DICOM_PORT@", dicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@LUA@", Path.Combine(TestData.RepoRoot, "scripts", "orthanc", "forward.lua"), StringComparison.Ordinal)
            .Replace("@CXRQA_DICOMWEB@", cxrqaDicomWebUrl.TrimEnd('/') + "/", StringComparison.Ordinal);
        var config = JsonNode.Parse(filled)!.AsObject();
        if (cxrqaApiKey is not null)
            config["DicomWeb"]!["Servers"]!["cxrqa"]!["HttpHeaders"] = new JsonObject { ["Authorization"] = "Bearer " + cxrqaApiKey };
        return config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Starts (or starts again, with the same storage and ports) and waits until the REST API answers.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
            throw new InvalidOperationException("Orthanc is already running");
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _root };
        info.ArgumentList.Add(Path.Combine(_root, "orthanc.json"));
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Orthanc exited with {process.ExitCode} before it was ready:\n{Log}");
            try
            {
                using var response = await Client.GetAsync("/plugins/dicom-web");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Orthanc was not ready within 60 s:\n{Log}");
    }

    /// <summary>SIGKILL: the PACS is down, as after a crash or a network cut.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(30_000);
        }
    }

    /// <summary>Sends a file to Orthanc over DICOM (C-STORE) with dcmtk's storescu, as a modality does.</summary>
    public async Task StoreScuAsync(string file)
    {
        var info = new ProcessStartInfo("storescu") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-aet", "CXRQATEST", "-aec", Aet, "127.0.0.1", DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture), file })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"storescu failed ({process.ExitCode}): {await stdout}{await stderr}");
    }

    /// <summary>QIDO-RS: the instances of a study (DICOM JSON), empty when Orthanc has none.</summary>
    public async Task<JsonArray> StudyInstancesAsync(string studyInstanceUid)
    {
        using var response = await Client.GetAsync($"/dicom-web/studies/{studyInstanceUid}/instances?includefield=00080016&includefield=0020000E");
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.NotFound || text.Length == 0)
            return [];
        Assert.True(response.IsSuccessStatusCode, $"QIDO-RS answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text) as JsonArray ?? [];
    }

    /// <summary>Polls QIDO-RS until <paramref name="done"/> holds for the study's instances; returns them.</summary>
    public async Task<JsonArray> WaitForStudyAsync(string studyInstanceUid, Func<IReadOnlyList<JsonNode>, bool> done, string what,
        TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonArray instances = [];
        while (DateTime.UtcNow < deadline)
        {
            instances = await StudyInstancesAsync(studyInstanceUid);
            if (done(instances.Select(i => i!).ToList()))
                return instances;
            await Task.Delay(500);
        }
        throw new TimeoutException($"the study did not get {what} within {timeout}; it has SOP classes " +
            $"[{string.Join(", ", instances.Select(i => SopClassOf(i!)))}]\n--- Orthanc ---\n{Log}\n{context?.Invoke()}");
    }

    public static string SopClassOf(JsonNode instance) => instance["00080016"]?["Value"]?[0]?.GetValue<string>() ?? "";

    public static string SopInstanceOf(JsonNode instance) => instance["00080018"]?["Value"]?[0]?.GetValue<string>() ?? "";

    /// <summary>The stored Part-10 file of an instance, through Orthanc's own lookup and file resources.</summary>
    public async Task<byte[]> FileAsync(string sopInstanceUid)
    {
        using var lookup = await Client.PostAsync("/tools/lookup", new StringContent(sopInstanceUid));
        var found = JsonNode.Parse(await lookup.Content.ReadAsStringAsync())!.AsArray();
        var id = found.Single(f => f!["Type"]!.GetValue<string>() == "Instance")!["ID"]!.GetValue<string>();
        return await Client.GetByteArrayAsync($"/instances/{id}/file");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_logLock) _log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        _process?.Dispose();
        Client.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        await Task.CompletedTask;
    }
}
