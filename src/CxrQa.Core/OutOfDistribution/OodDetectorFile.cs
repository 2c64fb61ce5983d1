using CxrQa.Core.Numerics;
using System.Buffers.Binary;
using CxrQa.Core.Errors;

namespace CxrQa.Core.OutOfDistribution;

/// <summary>
/// Reads and writes <c>ood.bin</c>, the bundle's Mahalanobis parameters.
/// </summary>
/// <remarks>
/// Layout, little-endian:
/// <code>
///   0  8 bytes  magic "CXQAOOD\0"
///   8  uint32   format version (1)
///  12  int32    dimension d
///  16  int32    class count C
///  20  float64  shrinkage intensity
///  28  float32  means, C x d row-major
///      float32  Cholesky factor of the shared covariance, packed lower triangle, d (d + 1) / 2 values
/// </code>
/// The file length must equal what the header implies, so truncation and trailing junk are both refused. For
/// d = 512 and two classes this is about 530 KB (a full float precision matrix would be 1 MB).
/// </remarks>
public static class OodDetectorFile
{
    public const int FormatVersion = 1;
    public const int HeaderLength = 28;
    public const int MaxDimension = 16_384;
    public const int MaxClasses = 1_024;

    private static ReadOnlySpan<byte> Magic => "CXQAOOD\0"u8;

    public static void Save(MahalanobisDetector detector, string path)
    {
        using var stream = File.Create(path);
        Save(detector, stream);
    }

    public static void Save(MahalanobisDetector detector, Stream stream)
    {
        var bytes = new byte[ExpectedLength(detector.Dimension, detector.ClassCount)];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], detector.Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], detector.ClassCount);
        BinaryPrimitives.WriteDoubleLittleEndian(span[20..], detector.Shrinkage);
        var offset = HeaderLength;
        foreach (var v in detector.Means)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span[offset..], v);
            offset += 4;
        }
        foreach (var v in detector.CholeskyFactor)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span[offset..], v);
            offset += 4;
        }
        stream.Write(bytes);
    }

    public static MahalanobisDetector Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Load(stream);
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CxrQaException(ErrorCodes.ModelInvalid, $"OOD parameters not found: {path}", e);
        }
    }

    /// <exception cref="CxrQaException"><see cref="ErrorCodes.ModelInvalid"/> when the bytes are not a valid ood.bin.</exception>
    public static MahalanobisDetector Load(Stream stream)
    {
        var header = new byte[HeaderLength];
        if (stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false) != HeaderLength)
            throw Invalid("the file is shorter than its header");
        if (!header.AsSpan(0, 8).SequenceEqual(Magic))
            throw Invalid("not an ood.bin file (bad magic)");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
        if (version != FormatVersion)
            throw Invalid($"format version {version} is not supported (expected {FormatVersion})");
        var dimension = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
        var classes = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(16));
        var shrinkage = BinaryPrimitives.ReadDoubleLittleEndian(header.AsSpan(20));
        if (dimension is < 1 or > MaxDimension)
            throw Invalid($"dimension {dimension} is outside 1 .. {MaxDimension}");
        if (classes is < 1 or > MaxClasses)
            throw Invalid($"class count {classes} is outside 1 .. {MaxClasses}");

        var payloadLength = ExpectedLength(dimension, classes) - HeaderLength;
        // A seekable stream is checked before allocating, so a forged header cannot ask for half a gigabyte.
        if (stream.CanSeek && stream.Length - stream.Position != payloadLength)
            throw Invalid($"the file holds {stream.Length - stream.Position} bytes after its header, expected {payloadLength}");
        var payload = new byte[payloadLength];
        if (stream.ReadAtLeast(payload, payload.Length, throwOnEndOfStream: false) != payload.Length)
            throw Invalid("the file is truncated");
        if (stream.ReadByte() != -1)
            throw Invalid("the file has bytes after its parameters");

        var means = new float[classes * dimension];
        var factor = new float[Cholesky.PackedLength(dimension)];
        for (var i = 0; i < means.Length; i++)
            means[i] = BinaryPrimitives.ReadSingleLittleEndian(payload.AsSpan(4 * i));
        var factorOffset = 4 * means.Length;
        for (var i = 0; i < factor.Length; i++)
            factor[i] = BinaryPrimitives.ReadSingleLittleEndian(payload.AsSpan(factorOffset + 4 * i));
        try
        {
            return MahalanobisDetector.FromParameters(dimension, means, factor, shrinkage);
        }
        catch (ArgumentException e)
        {
            throw Invalid(e.Message);
        }
    }

    public static long ExpectedLength(int dimension, int classes) =>
        HeaderLength + 4L * ((long)classes * dimension + (long)dimension * (dimension + 1) / 2);

    private static CxrQaException Invalid(string why) => new(ErrorCodes.ModelInvalid, $"invalid ood.bin: {why}");
}
