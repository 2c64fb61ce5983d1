using CxrQa.Domain;
using CxrQa.Core.Dicom;
using CxrQa.Core.Dicom.Results;
using CxrQa.Core.Imaging;
using CxrQa.Core.Pipeline;

namespace CxrQa.Tests.Dicom.Results;

/// <summary>Our own strings (model names, observer names, reasons) are fitted to their VR, so odd input still makes a
/// valid object instead of an exception or an invalid file.</summary>
public sealed class DicomTextTests
{
    [Theory]
    [InlineData("LO", "a\\b\u0001c\u0085d", "a b c d")]
    [InlineData("SH", "  seventeen chars!!  ", "seventeen chars!")]
    [InlineData("UT", "line\r\nnext\\ok\u0000", "line\r\nnext\\ok")]
    public void FitReplacesControlsAndDelimitersAndCutsAtTheMaximum(string vr, string value, string expected)
    {
        var fitted = DicomText.Fit(vr, value);
        Assert.Equal(expected, fitted);
        Assert.True(DicomValueRules.IsValid(vr, fitted));
    }

    [Theory]
    [InlineData("Doe^John", "Doe^John")]
    [InlineData("a=b", "a b")]
    [InlineData("1^2^3^4^5^6^7", "1^2^3^4^5 6 7")]
    public void PersonNamesKeepAtMostFiveComponentsInOneGroup(string value, string expected)
    {
        var fitted = DicomText.FitPersonName(value);
        Assert.Equal(expected, fitted);
        Assert.True(DicomValueRules.IsValid("PN", fitted));
    }

    [Fact]
    public void HostileReportTextStillBuildsValidObjects()
    {
        var report = ResultFixtures.Routed() with
        {
            Model = new ModelIdentity(new string('m', 100) + "\\\u0001", "v\\1\u0085"),
            SoftwareVersion = "1.0\r\n",
            Reasons = [new RoutingReason("x", "a\\b\u0000c")],
        };
        var verification = ResultFixtures.Verification() with { ObserverName = "A=B=C=D^1^2^3^4^5^6\\x", Organization = new string('o', 100) };
        var film = ResultFixtures.SynthesisedFilm();

        var objects = ResultFixtures.Builder.Build(film, report, ResultFixtures.Overlay(5, 3)).ToList();
        objects.Add(ResultFixtures.Builder.BuildVerifiedReport(film, report, verification));

        foreach (var o in objects)
            Assert.NotNull(Part10File.Parse(o.Part10, DecodeLimits.Default).Dataset.GetString(DicomTag.SoftwareVersions));
    }
}
