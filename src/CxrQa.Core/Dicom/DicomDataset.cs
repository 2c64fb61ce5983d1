using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace CxrQa.Core.Dicom;

/// <summary>A parsed dataset (top level or a sequence item): elements by tag over the bytes they were parsed from,
/// with typed readers for the few value types the film reader needs. The first occurrence of a tag wins.</summary>
internal sealed class DicomDataset(ReadOnlyMemory<byte> buffer, IReadOnlyDictionary<uint, DicomElement> elements)
{
    public ReadOnlyMemory<byte> Buffer { get; } = buffer;

    public DicomElement? Find(DicomTag tag) => elements.GetValueOrDefault(tag.Packed);

    public bool Contains(DicomTag tag) => elements.ContainsKey(tag.Packed);

    /// <summary>The elements in the order they appear in the buffer (first occurrence of each tag).</summary>
    public IEnumerable<DicomElement> InFileOrder => elements.Values.OrderBy(e => e.HeaderOffset);

    public ReadOnlyMemory<byte> Value(DicomElement e) => Buffer.Slice(e.Offset, e.Length);

    /// <summary>First value of a string element, trimmed of DICOM padding; null when absent or empty.</summary>
    public string? GetString(DicomTag tag)
    {
        if (Find(tag) is not { } e || e.Length == 0)
            return null;
        var text = Encoding.Latin1.GetString(Value(e).Span);
        var backslash = text.IndexOf('\\');
        if (backslash >= 0)
            text = text[..backslash];
        text = text.Trim(' ', '\0');
        return text.Length == 0 ? null : text;
    }

    /// <summary>First value of a DS/IS element as a finite number; null when absent or unparsable.</summary>
    public double? GetNumber(DicomTag tag) =>
        GetString(tag) is { } s
        && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
        && double.IsFinite(v)
            ? v
            : null;

    /// <summary>First value of a US element; null when absent or shorter than two bytes.</summary>
    public int? GetUInt16(DicomTag tag)
    {
        if (Find(tag) is not { } e || e.Length < 2)
            return null;
        return ReadUInt16(Value(e).Span, e.BigEndian);
    }

    /// <summary>All 16-bit words of an element (US multi-valued, OW); empty when absent.</summary>
    public ushort[] GetUInt16Array(DicomTag tag)
    {
        if (Find(tag) is not { } e || e.Length < 2)
            return [];
        var span = Value(e).Span;
        var words = new ushort[span.Length / 2];
        for (var i = 0; i < words.Length; i++)
            words[i] = ReadUInt16(span[(2 * i)..], e.BigEndian);
        return words;
    }

    public static ushort ReadUInt16(ReadOnlySpan<byte> span, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);

    public static uint ReadUInt32(ReadOnlySpan<byte> span, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);
}
