using CxrQa.Core.Errors;

namespace CxrQa.Core.Dicom;

/// <summary>
/// Parses a DICOM dataset from a byte buffer into <see cref="DicomDataset"/>. Every length is checked against the
/// bytes that remain before anything is sliced, every loop iteration consumes at least one element header, and
/// sequence nesting is bounded, so garbage input ends in a <see cref="CxrQaException"/> rather than a crash or a hang.
/// The top level stops right after Pixel Data: nothing after it is needed, and trailing padding is often broken.
/// </summary>
internal sealed class DicomDatasetParser(ReadOnlyMemory<byte> buffer)
{
    /// <summary>Deepest sequence nesting accepted. Real files nest a handful of levels; the bound stops stack
    /// exhaustion on crafted input.</summary>
    public const int MaxSequenceDepth = 16;

    private const uint UndefinedLength = 0xFFFFFFFF;

    /// <summary>Set by <see cref="ParseHeader"/>: the last top-level tag wanted.</summary>
    private DicomTag? _lastWanted;

    public DicomDataset ParseTopLevel(int start, DatasetEncoding encoding)
    {
        var (dataset, _) = ParseDataset(start, buffer.Length, encoding, depth: 0, delimited: false);
        return dataset;
    }

    /// <summary>The top-level elements up to and including <paramref name="last"/> (top-level tags ascend, so parsing
    /// stops at the first tag after it), from a buffer that may hold only the start of the dataset: the buffer may end
    /// anywhere after the last element wanted.</summary>
    public DicomDataset ParseHeader(int start, DatasetEncoding encoding, DicomTag last)
    {
        _lastWanted = last;
        var (dataset, _) = ParseDataset(start, buffer.Length, encoding, depth: 0, delimited: false);
        return dataset;
    }

    private (DicomDataset Dataset, int End) ParseDataset(int pos, int end, DatasetEncoding enc, int depth, bool delimited)
    {
        var span = buffer.Span;
        var elements = new Dictionary<uint, DicomElement>();
        var headerOnly = depth == 0 && _lastWanted is not null;
        while (pos < end)
        {
            if (end - pos < 8)
            {
                if (headerOnly)
                    break;
                throw Truncated($"element header at offset {pos} is cut off ({end - pos} bytes left)");
            }

            var tag = new DicomTag(DicomDataset.ReadUInt16(span[pos..], enc.BigEndian),
                DicomDataset.ReadUInt16(span[(pos + 2)..], enc.BigEndian));
            if (headerOnly && tag.Packed > _lastWanted!.Value.Packed)
                break;

            if (tag == DicomTag.ItemDelimitation)
            {
                // Ends an undefined-length item; tolerated (and ignored) inside defined-length items too.
                pos += 8;
                if (delimited)
                    return (new DicomDataset(buffer, elements), pos);
                continue;
            }

            if (tag.Group == 0xFFFE)
                throw Malformed($"unexpected delimiter {tag} inside a dataset at offset {pos}");

            var headerOffset = pos;
            var (vr, length, headerLength) = ReadHeader(span, pos, end, tag, enc);
            var valuePos = pos + headerLength;
            DicomElement element;

            if (length == UndefinedLength)
            {
                if (tag == DicomTag.PixelData && depth == 0)
                {
                    var (fragments, after) = ParseFragments(valuePos, end, enc);
                    element = new DicomElement(tag, vr, valuePos, 0, enc.BigEndian, [], fragments);
                    pos = after;
                }
                else if (vr is "SQ" or ValueRepresentation.Implicit or "UN")
                {
                    // PS3.5 6.2.2: UN with undefined length holds a sequence encoded in implicit VR little endian.
                    var itemEncoding = vr == "UN" ? DatasetEncoding.ImplicitLittle : enc;
                    var (items, after) = ParseSequence(valuePos, end, itemEncoding, depth + 1, definedLength: false);
                    element = new DicomElement(tag, vr, valuePos, 0, enc.BigEndian, items, null);
                    pos = after;
                }
                else
                {
                    // Undefined-length OB/OW outside Pixel Data: an encapsulated blob; skip its fragments.
                    var (_, after) = ParseFragments(valuePos, end, enc);
                    element = new DicomElement(tag, vr, valuePos, 0, enc.BigEndian, [], null);
                    pos = after;
                }
            }
            else
            {
                if (length > (uint)(end - valuePos))
                {
                    var what = $"element {tag} at offset {pos} declares {length} bytes but only {end - valuePos} remain";
                    throw tag == DicomTag.PixelData ? Truncated(what) : Malformed(what);
                }

                var len = (int)length;
                IReadOnlyList<DicomDataset> items = [];
                if (vr == "SQ" || (vr == ValueRepresentation.Implicit && tag == DicomTag.ModalityLutSequence))
                    (items, _) = ParseSequence(valuePos, valuePos + len, enc, depth + 1, definedLength: true);
                element = new DicomElement(tag, vr, valuePos, len, enc.BigEndian, items, null);
                pos = valuePos + len;
            }

            elements.TryAdd(tag.Packed, element with { HeaderOffset = headerOffset, End = pos });
            if (depth == 0 && tag == DicomTag.PixelData)
                break;
        }

        if (delimited)
            throw Truncated("sequence item ends without an item delimiter");
        return (new DicomDataset(buffer, elements), pos);
    }

    private static (string Vr, uint Length, int HeaderLength) ReadHeader(
        ReadOnlySpan<byte> span, int pos, int end, DicomTag tag, DatasetEncoding enc)
    {
        if (!enc.ExplicitVr)
            return (ValueRepresentation.Implicit, DicomDataset.ReadUInt32(span[(pos + 4)..], enc.BigEndian), 8);

        byte a = span[pos + 4], b = span[pos + 5];
        if (!ValueRepresentation.IsKnown(a, b))
            throw Malformed($"element {tag} at offset {pos} has no valid value representation (bytes {a:X2} {b:X2})");
        var vr = ValueRepresentation.ToCode(a, b);
        if (!ValueRepresentation.HasLongLength(vr))
            return (vr, DicomDataset.ReadUInt16(span[(pos + 6)..], enc.BigEndian), 8);
        if (end - pos < 12)
            throw Truncated($"element header at offset {pos} is cut off ({end - pos} bytes left)");
        return (vr, DicomDataset.ReadUInt32(span[(pos + 8)..], enc.BigEndian), 12);
    }

    private (IReadOnlyList<DicomDataset> Items, int End) ParseSequence(
        int pos, int end, DatasetEncoding enc, int depth, bool definedLength)
    {
        if (depth > MaxSequenceDepth)
            throw Malformed($"sequences nested deeper than {MaxSequenceDepth} levels");

        var span = buffer.Span;
        var items = new List<DicomDataset>();
        while (true)
        {
            if (definedLength && pos == end)
                return (items, pos);
            if (end - pos < 8)
                throw Truncated($"sequence at offset {pos} is cut off");

            var tag = new DicomTag(DicomDataset.ReadUInt16(span[pos..], enc.BigEndian),
                DicomDataset.ReadUInt16(span[(pos + 2)..], enc.BigEndian));
            var length = DicomDataset.ReadUInt32(span[(pos + 4)..], enc.BigEndian);
            pos += 8;

            if (tag == DicomTag.SequenceDelimitation)
                return (items, pos);
            if (tag != DicomTag.Item)
                throw Malformed($"expected a sequence item at offset {pos - 8}, found {tag}");

            if (length == UndefinedLength)
            {
                var (item, after) = ParseDataset(pos, end, enc, depth, delimited: true);
                items.Add(item);
                pos = after;
            }
            else
            {
                if (length > (uint)(end - pos))
                    throw Malformed($"sequence item at offset {pos - 8} declares {length} bytes but only {end - pos} remain");
                var (item, _) = ParseDataset(pos, pos + (int)length, enc, depth, delimited: false);
                items.Add(item);
                pos += (int)length;
            }
        }
    }

    /// <summary>Reads the items of encapsulated data up to the sequence delimiter. A file that ends cleanly on an
    /// item boundary without the delimiter is accepted: some writers omit it.</summary>
    private (IReadOnlyList<Fragment> Fragments, int End) ParseFragments(int pos, int end, DatasetEncoding enc)
    {
        var span = buffer.Span;
        var fragments = new List<Fragment>();
        while (pos < end)
        {
            if (end - pos < 8)
                throw Truncated($"encapsulated pixel data is cut off at offset {pos}");
            var tag = new DicomTag(DicomDataset.ReadUInt16(span[pos..], enc.BigEndian),
                DicomDataset.ReadUInt16(span[(pos + 2)..], enc.BigEndian));
            var length = DicomDataset.ReadUInt32(span[(pos + 4)..], enc.BigEndian);
            pos += 8;
            if (tag == DicomTag.SequenceDelimitation)
                return (fragments, pos);
            if (tag != DicomTag.Item)
                throw Malformed($"expected a pixel-data fragment at offset {pos - 8}, found {tag}");
            if (length > (uint)(end - pos))
                throw Truncated($"pixel-data fragment at offset {pos - 8} declares {length} bytes but only {end - pos} remain");
            fragments.Add(new Fragment(pos, (int)length));
            pos += (int)length;
        }

        return (fragments, pos);
    }

    private static CxrQaException Malformed(string message) => new(ErrorCodes.DicomMalformed, "malformed DICOM: " + message);

    private static CxrQaException Truncated(string message) => new(ErrorCodes.TruncatedImage, "truncated DICOM: " + message);
}
