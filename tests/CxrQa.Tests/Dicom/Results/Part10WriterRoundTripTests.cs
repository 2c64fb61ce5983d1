using System.Buffers.Binary;
using System.Text;
using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Dicom.Results;

/// <summary>The Part-10 writer against our reader: random data sets written in both sequence-length forms read back
/// element for element (tag, VR, padded value, items), with a correct file meta header.</summary>
public sealed class Part10WriterRoundTripTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RandomDatasetsReadBackUnchanged(bool undefinedLengths)
    {
        var form = undefinedLengths ? SequenceLengthForm.Undefined : SequenceLengthForm.Defined;
        for (var seed = 0; seed < 400; seed++)
        {
            var r = new Random(seed);
            var dataset = RandomDatasets.Create(r)
                .Text(DicomTag.SopClassUid, "UI", "1.2.840.10008.5.1.4.1.1.7")
                .Text(DicomTag.SopInstanceUid, "UI", $"1.2.3.{seed}");
            var file = Part10Writer.Write(dataset, form);

            var parsed = Part10File.Parse(file, DecodeLimits.Default);
            Assert.Equal(TransferSyntax.ExplicitVrLittleEndian.Uid, parsed.TransferSyntax.Uid);
            AssertSame(dataset, parsed.Dataset, $"seed {seed}");
        }
    }

    [Fact]
    public void FileMetaHasPreambleMagicGroupLengthAndIdentity()
    {
        var dataset = new WritableDataset()
            .Text(DicomTag.SopClassUid, "UI", "1.2.840.10008.5.1.4.1.1.88.33")
            .Text(DicomTag.SopInstanceUid, "UI", "1.2.3.4.5")
            .Text(DicomTag.Modality, "CS", "SR");
        var file = Part10Writer.Write(dataset);

        Assert.All(file[..128], b => Assert.Equal(0, b));
        Assert.Equal("DICM"u8.ToArray(), file[128..132]);
        Assert.Equal("UL"u8.ToArray(), file[136..138]);
        var groupLength = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(140));
        var metaEnd = 144 + (int)groupLength;
        // The data set starts right after the group: its first element is group 0008, the last meta one group 0002.
        Assert.Equal(0x0008, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(metaEnd)));

        var meta = Encoding.ASCII.GetString(file, 144, (int)groupLength);
        Assert.Contains("1.2.840.10008.5.1.4.1.1.88.33", meta);   // Media Storage SOP Class UID
        Assert.Contains("1.2.3.4.5\0", meta);                     // Media Storage SOP Instance UID, NUL-padded
        Assert.Contains("1.2.840.10008.1.2.1\0", meta);           // Transfer Syntax UID
        Assert.Contains(Part10Writer.ImplementationClassUid, meta);
        Assert.Contains(Part10Writer.ImplementationVersionName, meta);
        Assert.Equal(metaEnd, Part10File.Parse(file, DecodeLimits.Default).DatasetStart);
    }

    [Theory]
    [InlineData("UI", "1.2.3", 0x00)]
    [InlineData("LO", "odd", 0x20)]
    [InlineData("PN", "A^B", 0x20)]
    [InlineData("CS", "ABC", 0x20)]
    [InlineData("OB", "abc", 0x00)]
    [InlineData("UN", "abc", 0x00)]
    public void OddValuesArePaddedPerVr(string vr, string value, int padding)
    {
        var tag = new DicomTag(0x0009, 0x0010);
        var bytes = Part10Writer.WriteDataset(new WritableDataset().Bytes(tag, vr, Encoding.ASCII.GetBytes(value)), SequenceLengthForm.Defined);
        var header = ValueRepresentation.HasLongLength(vr) ? 12 : 8;
        Assert.Equal(header + value.Length + 1, bytes.Length);
        var length = header == 12 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)) : BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6));
        Assert.Equal((uint)value.Length + 1, length);
        Assert.Equal(padding, bytes[^1]);
    }

    [Theory]
    [InlineData("OB")]
    [InlineData("OW")]
    [InlineData("UN")]
    [InlineData("UT")]
    [InlineData("UC")]
    [InlineData("UR")]
    public void LongVrsUseTheReservedFourByteLengthForm(string vr)
    {
        var tag = new DicomTag(0x0009, 0x1000);
        var bytes = Part10Writer.WriteDataset(new WritableDataset().Bytes(tag, vr, [0x41, 0x42, 0x43, 0x44]), SequenceLengthForm.Defined);
        Assert.Equal(12 + 4, bytes.Length);
        Assert.Equal(vr, Encoding.ASCII.GetString(bytes, 4, 2));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
    }

    [Fact]
    public void UndefinedLengthSequencesCloseWithDelimiters()
    {
        var ds = new WritableDataset().Sequence(DicomTag.ContentSequence,
            new WritableDataset().Text(DicomTag.ValueType, "CS", "TEXT"), new WritableDataset());
        var bytes = Part10Writer.WriteDataset(ds, SequenceLengthForm.Undefined);

        Assert.Equal(0xFFFFFFFF, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal([0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0], bytes[^8..]);   // Sequence Delimitation Item
        Assert.Equal([0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0], bytes[^16..^8]); // Item Delimitation Item of the last item
    }

    [Fact]
    public void ElementsAreWrittenInTagOrderWhateverTheOrderSet()
    {
        var ds = new WritableDataset()
            .Text(new DicomTag(0x0020, 0x000D), "UI", "1.2")
            .Text(new DicomTag(0x0008, 0x0060), "CS", "OT")
            .Text(new DicomTag(0x0010, 0x0010), "PN", "A");
        var parsed = Part10File.Parse(Part10Writer.Write(ds.Text(DicomTag.SopClassUid, "UI", "1.2").Text(DicomTag.SopInstanceUid, "UI", "1.3")), DecodeLimits.Default);
        var tags = parsed.Dataset.InFileOrder.Select(e => e.Tag.Packed).ToList();
        Assert.Equal(tags.Order().ToList(), tags);
    }

    [Fact]
    public void InvalidValuesAndMisplacedTagsAreRefused()
    {
        var ds = new WritableDataset();
        Assert.Throws<ArgumentException>(() => ds.Text(DicomTag.StudyDate, "DA", "2026-12-02"));
        Assert.Throws<ArgumentException>(() => ds.Text(DicomTag.Modality, "CS", "a\\b"));
        Assert.Throws<ArgumentException>(() => ds.Text(DicomTag.CodeValue, "SH", "SEVENTEEN_CHARS_X"));
        Assert.Throws<ArgumentException>(() => ds.Text(DicomTag.Modality, "CS", "Ü"));
        Assert.Throws<ArgumentException>(() => ds.Bytes(DicomTag.TransferSyntaxUid, "UI", [0x31]));
        Assert.Throws<InvalidOperationException>(() => Part10Writer.Write(new WritableDataset()));
    }

    private static void AssertSame(WritableDataset expected, DicomDataset actual, string where)
    {
        var written = expected.Elements.ToList();
        var read = actual.InFileOrder.ToList();
        Assert.True(written.Count == read.Count, $"{where}: {written.Count} elements written, {read.Count} read");
        for (var i = 0; i < written.Count; i++)
        {
            var (w, a) = (written[i], read[i]);
            Assert.True(w.Tag == a.Tag && w.Vr == a.Vr, $"{where}: wrote {w.Tag} {w.Vr}, read {a.Tag} {a.Vr}");
            if (w.Vr == "SQ")
            {
                Assert.True(w.Items.Count == a.Items.Count, $"{where}: {w.Tag} has {w.Items.Count} items written, {a.Items.Count} read");
                for (var j = 0; j < w.Items.Count; j++)
                    AssertSame(w.Items[j], a.Items[j], $"{where} {w.Tag}[{j}]");
                continue;
            }
            var padded = w.Value.Length % 2 == 0 ? w.Value : [.. w.Value, ValueRepresentation.PaddingByte(w.Vr)];
            Assert.True(padded.AsSpan().SequenceEqual(actual.Value(a).Span), $"{where}: value of {w.Tag} {w.Vr} differs");
        }
    }
}
