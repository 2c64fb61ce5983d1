using System.Diagnostics;
using CxrQa.Core.Errors;
using CxrQa.Core.Io;

namespace CxrQa.Core.Dicom;

/// <summary>
/// Decompresses a DICOM file with GDCM's <c>gdcmconv --raw</c> (Debian package libgdcm-tools) for the codecs we do
/// not implement (JPEG 2000, JPEG-LS, JPEG lossless, RLE). The input goes to a 0600 file in a private folder
/// (<see cref="GdcmTemporaries"/>), the tool writes its output over a 0600 file made there first, runs with a timeout
/// and is killed (with its children) when it overruns, and both temp files are always deleted.
/// </summary>
internal static class GdcmConverter
{
    /// <summary>Full path of the tool, or null when it is not configured or not installed.</summary>
    public static string? Locate(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
            return null;
        if (configured.Contains(Path.DirectorySeparatorChar) || configured.Contains(Path.AltDirectorySeparatorChar))
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, configured);
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }

    /// <summary>Runs the conversion and returns the uncompressed file's bytes.</summary>
    /// <param name="maxOutputBytes">Largest output accepted; checked before the output is read.</param>
    /// <param name="temporaryDirectory">Private folder for the temporaries; null: a fresh one under the system temp path.</param>
    public static byte[] ConvertToRaw(string gdcmconv, ReadOnlySpan<byte> dicom, TimeSpan timeout, long maxOutputBytes, string? temporaryDirectory)
    {
        var (folder, ownedFolder) = GdcmTemporaries.FolderFor(temporaryDirectory);
        var stem = Path.Combine(folder, GdcmTemporaries.FilePrefix + Guid.NewGuid().ToString("N"));
        var input = stem + ".in.dcm";
        var output = stem + ".out.dcm";
        try
        {
            using (var file = new FileStream(input, PrivateFiles.NewFile()))
                file.Write(dicom);
            // gdcmconv truncates an existing output file and keeps its mode, so the decompressed copy is 0600 too.
            new FileStream(output, PrivateFiles.NewFile()).Dispose();

            Run(gdcmconv, input, output, timeout);

            var info = new FileInfo(output);
            if (!info.Exists || info.Length == 0)
                throw new CxrQaException(ErrorCodes.CorruptImage, "gdcmconv produced no output for the DICOM file");
            if (info.Length > maxOutputBytes)
                throw new CxrQaException(ErrorCodes.ImageTooLarge,
                    $"decompressed DICOM is {info.Length} bytes, above the expected maximum of {maxOutputBytes}");
            return File.ReadAllBytes(output);
        }
        finally
        {
            TryDelete(input);
            TryDelete(output);
            if (ownedFolder)
                TryDelete(folder);
        }
    }

    private static void Run(string gdcmconv, string input, string output, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(gdcmconv)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            CreateNoWindow = true,
        };
        start.ArgumentList.Add("--raw");
        start.ArgumentList.Add(input);
        start.ArgumentList.Add(output);

        using var process = new Process { StartInfo = start };
        // Drain both pipes asynchronously so a chatty tool can never block on a full pipe.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new CxrQaException(ErrorCodes.UnsupportedTransferSyntax, $"gdcmconv could not be started: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the timeout and the kill.
            }

            process.WaitForExit();
            throw new CxrQaException(ErrorCodes.CorruptImage,
                $"gdcmconv did not finish decompressing the DICOM file within {timeout.TotalSeconds:0.#} s");
        }

        process.WaitForExit(); // flushes the asynchronous pipe readers
        // The tool's own messages are not passed on: they can echo header values, which may carry patient data.
        if (process.ExitCode != 0)
            throw new CxrQaException(ErrorCodes.CorruptImage,
                $"gdcmconv could not decompress the DICOM pixel data (exit code {process.ExitCode})");
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
            else
                File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
