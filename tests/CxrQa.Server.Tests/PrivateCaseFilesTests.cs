using System.Net;
using System.Runtime.Versioning;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests;

/// <summary>What the server writes that may carry patient data is its own user's only: case folders 0700, case files
/// 0600, gdcmconv's temporaries in a private folder under the data directory, and a conversion killed with the
/// server leaves nothing there after the restart.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PrivateCaseFilesTests
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static string RleDicom => TestData.Path("dicom", "other", "D_CLUNIE_CT1_RLE_FRAGS.dcm");

    [Fact]
    public async Task Case_folders_are_0700_and_their_files_0600_including_the_lazy_heatmap()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var answer = await Http.JsonAsync(await server.Client.PostAsync("/predict", Http.Raw(await File.ReadAllBytesAsync(Films.Normal), "image/jpeg")));
        var id = answer["case_id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/cases/{id}/heatmap.png")).StatusCode);

        var cases = Path.Combine(data.Path, "cases");
        Assert.Equal(FolderMode, File.GetUnixFileMode(cases));
        Assert.Equal(FolderMode, File.GetUnixFileMode(Path.Combine(cases, id)));
        var files = Directory.GetFiles(Path.Combine(cases, id));
        Assert.Equal(2, files.Length); // film and heatmap
        Assert.All(files, f => Assert.Equal(FileMode, File.GetUnixFileMode(f)));
    }

    [Fact]
    public async Task A_gdcmconv_killed_with_the_server_leaves_nothing_after_the_restart()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var data = new TempDirectory();
        using var tools = new TempDirectory();
        // A stand-in gdcmconv that never finishes, found first on the server's PATH.
        var fake = tools.Write("gdcmconv", "#!/bin/sh\nexec sleep 60\n"u8.ToArray());
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var environment = new Dictionary<string, string> { ["PATH"] = $"{tools.Path}:{Environment.GetEnvironmentVariable("PATH")}" };
        var folder = Path.Combine(data.Path, "gdcm-tmp");

        var server = await ServerProcess.StartAsync(data.Path, environment: environment);
        try
        {
            Assert.Equal(FolderMode, File.GetUnixFileMode(folder));
            var pending = server.Client.PostAsync("/predict", Http.Raw(await File.ReadAllBytesAsync(RleDicom), "application/dicom"));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Directory.GetFiles(folder).Length < 2 && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            var temporaries = Directory.GetFiles(folder);
            Assert.Equal(2, temporaries.Length); // the film and the output placeholder, both 0600
            Assert.All(temporaries, f => Assert.Equal(FileMode, File.GetUnixFileMode(f)));
            server.Kill(); // SIGKILL mid-conversion: the finally that deletes them never runs
            await Assert.ThrowsAnyAsync<Exception>(() => pending);
            Assert.Equal(2, Directory.GetFiles(folder).Length);
        }
        finally
        {
            await server.DisposeAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(data.Path);
        Assert.Empty(Directory.GetFiles(folder));
        Assert.Contains("leftover gdcmconv temporary file", restarted.Output);
    }
}
