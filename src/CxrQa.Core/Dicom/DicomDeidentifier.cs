using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CxrQa.Core.Imaging;

namespace CxrQa.Core.Dicom;

/// <summary>
/// A copy of a DICOM film without the patient's identity, for readers whose role does not allow identified data: a
/// subset of the PS3.15 Annex E Basic Application Level Confidentiality Profile. Every attribute of the Patient group
/// (0010,xxxx: name, id, birth date, other ids and names, address, ...) and the listed identifiers of staff, place
/// and request are kept but emptied (zero length, so type 2 attributes stay present); private attributes (odd groups)
/// are removed; Patient Identity Removed (0012,0062) = YES and De-identification Method (0012,0063) are added.
/// Not done (so this is not the full profile): UIDs and dates are kept, nested sequences other than the emptied ones
/// are copied as they are, and burned-in annotation in the pixels is not looked for. The pixel data and everything
/// the decoder reads are copied byte for byte, so the copy decodes to the same film.
/// </summary>
public static class DicomDeidentifier
{
    public const string Method = "CxrQa PS3.15 basic profile subset: patient group emptied, staff/site/request ids emptied, private tags removed";

    private static readonly DicomTag PatientIdentityRemoved = new(0x0012, 0x0062);
    private static readonly DicomTag DeidentificationMethod = new(0x0012, 0x0063);

    /// <summary>Identifiers outside the patient group that PS3.15 removes or empties (X/Z/D), emptied here.</summary>
    private static readonly HashSet<uint> Emptied =
    [
        new DicomTag(0x0008, 0x0050).Packed, // Accession Number
        new DicomTag(0x0008, 0x0080).Packed, // Institution Name
        new DicomTag(0x0008, 0x0081).Packed, // Institution Address
        new DicomTag(0x0008, 0x0090).Packed, // Referring Physician's Name
        new DicomTag(0x0008, 0x0092).Packed, // Referring Physician's Address
        new DicomTag(0x0008, 0x0094).Packed, // Referring Physician's Telephone Numbers
        new DicomTag(0x0008, 0x1010).Packed, // Station Name
        new DicomTag(0x0008, 0x1040).Packed, // Institutional Department Name
        new DicomTag(0x0008, 0x1048).Packed, // Physician(s) of Record
        new DicomTag(0x0008, 0x1050).Packed, // Performing Physician's Name
        new DicomTag(0x0008, 0x1060).Packed, // Name of Physician(s) Reading Study
        new DicomTag(0x0008, 0x1070).Packed, // Operators' Name
        new DicomTag(0x0008, 0x1080).Packed, // Admitting Diagnoses Description
        new DicomTag(0x0018, 0x1000).Packed, // Device Serial Number
        new DicomTag(0x0020, 0x0010).Packed, // Study ID
        new DicomTag(0x0020, 0x4000).Packed, // Image Comments
        new DicomTag(0x0032, 0x1032).Packed, // Requesting Physician
        new DicomTag(0x0032, 0x4000).Packed, // Study Comments
        new DicomTag(0x0038, 0x0010).Packed, // Admission ID
        new DicomTag(0x0038, 0x0300).Packed, // Current Patient Location
        new DicomTag(0x0038, 0x0400).Packed, // Patient's Institution Residence
        new DicomTag(0x0040, 0x0275).Packed, // Request Attributes Sequence (accession, requested procedure ids)
        new DicomTag(0x0040, 0xA124).Packed, // UID
        new DicomTag(0x4008, 0x0114).Packed, // Physician Approving Interpretation
    ];

    /// <summary>Whether the de-identified copy empties this attribute.</summary>
    internal static bool IsEmptied(DicomTag tag) => tag.Group == 0x0010 || Emptied.Contains(tag.Packed);

    /// <summary>The de-identified file. Parsed under <paramref name="limits"/> (a deflated dataset is inflated within
    /// them and deflated again); the preamble and file meta are kept as they are (they carry no patient data).</summary>
    public static byte[] Deidentify(ReadOnlyMemory<byte> file, DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var parsed = Part10File.Parse(file, limits);
        var encoding = parsed.Encoding;
        var buffer = parsed.Dataset.Buffer.Span;

        using var dataset = new MemoryStream();
        var marked = false;
        foreach (var element in parsed.Dataset.InFileOrder)
        {
            if (!marked && element.Tag.Packed > DeidentificationMethod.Packed)
            {
                WriteMarks(dataset, encoding);
                marked = true;
            }
            if (element.Tag.Group % 2 == 1 || element.Tag == PatientIdentityRemoved || element.Tag == DeidentificationMethod)
                continue;
            if (IsEmptied(element.Tag))
                WriteHeader(dataset, element.Tag, element.Vr, 0, encoding);
            else
                dataset.Write(buffer[element.HeaderOffset..element.End]);
        }
        if (!marked)
            WriteMarks(dataset, encoding);

        using var output = new MemoryStream();
        output.Write(file.Span[..parsed.DatasetStart]);
        if (parsed.TransferSyntax.Pixels == PixelEncoding.Deflated)
        {
            using var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true);
            dataset.WriteTo(deflate);
        }
        else
        {
            dataset.WriteTo(output);
        }
        return output.ToArray();
    }

    private static void WriteMarks(Stream s, DatasetEncoding encoding)
    {
        WriteString(s, PatientIdentityRemoved, "CS", "YES", encoding);
        WriteString(s, DeidentificationMethod, "LO", Method, encoding);
    }

    private static void WriteString(Stream s, DicomTag tag, string vr, string value, DatasetEncoding encoding)
    {
        var bytes = Encoding.ASCII.GetBytes(value.Length % 2 == 1 ? value + " " : value);
        WriteHeader(s, tag, vr, bytes.Length, encoding);
        s.Write(bytes);
    }

    private static void WriteHeader(Stream s, DicomTag tag, string vr, int length, DatasetEncoding encoding)
    {
        Span<byte> header = stackalloc byte[12];
        Write16(header, tag.Group, encoding.BigEndian);
        Write16(header[2..], tag.Element, encoding.BigEndian);
        if (!encoding.ExplicitVr || vr == ValueRepresentation.Implicit)
        {
            Write32(header[4..], (uint)length, encoding.BigEndian);
            s.Write(header[..8]);
            return;
        }
        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        if (ValueRepresentation.HasLongLength(vr))
        {
            header[6] = header[7] = 0;
            Write32(header[8..], (uint)length, encoding.BigEndian);
            s.Write(header);
            return;
        }
        Write16(header[6..], (ushort)length, encoding.BigEndian);
        s.Write(header[..8]);
    }

    private static void Write16(Span<byte> span, ushort value, bool bigEndian)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(span, value);
        else BinaryPrimitives.WriteUInt16LittleEndian(span, value);
    }

    private static void Write32(Span<byte> span, uint value, bool bigEndian)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(span, value);
        else BinaryPrimitives.WriteUInt32LittleEndian(span, value);
    }
}
