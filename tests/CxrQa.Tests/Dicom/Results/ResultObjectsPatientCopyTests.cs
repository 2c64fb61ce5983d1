using System.Text;
using CxrQa.Core.Dicom;
using CxrQa.Core.Dicom.Results;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Dicom.Results;

/// <summary>Patient and study attributes are copied from the film only when valid for their VR; an invalid type 2
/// value is written empty, an invalid type 3 value left out, never copied.</summary>
public sealed class ResultObjectsPatientCopyTests
{
    [Fact]
    public void ValidValuesAreCopiedIntoEveryObject()
    {
        var film = ResultFixtures.SynthesisedFilm();
        var objects = ResultFixtures.Builder.Build(film, ResultFixtures.Routed(), ResultFixtures.Overlay(5, 3)).ToList();
        objects.Add(ResultFixtures.Builder.BuildVerifiedReport(film, ResultFixtures.Routed(), ResultFixtures.Verification()));

        foreach (var o in objects)
        {
            var ds = Read(o);
            Assert.Equal(SyntheticFilms.PatientName, ds.GetString(DicomTag.PatientName));
            Assert.Equal("PID-42", ds.GetString(DicomTag.PatientId));
            Assert.Equal("19700101", ds.GetString(DicomTag.PatientBirthDate));
            Assert.Equal("F", ds.GetString(DicomTag.PatientSex));
            Assert.Equal("056Y", ds.GetString(DicomTag.PatientAge));
            Assert.Equal("20261201", ds.GetString(DicomTag.StudyDate));
            Assert.Equal("101500", ds.GetString(DicomTag.StudyTime));
            Assert.Equal("ACC123", ds.GetString(DicomTag.AccessionNumber));
            Assert.Equal("Referrer^Rita", ds.GetString(DicomTag.ReferringPhysicianName));
            Assert.Equal("S1", ds.GetString(DicomTag.StudyId));
            Assert.Equal("XR CHEST PA", ds.GetString(DicomTag.StudyDescription));
        }
    }

    [Theory]
    [InlineData(0x0010, 0x0010, "PN", "A^B^C^D^E^F", true)]                 // six name components
    [InlineData(0x0010, 0x0010, "PN", "Doe^John\rX", true)]                 // control character
    [InlineData(0x0010, 0x0020, "LO", "ID-1\\ID-2", true)]                   // two values in a single-valued attribute
    [InlineData(0x0010, 0x0030, "DA", "1970-01-01", true)]                  // not YYYYMMDD
    [InlineData(0x0010, 0x0030, "DA", "19700231", true)]                    // no such day
    [InlineData(0x0010, 0x0040, "CS", "Male", true)]                        // not an enumerated value
    [InlineData(0x0010, 0x1010, "AS", "45Y", false)]                        // wrong length (the NIH sample's error)
    [InlineData(0x0008, 0x0020, "DA", "2026.12.01", true)]                  // ACR-NEMA date
    [InlineData(0x0008, 0x0030, "TM", "25:00", true)]
    [InlineData(0x0008, 0x0050, "SH", "ACCESSION-NUMBER-17", true)]         // over 16 characters
    [InlineData(0x0008, 0x1030, "LO", "A study description that is far longer than the sixty-four characters allowed", false)]
    [InlineData(0x0010, 0x0010, "PN", "Müller^Jörg", true)]                 // not ASCII, and no character set declared
    public void AnInvalidValueIsNeverCopied(int group, int element, string vr, string value, bool typeTwo)
    {
        var film = ResultFixtures.SynthesisedFilm(overrides: ResultFixtures.Set((ushort)group, (ushort)element, vr, value));
        var tag = new DicomTag((ushort)group, (ushort)element);

        foreach (var o in ResultFixtures.Builder.Build(film, ResultFixtures.Routed(), ResultFixtures.Overlay(5, 3)))
        {
            var ds = Read(o);
            if (typeTwo)
                Assert.Equal(0, ds.Find(tag)!.Length);
            else
                Assert.False(ds.Contains(tag));
            Assert.True(o.Part10.AsSpan().IndexOf(Encoding.Latin1.GetBytes(value)) < 0, $"{o.Kind} carries '{value}'");
        }
    }

    [Fact]
    public void AMissingTypeTwoAttributeIsWrittenEmpty()
    {
        var film = ResultFixtures.SynthesisedFilm(overrides: ResultFixtures.Set(0x0010, 0x0020, "LO", null));
        var ds = Read(ResultFixtures.Builder.Build(film, ResultFixtures.Routed(), null)[0]);
        Assert.Equal(0, ds.Find(DicomTag.PatientId)!.Length);
    }

    [Fact]
    public void ALatin1NameIsCopiedAsUtf8UnderIsoIr192()
    {
        var overrides = new Dictionary<(ushort, ushort), (string Vr, byte[]? Value)>
        {
            [(0x0008, 0x0005)] = ("CS", Encoding.ASCII.GetBytes("ISO_IR 100")),
            [(0x0010, 0x0010)] = ("PN", Encoding.Latin1.GetBytes("Müller^Jörg")),
        };
        var o = ResultFixtures.Builder.Build(ResultFixtures.SynthesisedFilm(overrides: overrides), ResultFixtures.Routed(), null)[0];
        var ds = Read(o);

        Assert.Equal("ISO_IR 192", ds.GetString(DicomTag.SpecificCharacterSet));
        var name = ds.Find(DicomTag.PatientName)!;
        Assert.Equal("Müller^Jörg", Encoding.UTF8.GetString(ds.Value(name).Span).TrimEnd(' '));
    }

    [Fact]
    public void AnAsciiOnlyObjectDeclaresNoCharacterSet()
    {
        var ds = Read(ResultFixtures.Builder.Build(ResultFixtures.SynthesisedFilm(), ResultFixtures.Routed(), null)[0]);
        Assert.False(ds.Contains(DicomTag.SpecificCharacterSet));
    }

    [Fact]
    public void ANonDicomFilmIsRefusedWithATypedError()
    {
        var png = Support.TestImageEncoder.Png(new GrayImage(8, 8, new byte[64]));
        var ex = Assert.Throws<CxrQaException>(() => ResultFixtures.Builder.Build(png, ResultFixtures.Routed(), null));
        Assert.Equal(ErrorCodes.UnsupportedFormat, ex.Code);
    }

    [Fact]
    public void AnOverlayOfTheWrongSizeIsRefused()
    {
        var bad = new RgbFrame(5, 3, new byte[44]);
        Assert.Throws<ArgumentException>(() => ResultFixtures.Builder.Build(ResultFixtures.SynthesisedFilm(), ResultFixtures.Routed(), bad));
    }

    private static DicomDataset Read(DicomResultObject o) => Part10File.Parse(o.Part10, DecodeLimits.Default).Dataset;
}
