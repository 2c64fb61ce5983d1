using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using CxrQa.Core.Errors;

namespace CxrQa.Core.OutOfDistribution;

/// <summary>
/// Deep nearest-neighbour distance (Sun et al., ICML 2022): the cosine distance from a film's feature vector to its
/// k-th nearest reference film. No density shape is assumed, so a film that is unlike every training film is far even
/// when it sits near a class mean, which is where a shared-covariance Gaussian (Mahalanobis) is blind: on the pooled
/// stage-3 features, adult films re-encoded like the training films passed a Mahalanobis gate 3 times as often as
/// this one at the same false-rejection rate (docs/trust-layer.md).
/// </summary>
public sealed class NeighbourDistance : IFeatureDensity
{
    private const uint Magic = 0x4E4E4B43; // "CKNN"
    private readonly float[] _references;

    private NeighbourDistance(int dimension, int neighbours, float[] normalisedReferences)
    {
        Dimension = dimension;
        Neighbours = neighbours;
        _references = normalisedReferences;
    }

    public int Dimension { get; }

    /// <summary>k: the score is the distance to the k-th nearest reference (k &gt; 1 ignores a few stray references).</summary>
    public int Neighbours { get; }

    public int ReferenceCount => _references.Length / Dimension;

    /// <summary>Keeps the rows of <paramref name="references"/> (each <paramref name="dimension"/> values), scaled to unit
    /// length; rows that are zero or not finite are dropped.</summary>
    public static NeighbourDistance Fit(ReadOnlySpan<float> references, int dimension, int neighbours)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension));
        if (references.Length % dimension != 0)
            throw new ArgumentException($"{references.Length} values are not rows of {dimension}", nameof(references));
        var kept = new List<float>(references.Length);
        var row = new float[dimension];
        for (var i = 0; i < references.Length / dimension; i++)
            if (Normalise(references.Slice(i * dimension, dimension), row))
                kept.AddRange(row);
        if (neighbours < 1 || neighbours > kept.Count / dimension)
            throw new ArgumentOutOfRangeException(nameof(neighbours), neighbours, $"need 1 .. {kept.Count / dimension} (the usable references)");
        return new NeighbourDistance(dimension, neighbours, [.. kept]);
    }

    /// <summary>1 - cosine similarity to the k-th most similar reference: 0 = on top of k references, up to 2. NaN
    /// when the features are zero or not finite.</summary>
    public double Score(ReadOnlySpan<float> features) => Score(features, skip: -1);

    /// <summary>The score of reference row <paramref name="index"/> against all the others (leave one out), for
    /// describing the reference set's own spread.</summary>
    public double ScoreOfReference(int index) => Score(_references.AsSpan(index * Dimension, Dimension), skip: index);

    private double Score(ReadOnlySpan<float> features, int skip)
    {
        if (features.Length != Dimension)
            throw new ArgumentException($"expected {Dimension} values, got {features.Length}", nameof(features));
        var query = new float[Dimension];
        if (!Normalise(features, query)) return double.NaN;
        // The k largest similarities, smallest first, so the k-th nearest is best[0].
        var best = new float[Neighbours];
        Array.Fill(best, float.NegativeInfinity);
        for (var r = 0; r < ReferenceCount; r++)
        {
            if (r == skip) continue;
            var s = Dot(query, _references.AsSpan(r * Dimension, Dimension));
            if (s <= best[0]) continue;
            var j = 0;
            while (j + 1 < best.Length && best[j + 1] < s)
            {
                best[j] = best[j + 1];
                j++;
            }
            best[j] = s;
        }
        return 1 - (double)best[0];
    }

    private static bool Normalise(ReadOnlySpan<float> values, Span<float> destination)
    {
        double sum = 0;
        foreach (var v in values)
        {
            if (!float.IsFinite(v)) return false;
            sum += (double)v * v;
        }
        if (!(sum > 0)) return false;
        var scale = (float)(1 / Math.Sqrt(sum));
        for (var i = 0; i < values.Length; i++)
            destination[i] = values[i] * scale;
        return true;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        var acc = Vector<float>.Zero;
        for (var i = 0; i < va.Length; i++)
            acc += va[i] * vb[i];
        var sum = Vector.Sum(acc);
        for (var i = va.Length * Vector<float>.Count; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Layout, little-endian: magic, int32 dimension, int32 k, int32 reference count, then the unit-length
    /// references as float32 rows.</summary>
    public void Save(Stream stream)
    {
        var bytes = new byte[16 + 4 * _references.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), Neighbours);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), ReferenceCount);
        MemoryMarshal.AsBytes(_references.AsSpan()).CopyTo(bytes.AsSpan(16));
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
        stream.Write(bytes);
    }

    public static NeighbourDistance Load(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 16 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
            throw Invalid("not a nearest-neighbour file (bad magic)");
        var dimension = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        var neighbours = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        if (dimension is < 1 or > 16_384 || count < 1 || neighbours < 1 || neighbours > count)
            throw Invalid($"dimension {dimension}, k {neighbours}, {count} references");
        if (bytes.Length != 16 + 4L * dimension * count)
            throw Invalid($"expected {16 + 4L * dimension * count} bytes, got {bytes.Length}");
        var references = MemoryMarshal.Cast<byte, float>(bytes[16..]).ToArray();
        if (references.Any(v => !float.IsFinite(v)))
            throw Invalid("a reference value is not finite");
        return new NeighbourDistance(dimension, neighbours, references);
    }

    private static CxrQaException Invalid(string why) => new(ErrorCodes.ModelInvalid, $"invalid nearest-neighbour file: {why}");
}
