using System.Buffers.Binary;
using CxrQa.Core.Errors;

namespace CxrQa.Core.OutOfDistribution;

/// <summary>
/// A density at one or more depths of the backbone (pooled stage 1, 2, 3 and the final embedding), combined into one
/// score: the largest of the depths' scores, each divided by its median over the training films.
/// <para>Why the largest, scaled: each depth sees a different kind of difference (exposure and texture early,
/// anatomy and framing later), and a film that is unusual at any one depth is unusual; dividing by the training
/// median puts the depths on one scale without using the held-out films that fit the threshold.</para>
/// </summary>
public sealed class FeatureShiftDetector
{
    private const uint MahalanobisOnlyMagic = 0x46534454; // "TDSF": format 1, every depth Mahalanobis
    private const uint Magic = 0x32534454; // "TDS2": a kind byte per depth

    public FeatureShiftDetector(IReadOnlyList<IFeatureDensity> depths, IReadOnlyList<double> scales)
    {
        ArgumentNullException.ThrowIfNull(depths);
        ArgumentNullException.ThrowIfNull(scales);
        if (depths.Count == 0 || depths.Count != scales.Count)
            throw new ArgumentException($"{depths.Count} depths need as many scales, got {scales.Count}", nameof(scales));
        if (scales.Any(s => !(s > 0) || !double.IsFinite(s)))
            throw new ArgumentException("every scale must be a positive finite number", nameof(scales));
        if (depths.Any(d => d is not (MahalanobisDetector or NeighbourDistance)))
            throw new ArgumentException("each depth is a Mahalanobis or a nearest-neighbour density", nameof(depths));
        Depths = depths;
        Scales = scales;
    }

    public IReadOnlyList<IFeatureDensity> Depths { get; }
    public IReadOnlyList<double> Scales { get; }

    public IReadOnlyList<int> Dimensions => Depths.Select(d => d.Dimension).ToList();

    /// <summary>The density kind of the first depth (every depth is fitted with one kind).</summary>
    public FeatureDensityKind Kind => Depths[0] is NeighbourDistance ? FeatureDensityKind.NearestNeighbour : FeatureDensityKind.Mahalanobis;

    /// <summary>Fits one density per depth on training features (rows of each array; labels give the class means of a
    /// Mahalanobis density) and scales each by its median training score (leave-one-out for nearest neighbours, whose
    /// training films would otherwise find themselves).</summary>
    public static FeatureShiftDetector Fit(IReadOnlyList<float[]> trainingFeatures, IReadOnlyList<int> dimensions, ReadOnlySpan<int> labels,
        FeatureDensityKind kind = FeatureDensityKind.Mahalanobis, int neighbours = 10)
    {
        var depths = new List<IFeatureDensity>();
        var scales = new List<double>();
        for (var d = 0; d < dimensions.Count; d++)
        {
            var dim = dimensions[d];
            var n = trainingFeatures[d].Length / dim;
            double[] scores;
            if (kind == FeatureDensityKind.NearestNeighbour)
            {
                var density = NeighbourDistance.Fit(trainingFeatures[d], dim, neighbours);
                scores = new double[density.ReferenceCount];
                Parallel.For(0, scores.Length, i => scores[i] = density.ScoreOfReference(i));
                depths.Add(density);
            }
            else
            {
                var density = MahalanobisDetector.Fit(trainingFeatures[d], dim, labels);
                var features = trainingFeatures[d];
                scores = new double[n];
                for (var i = 0; i < n; i++)
                    scores[i] = density.Score(features.AsSpan(i * dim, dim));
                depths.Add(density);
            }
            Array.Sort(scores);
            scales.Add(Math.Max(1e-9, scores[scores.Length / 2]));
        }
        return new FeatureShiftDetector(depths, scales);
    }

    /// <summary>The arrays this detector reads, picked from every available depth by their dimension (the stages'
    /// widths 64, 128, 256 and 512 differ), so a detector fitted on a subset of depths reads the same subset.</summary>
    public IReadOnlyList<float[]> Pick(IReadOnlyList<float[]> all, IReadOnlyList<int> allDimensions) =>
        Select(all, allDimensions, Dimensions);

    /// <summary>The arrays of <paramref name="all"/> (one per width in <paramref name="allDimensions"/>) whose widths
    /// are <paramref name="wanted"/>, in that order.</summary>
    public static IReadOnlyList<float[]> Select(IReadOnlyList<float[]> all, IReadOnlyList<int> allDimensions, IReadOnlyList<int> wanted) =>
        wanted.Select(d =>
        {
            var k = allDimensions.ToList().IndexOf(d);
            return k >= 0 ? all[k] : throw new ArgumentException($"no features of dimension {d}", nameof(all));
        }).ToList();

    /// <summary>The combined score of film <paramref name="index"/> given one feature array per depth of this detector
    /// (rows of that depth's dimension; see <see cref="Pick"/>). NaN when any depth's features are not finite.</summary>
    public double Score(IReadOnlyList<float[]> features, int index)
    {
        var worst = 0.0;
        for (var d = 0; d < Depths.Count; d++)
        {
            var dim = Depths[d].Dimension;
            var s = Depths[d].Score(features[d].AsSpan(index * dim, dim)) / Scales[d];
            if (double.IsNaN(s)) return double.NaN;
            worst = Math.Max(worst, s);
        }
        return worst;
    }

    public void Save(string path)
    {
        using var stream = File.Create(path);
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], Depths.Count);
        stream.Write(header);
        Span<byte> entry = stackalloc byte[17];
        for (var d = 0; d < Depths.Count; d++)
        {
            using var chunk = new MemoryStream();
            FeatureDensityKind kind;
            switch (Depths[d])
            {
                case MahalanobisDetector m:
                    OodDetectorFile.Save(m, chunk);
                    kind = FeatureDensityKind.Mahalanobis;
                    break;
                case NeighbourDistance k:
                    k.Save(chunk);
                    kind = FeatureDensityKind.NearestNeighbour;
                    break;
                default:
                    throw new InvalidOperationException("unknown density");
            }
            entry[0] = (byte)kind;
            BinaryPrimitives.WriteDoubleLittleEndian(entry[1..], Scales[d]);
            BinaryPrimitives.WriteInt64LittleEndian(entry[9..], chunk.Length);
            stream.Write(entry);
            chunk.Position = 0;
            chunk.CopyTo(stream);
        }
    }

    public static FeatureShiftDetector Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var magic = bytes.Length < 8 ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (magic is not (Magic or MahalanobisOnlyMagic))
            throw Invalid("not a feature-shift file (bad magic)");
        var withKind = magic == Magic;
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        if (count is < 1 or > 16) throw Invalid($"{count} depths");
        var offset = 8;
        var entryLength = withKind ? 17 : 16;
        var depths = new List<IFeatureDensity>();
        var scales = new List<double>();
        try
        {
            for (var d = 0; d < count; d++)
            {
                if (offset + entryLength > bytes.Length) throw Invalid("truncated");
                var kind = withKind ? (FeatureDensityKind)bytes[offset++] : FeatureDensityKind.Mahalanobis;
                scales.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(offset)));
                var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset + 8));
                offset += 16;
                if (length < 0 || offset + length > bytes.Length) throw Invalid("truncated");
                depths.Add(kind switch
                {
                    FeatureDensityKind.Mahalanobis => LoadMahalanobis(bytes, offset, (int)length),
                    FeatureDensityKind.NearestNeighbour => NeighbourDistance.Load(bytes.AsSpan(offset, (int)length)),
                    _ => throw Invalid($"unknown density kind {(int)kind}"),
                });
                offset += (int)length;
            }
            if (offset != bytes.Length) throw Invalid("bytes after the last depth");
            return new FeatureShiftDetector(depths, scales);
        }
        catch (ArgumentException e)
        {
            throw Invalid(e.Message);
        }
    }

    private static MahalanobisDetector LoadMahalanobis(byte[] bytes, int offset, int length)
    {
        using var chunk = new MemoryStream(bytes, offset, length, writable: false);
        return OodDetectorFile.Load(chunk);
    }

    private static CxrQaException Invalid(string why) => new(ErrorCodes.ModelInvalid, $"invalid feature-shift file: {why}");
}
