using System.Buffers.Binary;
using System.Text;

namespace CxrQa.Core.Dicom;

/// <summary>One data element to write: its tag, VR and value bytes before padding, or the items of a sequence.</summary>
internal sealed record WritableElement(DicomTag Tag, string Vr, byte[] Value, IReadOnlyList<WritableDataset> Items);

/// <summary>
/// A data set (the top level or a sequence item) being assembled for <see cref="Part10Writer"/>: elements kept in
/// tag order, setting a tag again replaces it. Strings are encoded here (UTF-8 in the VRs that may use a character
/// set, which the writer declares as ISO_IR 192 when any such byte is beyond ASCII; ASCII elsewhere); padding to even
/// length is the writer's job.
/// </summary>
internal sealed class WritableDataset
{
    private readonly SortedDictionary<uint, WritableElement> _elements = [];

    public IEnumerable<WritableElement> Elements => _elements.Values;

    public WritableElement? Find(DicomTag tag) => _elements.GetValueOrDefault(tag.Packed);

    public WritableDataset Bytes(DicomTag tag, string vr, byte[] value)
    {
        if (vr == "SQ" || !ValueRepresentation.IsKnown((byte)vr[0], (byte)vr[1]))
            throw new ArgumentException($"{vr} is not a VR with a byte value", nameof(vr));
        if (tag.Group is 0x0002 or 0xFFFE)
            throw new ArgumentException($"{tag} is not a data set element (file meta and delimiters are the writer's)", nameof(tag));
        _elements[tag.Packed] = new WritableElement(tag, vr, value, []);
        return this;
    }

    /// <summary>A string element with these values (none: an empty, zero-length element).</summary>
    public WritableDataset Text(DicomTag tag, string vr, params string[] values)
    {
        if (!ValueRepresentation.IsString(vr))
            throw new ArgumentException($"{vr} is not a string VR", nameof(vr));
        if (values.Length > 1 && !ValueRepresentation.IsMultiValuedString(vr))
            throw new ArgumentException($"{vr} holds a single value", nameof(values));
        if (ValueRepresentation.IsMultiValuedString(vr) && values.Any(v => v.Contains('\\')))
            throw new ArgumentException($"a {vr} value contains the value delimiter '\\'", nameof(values));
        // What we write is valid by construction: an invalid value here is a bug, never something to send.
        if (values.FirstOrDefault(v => v.Length > 0 && !DicomValueRules.IsValid(vr, v)) is { } invalid)
            throw new ArgumentException($"'{invalid}' is not a valid {vr} value for {tag}", nameof(values));
        var text = string.Join('\\', values);
        byte[] bytes;
        if (ValueRepresentation.UsesCharacterSet(vr))
            bytes = Encoding.UTF8.GetBytes(text);
        else if (text.All(c => c <= 0x7E))
            bytes = Encoding.ASCII.GetBytes(text);
        else
            throw new ArgumentException($"{vr} values are limited to ASCII", nameof(values));
        return Bytes(tag, vr, bytes);
    }

    public WritableDataset Empty(DicomTag tag, string vr) =>
        vr == "SQ" ? Sequence(tag) : Bytes(tag, vr, []);

    public WritableDataset UInt16(DicomTag tag, params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), values[i]);
        return Bytes(tag, "US", bytes);
    }

    public WritableDataset Float64(DicomTag tag, double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        return Bytes(tag, "FD", bytes);
    }

    public WritableDataset Sequence(DicomTag tag, params IEnumerable<WritableDataset> items)
    {
        if (tag.Group is 0x0002 or 0xFFFE)
            throw new ArgumentException($"{tag} is not a data set element", nameof(tag));
        _elements[tag.Packed] = new WritableElement(tag, "SQ", [], items.ToList());
        return this;
    }

    /// <summary>Whether any value of a character-set VR, here or in any item below, has a byte beyond ASCII (the
    /// data set then needs a Specific Character Set).</summary>
    public bool HasExtendedCharacters() => _elements.Values.Any(e =>
        (ValueRepresentation.UsesCharacterSet(e.Vr) && e.Value.Any(b => b > 0x7F))
        || e.Items.Any(i => i.HasExtendedCharacters()));
}
