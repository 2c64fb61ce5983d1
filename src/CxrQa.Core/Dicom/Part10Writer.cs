using System.Buffers.Binary;

namespace CxrQa.Core.Dicom;

/// <summary>How sequences and their items state their length.</summary>
internal enum SequenceLengthForm
{
    /// <summary>Every sequence and item carries its byte length.</summary>
    Defined,

    /// <summary>Undefined length (0xFFFFFFFF), closed by Item and Sequence Delimitation Items.</summary>
    Undefined,
}

/// <summary>
/// Writes a <see cref="WritableDataset"/> as a DICOM Part-10 file in Explicit VR Little Endian
/// (1.2.840.10008.1.2.1): the 128-byte preamble, "DICM", the group-0002 File Meta Information with its group length,
/// then the data set in tag order. Values are padded to even length (UI and binary with NUL, other strings with a
/// space); OB, OD, OF, OL, OV, OW, SQ, UC, UN, UR, UT, SV and UV use the 4-byte length form (PS3.5 7.1.2).
/// </summary>
internal static class Part10Writer
{
    public const string ImplementationVersionName = "CXRQA_1";

    /// <summary>Our Implementation Class UID (PS3.7 D.3.3.2), fixed for this writer.</summary>
    public static string ImplementationClassUid { get; } = NameBasedUid.From("implementation-class/part10-writer");

    private const int PreambleLength = 128;
    private const uint UndefinedLength = 0xFFFFFFFF;

    /// <summary>The file. SOP Class UID (0008,0016) and SOP Instance UID (0008,0018) must be set: the file meta
    /// repeats them.</summary>
    public static byte[] Write(WritableDataset dataset, SequenceLengthForm sequences = SequenceLengthForm.Defined)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var sopClass = dataset.Find(DicomTag.SopClassUid)?.Value;
        var sopInstance = dataset.Find(DicomTag.SopInstanceUid)?.Value;
        if (sopClass is not { Length: > 0 } || sopInstance is not { Length: > 0 })
            throw new InvalidOperationException("a Part-10 file needs SOP Class UID and SOP Instance UID in its data set");

        using var meta = new MemoryStream();
        WriteElement(meta, new WritableElement(DicomTag.FileMetaInformationVersion, "OB", [0x00, 0x01], []), sequences);
        WriteElement(meta, new WritableElement(DicomTag.MediaStorageSopClassUid, "UI", sopClass, []), sequences);
        WriteElement(meta, new WritableElement(DicomTag.MediaStorageSopInstanceUid, "UI", sopInstance, []), sequences);
        WriteElement(meta, Ascii(DicomTag.TransferSyntaxUid, "UI", TransferSyntax.ExplicitVrLittleEndian.Uid), sequences);
        WriteElement(meta, Ascii(DicomTag.ImplementationClassUid, "UI", ImplementationClassUid), sequences);
        WriteElement(meta, Ascii(DicomTag.ImplementationVersionName, "SH", ImplementationVersionName), sequences);

        using var output = new MemoryStream();
        output.Write(new byte[PreambleLength]);
        output.Write("DICM"u8);
        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)meta.Length);
        WriteElement(output, new WritableElement(DicomTag.FileMetaInformationGroupLength, "UL", groupLength, []), sequences);
        meta.WriteTo(output);
        WriteDataset(output, dataset, sequences);
        return output.ToArray();
    }

    /// <summary>The data set alone (no preamble or file meta), as it follows the file meta.</summary>
    public static byte[] WriteDataset(WritableDataset dataset, SequenceLengthForm sequences)
    {
        using var output = new MemoryStream();
        WriteDataset(output, dataset, sequences);
        return output.ToArray();
    }

    private static WritableElement Ascii(DicomTag tag, string vr, string value) =>
        new(tag, vr, System.Text.Encoding.ASCII.GetBytes(value), []);

    private static void WriteDataset(Stream s, WritableDataset dataset, SequenceLengthForm sequences)
    {
        foreach (var element in dataset.Elements)
            WriteElement(s, element, sequences);
    }

    private static void WriteElement(Stream s, WritableElement e, SequenceLengthForm sequences)
    {
        if (e.Vr == "SQ")
        {
            WriteSequence(s, e, sequences);
            return;
        }

        var padded = e.Value.Length + (e.Value.Length & 1);
        WriteHeader(s, e.Tag, e.Vr, (uint)padded);
        s.Write(e.Value);
        if (padded != e.Value.Length)
            s.WriteByte(ValueRepresentation.PaddingByte(e.Vr));
    }

    private static void WriteSequence(Stream s, WritableElement e, SequenceLengthForm sequences)
    {
        if (sequences == SequenceLengthForm.Undefined)
        {
            WriteHeader(s, e.Tag, "SQ", UndefinedLength);
            foreach (var item in e.Items)
            {
                WriteItemTag(s, DicomTag.Item, UndefinedLength);
                WriteDataset(s, item, sequences);
                WriteItemTag(s, DicomTag.ItemDelimitation, 0);
            }
            WriteItemTag(s, DicomTag.SequenceDelimitation, 0);
            return;
        }

        var items = e.Items.Select(i => WriteDataset(i, sequences)).ToList();
        var length = items.Sum(i => 8L + i.Length);
        if (length >= UndefinedLength)
            throw new InvalidOperationException($"sequence {e.Tag} is too long for a defined length");
        WriteHeader(s, e.Tag, "SQ", (uint)length);
        foreach (var item in items)
        {
            WriteItemTag(s, DicomTag.Item, (uint)item.Length);
            s.Write(item);
        }
    }

    private static void WriteHeader(Stream s, DicomTag tag, string vr, uint length)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], tag.Element);
        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        if (ValueRepresentation.HasLongLength(vr))
        {
            header[6] = header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], length);
            s.Write(header);
            return;
        }
        if (length > ushort.MaxValue)
            throw new InvalidOperationException($"element {tag} ({vr}) is {length} bytes, more than its 16-bit length holds");
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
        s.Write(header[..8]);
    }

    private static void WriteItemTag(Stream s, DicomTag tag, uint length)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
        s.Write(header);
    }
}
