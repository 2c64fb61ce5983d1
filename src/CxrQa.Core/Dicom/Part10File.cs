using System.Buffers.Binary;
using System.IO.Compression;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using TextEncoding = System.Text.Encoding;

namespace CxrQa.Core.Dicom;

/// <summary>
/// A DICOM file split into what the film reader needs: the declared (or inferred) transfer syntax and the parsed
/// main dataset. Handles files with or without the 128-byte preamble + "DICM" and with or without the group-0002
/// file meta header, and inflates deflated datasets.
/// </summary>
/// <param name="DatasetStart">Where the main dataset starts in the file (after preamble and file meta).</param>
/// <param name="Encoding">How the main dataset is encoded (inflated first when the syntax is deflated).</param>
internal sealed record Part10File(TransferSyntax TransferSyntax, DicomDataset Dataset, int DatasetStart, DatasetEncoding Encoding)
{
    private const int PreambleLength = 128;

    public static bool HasPreamble(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= PreambleLength + 4 && bytes.Slice(PreambleLength, 4).SequenceEqual("DICM"u8);

    public static Part10File Parse(ReadOnlyMemory<byte> bytes, DecodeLimits limits)
    {
        var span = bytes.Span;
        var start = HasPreamble(span) ? PreambleLength + 4
            : span.StartsWith("DICM"u8) ? 4 // preamble stripped but magic kept: seen from some gateways
            : 0;
        var (datasetStart, declaredUid) = ReadFileMeta(span, start);

        var syntax = declaredUid is null ? null : TransferSyntax.FromUid(declaredUid);
        var datasetBytes = bytes[datasetStart..];
        if (syntax?.Pixels == PixelEncoding.Deflated)
            datasetBytes = Inflate(datasetBytes.Span, limits);

        var encoding = DetectEncoding(datasetBytes.Span, syntax);
        syntax ??= encoding.BigEndian ? TransferSyntax.ExplicitVrBigEndian
            : encoding.ExplicitVr ? TransferSyntax.ExplicitVrLittleEndian
            : TransferSyntax.ImplicitVrLittleEndian;

        var dataset = new DicomDatasetParser(datasetBytes).ParseTopLevel(0, encoding);
        return new Part10File(syntax, dataset, datasetStart, encoding);
    }

    /// <summary>
    /// The top-level elements of the main dataset up to <paramref name="last"/>, read from at most
    /// <paramref name="budget"/> bytes of it: a deflated dataset is inflated only that far (a 300 KB deflate bomb's
    /// header is a few hundred bytes in), an uncompressed one is not copied beyond it. Null when the bytes are not
    /// DICOM, or the elements wanted do not fit in the budget or cannot be read.
    /// </summary>
    public static DicomDataset? ParseHeader(ReadOnlySpan<byte> bytes, DicomTag last, int budget)
    {
        try
        {
            var start = HasPreamble(bytes) ? PreambleLength + 4 : bytes.StartsWith("DICM"u8) ? 4 : 0;
            var (datasetStart, declaredUid) = ReadFileMeta(bytes, start);
            var syntax = declaredUid is null ? null : TransferSyntax.FromUid(declaredUid);
            var rest = bytes[datasetStart..];
            var prefix = syntax?.Pixels == PixelEncoding.Deflated
                ? InflatePrefix(rest, budget)
                : rest[..Math.Min(rest.Length, budget)].ToArray();
            var encoding = DetectEncoding(prefix, syntax);
            return new DicomDatasetParser(prefix).ParseHeader(0, encoding, last);
        }
        catch (CxrQaException)
        {
            return null;
        }
    }

    /// <summary>The first <paramref name="budget"/> bytes (or fewer, when it ends) of a deflated dataset. Only the
    /// compressed bytes that can hold them are copied: a stored (uncompressed) deflate block adds 5 bytes per 65535.</summary>
    private static byte[] InflatePrefix(ReadOnlySpan<byte> compressed, int budget)
    {
        var needed = (int)Math.Min(compressed.Length, budget + (long)budget / 1024 + 1024);
        using var input = new MemoryStream(compressed[..needed].ToArray(), writable: false);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        var output = new byte[budget];
        var filled = 0;
        try
        {
            int read;
            while (filled < budget && (read = inflater.Read(output, filled, budget - filled)) > 0)
                filled += read;
        }
        catch (InvalidDataException ex)
        {
            throw new CxrQaException(ErrorCodes.CorruptImage, "deflated DICOM dataset is corrupt: " + ex.Message, ex);
        }
        return filled == budget ? output : output[..filled];
    }

    /// <summary>Reads group 0002 (always explicit VR little endian) and returns where the main dataset starts and the
    /// Transfer Syntax UID, if any.</summary>
    private static (int DatasetStart, string? TransferSyntaxUid) ReadFileMeta(ReadOnlySpan<byte> span, int pos)
    {
        string? uid = null;
        while (span.Length - pos >= 8 && BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]) == 0x0002)
        {
            var element = BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 2)..]);
            byte a = span[pos + 4], b = span[pos + 5];
            uint length;
            int header;
            if (ValueRepresentation.IsKnown(a, b))
            {
                var longForm = ValueRepresentation.HasLongLength(ValueRepresentation.ToCode(a, b));
                if (longForm && span.Length - pos < 12)
                    throw Truncated($"file meta element at offset {pos} is cut off");
                length = longForm ? BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 8)..]) : BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 6)..]);
                header = longForm ? 12 : 8;
            }
            else
            {
                // Non-conformant but seen: meta header written in implicit VR.
                length = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 4)..]);
                header = 8;
            }

            var valuePos = pos + header;
            if (length > (uint)(span.Length - valuePos))
                throw new CxrQaException(ErrorCodes.DicomMalformed,
                    $"malformed DICOM: file meta element (0002,{element:X4}) at offset {pos} declares {length} bytes but only {span.Length - valuePos} remain");
            if (element == 0x0010)
                uid = TextEncoding.ASCII.GetString(span.Slice(valuePos, (int)length)).Trim(' ', '\0');
            pos = valuePos + (int)length;
        }

        return (pos, string.IsNullOrEmpty(uid) ? null : uid);
    }

    /// <summary>
    /// Decides the dataset encoding from its first element. The declared syntax is trusted for byte order, but a file
    /// whose first element plainly contradicts the declared implicit/explicit VR is read the way it is written (as
    /// DCMTK does); without a declaration the first element decides everything.
    /// </summary>
    private static DatasetEncoding DetectEncoding(ReadOnlySpan<byte> span, TransferSyntax? declared)
    {
        var looksExplicit = span.Length >= 6 && ValueRepresentation.IsKnown(span[4], span[5]);
        if (declared is { BigEndian: true })
            return DatasetEncoding.ExplicitBig;
        if (declared is not null && span.Length < 6)
            return declared.ExplicitVr ? DatasetEncoding.ExplicitLittle : DatasetEncoding.ImplicitLittle;
        if (declared is not null)
            return looksExplicit ? DatasetEncoding.ExplicitLittle : DatasetEncoding.ImplicitLittle;

        if (!looksExplicit)
            return DatasetEncoding.ImplicitLittle;
        // A big-endian group number reads as 0x0800 (for group 0008) in little endian.
        var littleGroup = BinaryPrimitives.ReadUInt16LittleEndian(span);
        var bigGroup = BinaryPrimitives.ReadUInt16BigEndian(span);
        return bigGroup < littleGroup && bigGroup <= 0x0008 ? DatasetEncoding.ExplicitBig : DatasetEncoding.ExplicitLittle;
    }

    /// <summary>Inflates a Deflated Explicit VR Little Endian dataset (raw deflate, RFC 1951), bounded so a zip bomb
    /// cannot exhaust memory: nothing legitimate inflates beyond the pixel budget plus generous header room.</summary>
    private static ReadOnlyMemory<byte> Inflate(ReadOnlySpan<byte> compressed, DecodeLimits limits)
    {
        var maxBytes = Math.Min(int.MaxValue - 64, limits.MaxPixels * 2 * 3 + limits.MaxFileBytes);
        using var input = new MemoryStream(compressed.ToArray(), writable: false);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = inflater.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (output.Length + read > maxBytes)
                    throw new CxrQaException(ErrorCodes.ImageTooLarge,
                        $"deflated DICOM dataset inflates beyond {maxBytes} bytes");
                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new CxrQaException(ErrorCodes.CorruptImage, "deflated DICOM dataset is corrupt: " + ex.Message, ex);
        }

        return output.GetBuffer().AsMemory(0, (int)output.Length);
    }

    private static CxrQaException Truncated(string message) => new(ErrorCodes.TruncatedImage, "truncated DICOM: " + message);
}
