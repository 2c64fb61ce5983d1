using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Dicom;

/// <summary>The de-identified copy served to readers without identified-data rights: no patient identifiers, no
/// private tags, the identity-removed mark, and the same film when decoded, in every encoding the reader supports.</summary>
public sealed class DicomDeidentifierTests
{
    private static readonly string[] Secrets = [SyntheticFilms.PatientName, "ID-778899", "19700101", "OTHER-ID-5", "ST ELSEWHERE", "ACC123", "private secret"];

    private static DicomTestWriter Identified(TestSyntax syntax)
    {
        var w = new DicomTestWriter(syntax)
            .String(0x0008, 0x0050, "SH", "ACC123")
            .String(0x0008, 0x0060, "CS", "CR")
            .String(0x0008, 0x0080, "LO", "ST ELSEWHERE")
            .String(0x0009, 0x0010, "LO", "PRIVATE CREATOR")
            .String(0x0009, 0x1001, "LO", "private secret")
            .String(0x0010, 0x0010, "PN", SyntheticFilms.PatientName)
            .String(0x0010, 0x0020, "LO", "ID-778899")
            .String(0x0010, 0x0030, "DA", "19700101")
            .UndefinedSequence(0x0010, 0x1002, item => item.String(0x0010, 0x0020, "LO", "OTHER-ID-5"))
            .String(0x0018, 0x0015, "CS", "CHEST")
            .PixelModule(rows: 3, columns: 4, bitsAllocated: 16, bitsStored: 12, signed: true)
            .String(0x0028, 0x1050, "DS", "100")
            .String(0x0028, 0x1051, "DS", "401");
        return w.Element(0x7FE0, 0x0010, "OW", w.Words(SyntheticFilms.SignedStored.Select(v => v & 0x0FFF)));
    }

    [Theory]
    [InlineData(TestSyntax.ImplicitLittle)]
    [InlineData(TestSyntax.ExplicitLittle)]
    [InlineData(TestSyntax.ExplicitBig)]
    [InlineData(TestSyntax.DeflatedExplicitLittle)]
    public void Identifiers_and_private_tags_go_the_film_stays(TestSyntax syntax)
    {
        var original = Identified(syntax).ToFile();
        var copy = DicomDeidentifier.Deidentify(original, DecodeLimits.Default);

        var text = DatasetText(copy, syntax);
        Assert.All(Secrets, s => Assert.DoesNotContain(s, text, StringComparison.Ordinal));
        Assert.Contains("PRIVATE CREATOR", DatasetText(original, syntax), StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE CREATOR", text, StringComparison.Ordinal);
        Assert.Contains(DicomDeidentifier.Method, text, StringComparison.Ordinal);
        Assert.Contains("YES", text, StringComparison.Ordinal);
        Assert.Equal(original[..132], copy[..132]); // preamble and magic kept

        var before = DicomFiles.WithoutGdcm.Read(original, DecodeLimits.Default);
        var after = DicomFiles.WithoutGdcm.Read(copy, DecodeLimits.Default);
        Assert.Equal(before.Image.Pixels, after.Image.Pixels);
        Assert.Equal((before.Image.Width, before.Image.Height), (after.Image.Width, after.Image.Height));
        Assert.Equal("CR", after.Metadata.Dicom!.Modality);
        Assert.Equal("CHEST", after.Metadata.Dicom.BodyPartExamined);
    }

    [Fact]
    public void A_real_chest_film_decodes_the_same_after_de_identification()
    {
        var original = DicomFiles.Load("chest", "CR-MONO1-10-chest");
        var copy = DicomDeidentifier.Deidentify(original, DecodeLimits.Default);
        Assert.Equal(DicomFiles.WithoutGdcm.Read(original, DecodeLimits.Default).Image.Pixels,
            DicomFiles.WithoutGdcm.Read(copy, DecodeLimits.Default).Image.Pixels);
        Assert.Contains("YES", Encoding.Latin1.GetString(copy), StringComparison.Ordinal);
    }

    /// <summary>Attributes of PS3.15 Annex E table E.1-1 (Basic Profile: X, Z, D or combinations) outside the patient
    /// group that our reader sees at the top level, transcribed here independently of the implementation's list; UIDs
    /// and dates are kept by design and are not listed. Sequences are written with an item holding a secret.</summary>
    private static readonly (ushort Group, ushort Element, string Vr)[] AnnexE =
    [
        (0x0008, 0x0050, "SH"), (0x0008, 0x0080, "LO"), (0x0008, 0x0081, "ST"), (0x0008, 0x0082, "SQ"), (0x0008, 0x0090, "PN"),
        (0x0008, 0x0092, "ST"), (0x0008, 0x0094, "SH"), (0x0008, 0x0096, "SQ"), (0x0008, 0x009C, "PN"), (0x0008, 0x009D, "SQ"),
        (0x0008, 0x1010, "SH"), (0x0008, 0x1030, "LO"), (0x0008, 0x103E, "LO"), (0x0008, 0x1040, "LO"), (0x0008, 0x1048, "PN"),
        (0x0008, 0x1049, "SQ"), (0x0008, 0x1050, "PN"), (0x0008, 0x1052, "SQ"), (0x0008, 0x1060, "PN"), (0x0008, 0x1062, "SQ"),
        (0x0008, 0x1070, "PN"), (0x0008, 0x1072, "SQ"), (0x0008, 0x1080, "LO"), (0x0008, 0x1084, "SQ"), (0x0008, 0x1111, "SQ"),
        (0x0008, 0x1120, "SQ"), (0x0008, 0x2111, "ST"), (0x0008, 0x4000, "LT"),
        (0x0018, 0x1000, "LO"), (0x0018, 0x1004, "LO"), (0x0018, 0x1005, "LO"), (0x0018, 0x1007, "LO"), (0x0018, 0x1008, "LO"),
        (0x0018, 0x1030, "LO"), (0x0018, 0x1400, "LO"), (0x0018, 0x4000, "LT"), (0x0018, 0x700A, "SH"), (0x0018, 0x9424, "LT"),
        (0x0018, 0xA003, "ST"),
        (0x0020, 0x0010, "SH"), (0x0020, 0x4000, "LT"), (0x0020, 0x9158, "LT"),
        (0x0032, 0x0012, "LO"), (0x0032, 0x1020, "LO"), (0x0032, 0x1021, "AE"), (0x0032, 0x1032, "PN"), (0x0032, 0x1033, "LO"),
        (0x0032, 0x1060, "LO"), (0x0032, 0x1070, "LO"), (0x0032, 0x4000, "LT"),
        (0x0038, 0x0004, "SQ"), (0x0038, 0x0010, "LO"), (0x0038, 0x0011, "LO"), (0x0038, 0x0014, "SQ"), (0x0038, 0x001E, "LO"),
        (0x0038, 0x0040, "LO"), (0x0038, 0x0050, "LO"), (0x0038, 0x0060, "LO"), (0x0038, 0x0061, "LO"), (0x0038, 0x0062, "LO"),
        (0x0038, 0x0300, "LO"), (0x0038, 0x0400, "LO"), (0x0038, 0x0500, "LO"), (0x0038, 0x4000, "LT"),
        (0x0040, 0x0001, "AE"), (0x0040, 0x0006, "PN"), (0x0040, 0x0007, "LO"), (0x0040, 0x000B, "SQ"), (0x0040, 0x0010, "SH"),
        (0x0040, 0x0011, "SH"), (0x0040, 0x0012, "LO"), (0x0040, 0x0241, "AE"), (0x0040, 0x0242, "SH"), (0x0040, 0x0243, "SH"),
        (0x0040, 0x0253, "SH"), (0x0040, 0x0254, "LO"), (0x0040, 0x0275, "SQ"), (0x0040, 0x0280, "ST"), (0x0040, 0x0555, "SQ"),
        (0x0040, 0x1001, "SH"), (0x0040, 0x1004, "LO"), (0x0040, 0x1005, "LO"), (0x0040, 0x1010, "PN"), (0x0040, 0x1011, "SQ"),
        (0x0040, 0x1102, "ST"), (0x0040, 0x1103, "LO"), (0x0040, 0x1400, "LT"), (0x0040, 0x2001, "LO"), (0x0040, 0x2008, "PN"),
        (0x0040, 0x2009, "SH"), (0x0040, 0x2010, "SH"), (0x0040, 0x2016, "LO"), (0x0040, 0x2017, "LO"), (0x0040, 0x2400, "LT"),
        (0x0040, 0x3001, "LO"), (0x0040, 0xA073, "SQ"), (0x0040, 0xA075, "PN"), (0x0040, 0xA123, "PN"), (0x0040, 0xA730, "SQ"),
        (0x0070, 0x0084, "PN"), (0x0070, 0x0086, "SQ"), (0x0088, 0x0200, "SQ"),
        (0x0400, 0x0402, "SQ"), (0x0400, 0x0403, "SQ"), (0x0400, 0x0404, "OB"), (0x0400, 0x0561, "SQ"),
        (0x2030, 0x0020, "LO"), (0x4000, 0x0010, "LT"), (0x4000, 0x4000, "LT"),
        (0x4008, 0x0042, "LO"), (0x4008, 0x0102, "PN"), (0x4008, 0x010A, "PN"), (0x4008, 0x010B, "ST"), (0x4008, 0x010C, "PN"),
        (0x4008, 0x0111, "SQ"), (0x4008, 0x0114, "PN"), (0x4008, 0x0115, "LT"), (0x4008, 0x0118, "SQ"), (0x4008, 0x0119, "PN"),
        (0x4008, 0x011A, "LO"), (0x4008, 0x0202, "LO"), (0x4008, 0x0300, "ST"), (0x4008, 0x4000, "ST"),
    ];

    private static string SecretOf(ushort group, ushort element) => $"SECRET{group:X4}{element:X4}";

    [Theory]
    [InlineData(TestSyntax.ImplicitLittle)]
    [InlineData(TestSyntax.ExplicitLittle)]
    [InlineData(TestSyntax.ExplicitBig)]
    [InlineData(TestSyntax.DeflatedExplicitLittle)]
    public void Every_listed_basic_profile_attribute_and_the_overlay_and_curve_groups_are_gone(TestSyntax syntax)
    {
        var w = new DicomTestWriter(syntax).String(0x0008, 0x0060, "CS", "CR");
        void Write(ushort group, ushort element, string vr)
        {
            var secret = SecretOf(group, element);
            if (vr == "SQ")
                w.UndefinedSequence(group, element, item => item.String(0x0008, 0x0100, "SH", secret));
            else
                w.String(group, element, vr, secret);
        }
        foreach (var (group, element, vr) in AnnexE.Where(a => a.Group < 0x0028))
            Write(group, element, vr);
        w.String(0x0018, 0x0015, "CS", "CHEST")
            .PixelModule(rows: 3, columns: 4, bitsAllocated: 16, bitsStored: 12, signed: true);
        foreach (var (group, element, vr) in AnnexE.Where(a => a.Group > 0x0028))
            Write(group, element, vr);
        // A curve and an overlay plane (its data holding a secret) in the groups the profile removes.
        w.String(0x5000, 0x0022, "LO", "SECRET-CURVE").US(0x6000, 0x0010, 3).US(0x6000, 0x0011, 4)
            .String(0x6000, 0x3000, "OW", "SECRET-OVERLAY").String(0x6000, 0x4000, "LT", "SECRET-OVERLAY-COMMENT");
        var original = w.Element(0x7FE0, 0x0010, "OW", w.Words(SyntheticFilms.SignedStored.Select(v => v & 0x0FFF))).ToFile();

        var copy = DicomDeidentifier.Deidentify(original, DecodeLimits.Default);
        var before = DatasetText(original, syntax);
        var after = DatasetText(copy, syntax);
        foreach (var (group, element, _) in AnnexE)
        {
            Assert.Contains(SecretOf(group, element), before, StringComparison.Ordinal);
            Assert.False(after.Contains(SecretOf(group, element), StringComparison.Ordinal), $"({group:X4},{element:X4}) left in the copy");
        }
        Assert.DoesNotContain("SECRET", after, StringComparison.Ordinal);
        var film = DicomFiles.WithoutGdcm.Read(copy, DecodeLimits.Default);
        Assert.Equal(DicomFiles.WithoutGdcm.Read(original, DecodeLimits.Default).Image.Pixels, film.Image.Pixels);
        Assert.Equal(("CR", "CHEST"), (film.Metadata.Dicom!.Modality, film.Metadata.Dicom.BodyPartExamined));
    }

    [Fact]
    public void The_method_is_three_lo_values_each_within_64_characters() =>
        Assert.All(DicomDeidentifier.Method.Split('\\'), v => Assert.InRange(v.Length, 1, 64));

    /// <summary>The main dataset as Latin-1 text (inflated for the deflated syntax): the file meta ends at 144 + its
    /// group length (preamble 128, "DICM", the 12-byte group length element).</summary>
    private static string DatasetText(byte[] file, TestSyntax syntax)
    {
        if (syntax != TestSyntax.DeflatedExplicitLittle)
            return Encoding.Latin1.GetString(file);
        var start = 144 + (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(140));
        using var inflater = new DeflateStream(new MemoryStream(file, start, file.Length - start), CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflater.CopyTo(output);
        return Encoding.Latin1.GetString(output.ToArray());
    }
}
