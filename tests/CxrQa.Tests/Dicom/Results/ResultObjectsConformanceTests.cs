using CxrQa.Domain;
using CxrQa.Core.Dicom;
using CxrQa.Core.Dicom.Results;
using CxrQa.Core.Imaging;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Dicom.Results;

/// <summary>
/// Every object built from synthesised films and from the shared real chest films passes dicom3tools' dciodvfy with
/// zero errors (the real films themselves have up to 24), and DCMTK's dsrdump reads the reports' content trees back
/// with the finding, the probability and the routing. Needs the Debian packages dicom3tools and dcmtk
/// (scripts/ensure-test-deps.sh) and ../shared/data.
/// </summary>
public sealed class ResultObjectsConformanceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(TestSyntax.ExplicitLittle)]
    [InlineData(TestSyntax.ImplicitLittle)]
    [InlineData(TestSyntax.ExplicitBig)]
    [InlineData(TestSyntax.DeflatedExplicitLittle)]
    public void ObjectsFromASynthesisedFilmHaveNoDciodvfyErrors(TestSyntax syntax)
    {
        var film = ResultFixtures.SynthesisedFilm(syntax);
        AssertAllConform(film, width: 5, height: 3);
    }

    [Fact]
    public void ObjectsFromAFilmWithoutIdentityHaveNoDciodvfyErrors()
    {
        var overrides = new Dictionary<(ushort, ushort), (string Vr, byte[]? Value)>
        {
            [(0x0008, 0x0018)] = ("UI", null),
            [(0x0020, 0x000D)] = ("UI", null),
            [(0x0020, 0x000E)] = ("UI", "1.2.03"u8.ToArray()),
        };
        AssertAllConform(ResultFixtures.SynthesisedFilm(overrides: overrides), width: 5, height: 3);
    }

    [Theory]
    [MemberData(nameof(ResultFixtures.RealChestFilms), MemberType = typeof(ResultFixtures))]
    public void ObjectsFromARealFilmHaveNoDciodvfyErrors(string name)
    {
        var film = DicomFiles.Chest_(name);
        var header = Part10File.Parse(film, DecodeLimits.Default).Dataset;
        AssertAllConform(film, header.GetUInt16(DicomTag.Columns)!.Value, header.GetUInt16(DicomTag.Rows)!.Value);
    }

    [Fact]
    public void DsrdumpShowsTheFindingProbabilityAndRouting()
    {
        var film = ResultFixtures.SynthesisedFilm();
        var report = ResultFixtures.Builder.Build(film, ResultFixtures.Routed(), overlay: null).Single();
        var (code, tree) = ResultFixtures.Run("dsrdump", "+Pc", "+Pl", "+Pu", Save(report));

        Assert.True(code == 0, tree);
        Assert.Contains("Comprehensive SR Document", tree);
        Assert.Contains("UNVERIFIED", tree);
        Assert.Contains("(233604007,SCT,\"Pneumonia\")=(52101004,SCT,\"Present\")", tree);
        Assert.Contains("(PNEUMONIA_PROB,99CXRQA,\"Calibrated probability of pneumonia\")=\"0.8731234\" ({probability},UCUM,\"probability\")", tree);
        Assert.Contains("(ROUTING_STATUS,99CXRQA,\"Routing status\")=(pending_review,99CXRQA,\"Pending radiologist review\")", tree);
        Assert.Contains("low_confidence: Confidence below the certified level for Pneumonia answers", tree);
        Assert.Contains("out_of_distribution: ", tree);
        Assert.Contains("cxrqa-resnet18", tree);
        Assert.Contains("2026.11.1", tree);
        Assert.Contains(ResultFixtures.CaseId, tree);
        Assert.Contains("1.2.826.0.1.3680043.8.498.1", tree); // the IMAGE reference to the film
    }

    [Fact]
    public void DsrdumpShowsAnAutomatedNormalAnswer()
    {
        var film = ResultFixtures.SynthesisedFilm();
        var report = ResultFixtures.Builder.Build(film, ResultFixtures.Automated(), overlay: null).Single();
        var (code, tree) = ResultFixtures.Run("dsrdump", "+Pc", "+Pl", "+Pu", Save(report));

        Assert.True(code == 0, tree);
        Assert.Contains("(233604007,SCT,\"Pneumonia\")=(2667000,SCT,\"Absent\")", tree);
        Assert.Contains("=\"0.0123\"", tree);
        Assert.Contains("(automated,99CXRQA,\"Automated answer\")", tree);
        Assert.DoesNotContain("ROUTING_REASON", tree);
    }

    [Fact]
    public void DsrdumpShowsTheVerifiedReportWithItsObserverAndPredecessor()
    {
        var film = ResultFixtures.SynthesisedFilm();
        var verified = ResultFixtures.Builder.BuildVerifiedReport(film, ResultFixtures.Routed(),
            ResultFixtures.Verification(ReviewLabel.Normal));
        var (code, tree) = ResultFixtures.Run("dsrdump", "+Pc", "+Pl", "+Pu", Save(verified));

        Assert.True(code == 0, tree);
        Assert.Contains("VERIFIED", tree);
        Assert.DoesNotContain("UNVERIFIED", tree);
        Assert.Contains("Müller", tree);
        Assert.Contains("Test Hospital Radiology", tree);
        Assert.Contains("(RAD_LABEL,99CXRQA,\"Radiologist's label\")=(17621005,SCT,\"Normal\")", tree);

        var (_, dump) = ResultFixtures.Run("dcmdump", "+U8", Save(verified));
        Assert.Contains("PredecessorDocumentsSequence", dump);
        Assert.Contains(ResultUids.SopInstance(ResultFixtures.CaseId, ResultObjectKind.ScreeningReport), dump);
        Assert.Contains("ISO_IR 192", dump);
    }

    [Fact]
    public void TheOverlayReadsBackAsAnRgbSecondaryCapture()
    {
        var film = ResultFixtures.SynthesisedFilm();
        var overlay = ResultFixtures.Builder.Build(film, ResultFixtures.Routed(), ResultFixtures.Overlay(5, 3))[1];
        var (code, dump) = ResultFixtures.Run("dcmdump", "-Un", Save(overlay));

        Assert.True(code == 0, dump);
        Assert.Contains("[1.2.840.10008.5.1.4.1.1.7]", dump);
        Assert.Contains("(0028,0004) CS [RGB]", dump);
        Assert.Contains("(0028,0006) US 0", dump);
        Assert.Contains("(0008,0064) CS [WSD]", dump);
        Assert.Contains("NOT FOR DIAGNOSTIC USE", dump);

        var pixels = Part10File.Parse(overlay.Part10, DecodeLimits.Default).Dataset;
        Assert.Equal(ResultFixtures.Overlay(5, 3).Rgb, pixels.Value(pixels.Find(DicomTag.PixelData)!).Span[..45].ToArray());
        var decoded = DicomFiles.WithoutGdcm.Read(overlay.Part10, DecodeLimits.Default);
        Assert.Equal((5, 3), (decoded.Image.Width, decoded.Image.Height));
    }

    private void AssertAllConform(byte[] film, int width, int height)
    {
        var report = ResultFixtures.Routed();
        var objects = ResultFixtures.Builder.Build(film, report, ResultFixtures.Overlay(width, height)).ToList();
        objects.Add(ResultFixtures.Builder.BuildVerifiedReport(film, report, ResultFixtures.Verification()));
        objects.Add(ResultFixtures.Builder.Build(film, ResultFixtures.Automated() with { Finding = null, PneumoniaProbability = null }, null)[0]);
        // Hostile text of our own (delimiters, controls, over-long names) is fitted, never written invalid.
        objects.Add(ResultFixtures.Builder.BuildVerifiedReport(film,
            report with { Model = new ModelIdentity(new string('m', 80) + "\\\u0001", "v\\1\u0085") },
            ResultFixtures.Verification() with { ObserverName = "A=B=C^1^2^3^4^5^6\\x", Organization = new string('o', 90) }));

        foreach (var o in objects)
        {
            var (output, errors) = ResultFixtures.Dciodvfy(Save(o));
            Assert.True(errors.Length == 0, $"{o.Kind}: {string.Join('\n', errors)}\n{output}");
        }
        foreach (var o in objects.Where(o => o.Kind != ResultObjectKind.HeatmapOverlay))
        {
            var (code, tree) = ResultFixtures.Run("dsrdump", "+Pc", "+Pl", "+Pu", Save(o));
            Assert.True(code == 0 && !tree.Contains("E: ", StringComparison.Ordinal), tree);
        }

        var (_, first) = ResultFixtures.Run("dsrdump", "+Pc", "+Pl", Save(objects[0]));
        Assert.Contains("(233604007,SCT,\"Pneumonia\")=(52101004,SCT,\"Present\")", first);
        Assert.Contains("=\"0.8731234\" ({probability},UCUM,\"probability\")", first);
        Assert.Contains("(pending_review,99CXRQA,\"Pending radiologist review\")", first);
    }

    /// <summary>The non-chest and malformed sample files: the report is built with zero dciodvfy errors, or the
    /// film is refused with a typed error; nothing else escapes.</summary>
    [Theory]
    [MemberData(nameof(OtherFilms))]
    public void AnyOtherSampleGivesAValidReportOrATypedError(string name)
    {
        DicomResultObject report;
        try
        {
            report = ResultFixtures.Builder.Build(DicomFiles.Load("other", name), ResultFixtures.Routed(), null).Single();
        }
        catch (Core.Errors.CxrQaException ex)
        {
            Assert.StartsWith("dicom_", ex.Code);
            return;
        }
        var (output, errors) = ResultFixtures.Dciodvfy(Save(report));
        Assert.True(errors.Length == 0, $"{string.Join('\n', errors)}\n{output}");
    }

    public static TheoryData<string> OtherFilms()
    {
        var data = new TheoryData<string>();
        foreach (var name in DicomFiles.Other)
            data.Add(name);
        return data;
    }

    private string Save(DicomResultObject o)
    {
        var path = Path.Combine(_dir.Path, $"{o.Kind}-{Guid.NewGuid():N}.dcm");
        File.WriteAllBytes(path, o.Part10);
        return path;
    }
}
