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
