using System.Diagnostics;
using System.Net.Http.Headers;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests.Support;

/// <summary>Real DICOM files from the shared data, STOW-RS bodies, and dcmtk's tools on them.</summary>
public static class DicomFiles
{
    /// <summary>A DX chest film (NIH ChestX-ray14), uncompressed, with a Part-10 header: what a modality sends.</summary>
    public static string ChestDx => TestData.Path("dicom", "chest", "1.3.6.1.4.1.11129.5.5.110503645592756492463169821050252582267888.dcm");

    /// <summary>A CT slice: a DICOM image that is not a chest radiograph.</summary>
    public static string Ct => TestData.Path("dicom", "other", "ct.dcm");

    public const string ComprehensiveSr = "1.2.840.10008.5.1.4.1.1.88.33";
    public const string SecondaryCapture = "1.2.840.10008.5.1.4.1.1.7";

    /// <summary>multipart/related; type="application/dicom" with one part per (media type, bytes).</summary>
    public static HttpContent Stow(params (string MediaType, byte[] Bytes)[] parts)
    {
        var body = new MultipartContent("related", "stow-" + Guid.NewGuid().ToString("N"));
        body.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        foreach (var (mediaType, bytes) in parts)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            body.Add(part);
        }
        return body;
    }

    /// <summary>A copy of <paramref name="source"/> in <paramref name="folder"/> with the patient's name, id and birth date
    /// set to <see cref="Films.PatientIdentifiers"/> (dcmtk's dcmodify): a real film that carries identifiers.</summary>
    public static async Task<string> WithPatientIdentifiersAsync(string source, string folder, string? newStudyUid = null)
    {
        var copy = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".dcm");
        File.Copy(source, copy);
        var ids = Films.PatientIdentifiers;
        List<string> args = ["-nb", "-i", $"(0010,0010)={ids[0]}", "-i", $"(0010,0020)={ids[1]}", "-i", $"(0010,0030)={ids[2]}"];
        if (newStudyUid is not null)
            args.AddRange(["-i", $"(0020,000D)={newStudyUid}", "-i", $"(0008,0018)={newStudyUid}.1"]);
        args.Add(copy);
        await RunAsync("dcmodify", args);
        return copy;
    }

    /// <summary>One attribute's value as dcmtk's dcmdump prints it (e.g. "(0020,000d)"), without the brackets.</summary>
    public static async Task<string> TagAsync(string file, string tag)
    {
        var output = await RunAsync("dcmdump", ["+P", tag, "-s", file]);
        var open = output.IndexOf('[', StringComparison.Ordinal);
        var close = output.IndexOf(']', open + 1);
        return open < 0 || close < 0 ? "" : output[(open + 1)..close];
    }

    /// <summary>An SR's content tree as text (dcmtk's dsrdump).</summary>
    public static Task<string> SrTextAsync(string file) => RunAsync("dsrdump", ["-Ee", "-Ec", "+Pn", "+Pl", file]);

    public static async Task<string> RunAsync(string tool, IEnumerable<string> args, bool mustSucceed = true)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await stdout + await stderr;
        if (mustSucceed)
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', info.ArgumentList)} failed ({process.ExitCode}): {text}");
        return text;
    }
}
