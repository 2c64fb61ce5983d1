using CxrQa.Domain;
using System.Diagnostics;
using System.Text;
using CxrQa.Core.Dicom.Results;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Routing;

namespace CxrQa.Tests.Dicom.Results;

/// <summary>Reports, films and the external validators (dicom3tools' dciodvfy, DCMTK's dsrdump and dcmdump) the
/// result-object tests share.</summary>
internal static class ResultFixtures
{
    public const string CaseId = "0193a1b2c3d4e5f60718293a4b5c6d7e";

    public static ResultObjectsBuilder Builder { get; } = new(new ResultObjectsOptions { InstitutionName = "Test Hospital" });

    public static ScreeningReport Routed(string caseId = CaseId) => new(
        caseId, new ModelIdentity("cxrqa-resnet18", "2026.11.1"), "1.4.0",
        new DateTimeOffset(2026, 12, 2, 17, 5, 9, TimeSpan.FromHours(1)),
        ScreeningClass.Pneumonia, 0.8731234, CaseStatus.PendingReview,
        [
            new RoutingReason(ReasonCodes.LowConfidence, "Confidence below the certified level for Pneumonia answers"),
            new RoutingReason(ReasonCodes.OutOfDistribution, "Film looks unlike the training films (out of distribution)"),
        ]);

    public static ScreeningReport Automated(string caseId = CaseId) => Routed(caseId) with
    {
        Finding = ScreeningClass.Normal, PneumoniaProbability = 0.0123, Status = CaseStatus.Automated, Reasons = [],
    };

    public static ReviewVerification Verification(ReviewLabel label = ReviewLabel.Pneumonia) =>
        new("Müller^Anna", "Test Hospital Radiology", new DateTimeOffset(2026, 12, 2, 18, 0, 0, TimeSpan.Zero), label);

    /// <summary>A gradient overlay of the given size (odd sizes exercise the pixel data's padding).</summary>
    public static RgbFrame Overlay(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i++)
            rgb[i] = (byte)(i * 7);
        return new RgbFrame(width, height, rgb);
    }

    /// <summary>The header of <see cref="SynthesisedFilm"/>: a complete, valid patient and study.</summary>
    public static IReadOnlyList<(ushort Group, ushort Element, string Vr, string Value)> Header { get; } =
    [
        (0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.1"),
        (0x0008, 0x0018, "UI", "1.2.826.0.1.3680043.8.498.1"),
        (0x0008, 0x0020, "DA", "20261201"),
        (0x0008, 0x0030, "TM", "101500"),
        (0x0008, 0x0050, "SH", "ACC123"),
        (0x0008, 0x0060, "CS", "CR"),
        (0x0008, 0x0090, "PN", "Referrer^Rita"),
        (0x0008, 0x1030, "LO", "XR CHEST PA"),
        (0x0010, 0x0010, "PN", SyntheticFilms.PatientName),
        (0x0010, 0x0020, "LO", "PID-42"),
        (0x0010, 0x0030, "DA", "19700101"),
        (0x0010, 0x0040, "CS", "F"),
        (0x0010, 0x1010, "AS", "056Y"),
        (0x0018, 0x0015, "CS", "CHEST"),
        (0x0020, 0x000D, "UI", "1.2.826.0.1.3680043.8.498.2"),
        (0x0020, 0x000E, "UI", "1.2.826.0.1.3680043.8.498.3"),
        (0x0020, 0x0010, "SH", "S1"),
        (0x0020, 0x0020, "CS", "P\\F"),
    ];

    /// <summary>A small film (3x5, 8 bit) with <see cref="Header"/>; <paramref name="overrides"/> replace values by
    /// (group, element) or add elements (a null value removes the element), and are written as raw bytes, so they may
    /// be invalid on purpose.</summary>
    public static byte[] SynthesisedFilm(
        TestSyntax syntax = TestSyntax.ExplicitLittle,
        IReadOnlyDictionary<(ushort, ushort), (string Vr, byte[]? Value)>? overrides = null)
    {
        var elements = Header.ToDictionary(h => (h.Group, h.Element), h => (h.Vr, Value: (byte[]?)Encoding.Latin1.GetBytes(h.Value)));
        foreach (var (tag, value) in overrides ?? new Dictionary<(ushort, ushort), (string, byte[]?)>())
            elements[tag] = value;
        var w = new DicomTestWriter(syntax);
        foreach (var ((group, element), (vr, value)) in elements.OrderBy(e => e.Key.Item1).ThenBy(e => e.Key.Item2))
        {
            if (value is null)
                continue;
            var padded = value.Length % 2 == 0 ? value : [.. value, vr == "UI" ? (byte)0 : (byte)' '];
            w.Element(group, element, vr, padded);
        }
        return w.PixelModule(rows: 3, columns: 5, bitsAllocated: 8, bitsStored: 8, signed: false)
            .Element(0x7FE0, 0x0010, "OB", new byte[16])
            .ToFile();
    }

    public static IReadOnlyDictionary<(ushort, ushort), (string Vr, byte[]? Value)> Set(
        ushort group, ushort element, string vr, string? value) =>
        new Dictionary<(ushort, ushort), (string, byte[]?)> { [(group, element)] = (vr, value is null ? null : Encoding.Latin1.GetBytes(value)) };

    /// <summary>The shared real DICOM films that are chest radiographs (the ones CxrQa screens).</summary>
    public static TheoryData<string> RealChestFilms()
    {
        var data = new TheoryData<string>();
        foreach (var name in DicomFiles.Chest)
            data.Add(name);
        return data;
    }

    public static (int ExitCode, string Output) Run(string tool, params string[] args)
    {
        var path = "/usr/bin/" + tool;
        if (!File.Exists(path))
            throw new InvalidOperationException($"{tool} is not installed: run scripts/ensure-test-deps.sh (Debian packages dicom3tools, dcmtk)");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException($"{tool} did not finish in 60 s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>dciodvfy's output for a file, and its error lines (warnings are allowed, errors are not).</summary>
    public static (string Output, string[] Errors) Dciodvfy(string path)
    {
        var (_, output) = Run("dciodvfy", path);
        var errors = output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToArray();
        return (output, errors);
    }
}
