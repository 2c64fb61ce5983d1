using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CxrQa.Tests.Dicom;

/// <summary>Which wire encoding a synthetic test file uses.</summary>
public enum TestSyntax
{
    ImplicitLittle,
    ExplicitLittle,
    ExplicitBig,
    DeflatedExplicitLittle,
}

/// <summary>
/// A deliberately independent, minimal DICOM writer for tests: elements are appended in the order given, in the
/// chosen encoding, optionally behind the 128-byte preamble + "DICM" and a group-0002 file meta header.
/// </summary>
public sealed class DicomTestWriter
{
    private readonly MemoryStream _body = new();
    private readonly bool _explicit;
    private readonly bool _big;

    public DicomTestWriter(TestSyntax syntax)
    {
        Syntax = syntax;
        _explicit = syntax != TestSyntax.ImplicitLittle;
        _big = syntax == TestSyntax.ExplicitBig;
    }

    public TestSyntax Syntax { get; }

    public static string Uid(TestSyntax syntax) => syntax switch
    {
        TestSyntax.ImplicitLittle => "1.2.840.10008.1.2",
        TestSyntax.ExplicitLittle => "1.2.840.10008.1.2.1",
        TestSyntax.ExplicitBig => "1.2.840.10008.1.2.2",
        _ => "1.2.840.10008.1.2.1.99",
    };

    public DicomTestWriter Element(ushort group, ushort element, string vr, byte[] value)
    {
        WriteHeader(group, element, vr, (uint)value.Length);
        _body.Write(value);
        return this;
    }

    public DicomTestWriter String(ushort group, ushort element, string vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 1)
            bytes = [.. bytes, vr == "UI" ? (byte)0 : (byte)' '];
        return Element(group, element, vr, bytes);
    }

    public DicomTestWriter US(ushort group, ushort element, params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
            Word(bytes.AsSpan(2 * i), values[i]);
        return Element(group, element, "US", bytes);
    }

    /// <summary>16-bit words in this file's byte order (for OW pixel data and LUT data).</summary>
    public byte[] Words(IEnumerable<int> values)
    {
        var list = values.ToList();
        var bytes = new byte[list.Count * 2];
        for (var i = 0; i < list.Count; i++)
            Word(bytes.AsSpan(2 * i), (ushort)list[i]);
        return bytes;
    }

    /// <summary>An undefined-length sequence whose items are undefined-length datasets built by the callbacks.</summary>
    public DicomTestWriter UndefinedSequence(ushort group, ushort element, params Action<DicomTestWriter>[] items)
    {
        WriteHeader(group, element, "SQ", 0xFFFFFFFF);
        foreach (var item in items)
        {
            Tag(0xFFFE, 0xE000);
            UInt32(0xFFFFFFFF);
            item(this);
            Tag(0xFFFE, 0xE00D);
            UInt32(0);
        }

        Tag(0xFFFE, 0xE0DD);
        UInt32(0);
        return this;
    }

    /// <summary>A defined-length sequence with defined-length items.</summary>
    public DicomTestWriter DefinedSequence(ushort group, ushort element, params Action<DicomTestWriter>[] items)
    {
        var encoded = items.Select(build =>
        {
            var inner = new DicomTestWriter(Syntax);
            build(inner);
            return inner._body.ToArray();
        }).ToList();
        WriteHeader(group, element, "SQ", (uint)encoded.Sum(e => e.Length + 8));
        foreach (var e in encoded)
        {
            Tag(0xFFFE, 0xE000);
            UInt32((uint)e.Length);
            _body.Write(e);
        }

        return this;
    }

    /// <summary>Encapsulated pixel data: Basic Offset Table item, then one item per fragment, then the delimiter.</summary>
    public DicomTestWriter EncapsulatedPixelData(uint[] offsetTable, params byte[][] fragments)
    {
        WriteHeader(0x7FE0, 0x0010, "OB", 0xFFFFFFFF);
        Tag(0xFFFE, 0xE000);
        UInt32((uint)(offsetTable.Length * 4));
        foreach (var o in offsetTable)
            UInt32(o);
        foreach (var f in fragments)
        {
            Tag(0xFFFE, 0xE000);
            UInt32((uint)f.Length);
            _body.Write(f);
        }

        Tag(0xFFFE, 0xE0DD);
        UInt32(0);
        return this;
    }

    /// <summary>The Image Pixel module for a monochrome or colour image.</summary>
    public DicomTestWriter PixelModule(int rows, int columns, int bitsAllocated, int bitsStored, bool signed,
        string photometric = "MONOCHROME2", int samples = 1, int planar = 0, int frames = 1)
    {
        US(0x0028, 0x0002, (ushort)samples);
        String(0x0028, 0x0004, "CS", photometric);
        if (samples > 1)
            US(0x0028, 0x0006, (ushort)planar);
        if (frames > 1)
            String(0x0028, 0x0008, "IS", frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        US(0x0028, 0x0010, (ushort)rows);
        US(0x0028, 0x0011, (ushort)columns);
        US(0x0028, 0x0100, (ushort)bitsAllocated);
        US(0x0028, 0x0101, (ushort)bitsStored);
        US(0x0028, 0x0102, (ushort)(bitsStored - 1));
        return US(0x0028, 0x0103, (ushort)(signed ? 1 : 0));
    }

    /// <summary>The complete file. <paramref name="meta"/> adds the group-0002 header; without it no UID is stated.</summary>
    public byte[] ToFile(bool preamble = true, bool meta = true, string? transferSyntaxUid = null)
    {
        var file = new MemoryStream();
        if (preamble)
        {
            file.Write(new byte[128]);
            file.Write("DICM"u8);
        }

        if (meta)
        {
            var metaBody = new MemoryStream();
            MetaElement(metaBody, 0x0001, "OB", [0, 1]);
            var uid = Encoding.ASCII.GetBytes(transferSyntaxUid ?? Uid(Syntax));
            if (uid.Length % 2 == 1)
                uid = [.. uid, 0];
            MetaElement(metaBody, 0x0010, "UI", uid);
            var groupLength = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)metaBody.Length);
            MetaElement(file, 0x0000, "UL", groupLength);
            metaBody.WriteTo(file);
        }

        if (Syntax == TestSyntax.DeflatedExplicitLittle)
        {
            using var deflate = new DeflateStream(file, CompressionLevel.Optimal, leaveOpen: true);
            _body.WriteTo(deflate);
        }
        else
        {
            _body.WriteTo(file);
        }

        return file.ToArray();
    }

    private static void MetaElement(Stream s, ushort element, string vr, byte[] value)
    {
        var header = new byte[vr == "OB" ? 12 : 8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), element);
        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        if (vr == "OB")
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)value.Length);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), (ushort)value.Length);
        s.Write(header);
        s.Write(value);
    }

    private void WriteHeader(ushort group, ushort element, string vr, uint length)
    {
        Tag(group, element);
        if (!_explicit)
        {
            UInt32(length);
            return;
        }

        _body.WriteByte((byte)vr[0]);
        _body.WriteByte((byte)vr[1]);
        if (vr is "OB" or "OW" or "SQ" or "UN" or "UT")
        {
            _body.WriteByte(0);
            _body.WriteByte(0);
            UInt32(length);
        }
        else
        {
            var b = new byte[2];
            Word(b, (ushort)length);
            _body.Write(b);
        }
    }

    private void Tag(ushort group, ushort element)
    {
        var b = new byte[4];
        Word(b, group);
        Word(b.AsSpan(2), element);
        _body.Write(b);
    }

    private void UInt32(uint value)
    {
        var b = new byte[4];
        if (_big)
            BinaryPrimitives.WriteUInt32BigEndian(b, value);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        _body.Write(b);
    }

    private void Word(Span<byte> destination, ushort value)
    {
        if (_big)
            BinaryPrimitives.WriteUInt16BigEndian(destination, value);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(destination, value);
    }
}
