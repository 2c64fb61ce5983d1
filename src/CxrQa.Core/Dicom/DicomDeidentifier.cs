using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CxrQa.Core.Imaging;

namespace CxrQa.Core.Dicom;

/// <summary>
/// A copy of a DICOM film without the patient's identity, for readers whose role does not allow identified data: a
/// subset of the PS3.15 Annex E Basic Application Level Confidentiality Profile. Every attribute of the Patient group
/// (0010,xxxx: name, id, birth date, other ids and names, address, ...) and the listed identifiers of staff, place
/// and request of table E.1-1 are kept but emptied (zero length, so type 2 attributes stay present); private
/// attributes (odd groups), curves and overlays are removed; Patient Identity Removed (0012,0062) = YES and
/// De-identification Method (0012,0063) are added. Not done (so this is not the full profile): UIDs and dates are
/// kept, nested sequences other than the emptied ones are copied as they are (a listed attribute inside one is not
/// looked for), and burned-in annotation in the pixels is not looked for. The pixel data and everything
/// the decoder reads are copied byte for byte, so the copy decodes to the same film.
/// </summary>
public static class DicomDeidentifier
{
    /// <summary>De-identification Method (0012,0063), an LO of three values (each at most 64 characters).</summary>
    public const string Method = @"CxrQa PS3.15 basic profile subset\patient group and E.1-1 identifiers emptied\private, curve and overlay groups removed";

    private static readonly DicomTag PatientIdentityRemoved = new(0x0012, 0x0062);
    private static readonly DicomTag DeidentificationMethod = new(0x0012, 0x0063);

    /// <summary>Attributes outside the patient group that the PS3.15 Annex E Basic Application Level Confidentiality
    /// Profile (table E.1-1) removes, empties or replaces (X, Z, D and their combinations), except UIDs (U) and dates and
    /// times, which are kept (see the class summary). Emptied here: zero length, so a type 2 attribute stays present
    /// and a sequence loses its items. docs/operations.md lists what is and is not covered.</summary>
    private static readonly HashSet<uint> Emptied =
    [
        .. Tags(0x0008,
            0x0050, // Accession Number
            0x0080, 0x0081, 0x0082, // Institution Name, Address, Code Sequence
            0x0090, 0x0092, 0x0094, 0x0096, // Referring Physician's Name, Address, Telephone Numbers, Identification Sequence
            0x009C, 0x009D, // Consulting Physician's Name, Identification Sequence
            0x1010, // Station Name
            0x1030, 0x103E, // Study Description, Series Description
            0x1040, // Institutional Department Name
            0x1048, 0x1049, // Physician(s) of Record, Identification Sequence
            0x1050, 0x1052, // Performing Physician's Name, Identification Sequence
            0x1060, 0x1062, // Name of Physician(s) Reading Study, Identification Sequence
            0x1070, 0x1072, // Operators' Name, Operator Identification Sequence
            0x1080, 0x1084, // Admitting Diagnoses Description, Code Sequence
            0x1111, // Referenced Performed Procedure Step Sequence
            0x1120, // Referenced Patient Sequence
            0x2111, // Derivation Description
            0x4000), // Identifying Comments
        .. Tags(0x0018,
            0x1000, 0x1004, 0x1005, 0x1007, 0x1008, // Device Serial Number, Plate ID, Generator ID, Cassette ID, Gantry ID
            0x1030, // Protocol Name
            0x1400, // Acquisition Device Processing Description
            0x4000, // Acquisition Comments
            0x700A, // Detector ID
            0x9424, // Acquisition Protocol Description
            0xA003), // Contribution Description
        .. Tags(0x0020,
            0x0010, // Study ID
            0x4000, // Image Comments
            0x9158), // Frame Comments
        .. Tags(0x0032,
            0x0012, // Study ID Issuer
            0x1020, 0x1021, // Scheduled Study Location, Location AE Title
            0x1032, 0x1033, // Requesting Physician, Requesting Service
            0x1060, 0x1070, // Requested Procedure Description, Requested Contrast Agent
            0x4000), // Study Comments
        .. Tags(0x0038,
            0x0004, // Referenced Patient Alias Sequence
            0x0010, 0x0011, 0x0014, // Admission ID, Issuer of Admission ID, Issuer of Admission ID Sequence
            0x001E, // Scheduled Patient Institution Residence
            0x0040, // Discharge Diagnosis Description
            0x0050, // Special Needs
            0x0060, 0x0061, 0x0062, // Service Episode ID, Issuer, Description
            0x0300, // Current Patient Location
            0x0400, // Patient's Institution Residence
            0x0500, // Patient State
            0x4000), // Visit Comments
        .. Tags(0x0040,
            0x0001, // Scheduled Station AE Title
            0x0006, 0x000B, // Scheduled Performing Physician's Name, Identification Sequence
            0x0007, // Scheduled Procedure Step Description
            0x0010, 0x0011, // Scheduled Station Name, Scheduled Procedure Step Location
            0x0012, // Pre-Medication
            0x0241, 0x0242, 0x0243, // Performed Station AE Title, Station Name, Location
            0x0253, 0x0254, // Performed Procedure Step ID, Description
            0x0275, // Request Attributes Sequence (accession, requested procedure ids)
            0x0280, // Comments on the Performed Procedure Step
            0x0555, // Acquisition Context Sequence
            0x1001, // Requested Procedure ID
            0x1004, 0x1005, // Patient Transport Arrangements, Requested Procedure Location
            0x1010, 0x1011, // Names of Intended Recipients of Results, Identification Sequence
            0x1102, 0x1103, // Person's Address, Person's Telephone Numbers
            0x1400, // Requested Procedure Comments
            0x2001, // Reason for the Imaging Service Request
            0x2008, 0x2009, 0x2010, // Order Entered By, Order Enterer's Location, Order Callback Phone Number
            0x2016, 0x2017, // Placer Order Number, Filler Order Number (Imaging Service Request)
            0x2400, // Imaging Service Request Comments
            0x3001, // Confidentiality Constraint on Patient Data Description
            0xA073, 0xA075, // Verifying Observer Sequence, Verifying Observer Name
            0xA123, 0xA124, // Person Name, UID (observer context)
            0xA730), // Content Sequence
        .. Tags(0x0070,
            0x0084, 0x0086), // Content Creator's Name, Identification Code Sequence
        .. Tags(0x0088,
            0x0200), // Icon Image Sequence (a thumbnail may carry burned-in text)
        .. Tags(0x0400,
            0x0402, 0x0403, 0x0404, // Referenced Digital Signature Sequence, Referenced SOP Instance MAC Sequence, MAC
            0x0561), // Original Attributes Sequence (the values before a change: identifiers included)
        .. Tags(0x2030,
            0x0020), // Text String (annotation)
        .. Tags(0x4000,
            0x0010, 0x4000), // Arbitrary, Text Comments
        .. Tags(0x4008,
            0x0042, // Results ID Issuer
            0x0102, 0x010A, 0x010B, 0x010C, // Interpretation Recorder, Transcriber, Text, Author
            0x0111, 0x0114, 0x0115, // Interpretation Approver Sequence, Physician Approving Interpretation, Diagnosis Description
            0x0118, 0x0119, 0x011A, // Results Distribution List Sequence, Distribution Name, Distribution Address
            0x0202, // Interpretation ID Issuer
            0x0300, // Impressions
            0x4000), // Results Comments
        .. Tags(0xFFFA,
            0xFFFA), // Digital Signatures Sequence
    ];

    private static IEnumerable<uint> Tags(ushort group, params ushort[] elements) =>
        elements.Select(e => new DicomTag(group, e).Packed);

    /// <summary>Whether the copy leaves the whole element out: private attributes (odd groups), and the curve
    /// (50xx) and overlay (60xx) groups, which the profile removes (overlay planes may hold burned-in annotation, and a
    /// plane without its data is worse than none).</summary>
    internal static bool IsRemoved(DicomTag tag) =>
        tag.Group % 2 == 1 || tag.Group is >= 0x5000 and <= 0x50FF or >= 0x6000 and <= 0x60FF;

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
            if (IsRemoved(element.Tag) || element.Tag == PatientIdentityRemoved || element.Tag == DeidentificationMethod)
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
