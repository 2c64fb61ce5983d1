using System.Buffers.Binary;
using CxrQa.Core.Errors;

namespace CxrQa.Core.OutOfDistribution;

/// <summary>
/// A Mahalanobis density at several depths of the backbone (pooled stage 1, 2, 3 and the final embedding), combined
/// into one score: the largest of the depths' distances, each divided by its median over the training films.
/// <para>Why the largest, scaled: each depth sees a different kind of difference (exposure and texture early,
/// anatomy and framing later), and a film that is unusual at any one depth is unusual; dividing by the training
/// median puts the depths on one scale without using the held-out films that fit the threshold.</para>
/// </summary>
public sealed class FeatureShiftDetector
{
    private const uint Magic = 0x46534454; // "TDSF"

    public FeatureShiftDetector(IReadOnlyList<MahalanobisDetector> depths, IReadOnlyList<double> scales)
    {
        ArgumentNullException.ThrowIfNull(depths);
        ArgumentNullException.ThrowIfNull(scales);
        if (depths.Count == 0 || depths.Count != scales.Count)
            throw new ArgumentException($"{depths.Count} depths need as many scales, got {scales.Count}", nameof(scales));
        if (scales.Any(s => !(s > 0) || !double.IsFinite(s)))
            throw new ArgumentException("every scale must be a positive finite number", nameof(scales));
        Depths = depths;
        Scales = scales;
    }

    public IReadOnlyList<MahalanobisDetector> Depths { get; }
    public IReadOnlyList<double> Scales { get; }

    public IReadOnlyList<int> Dimensions => Depths.Select(d => d.Dimension).ToList();

    /// <summary>Fits one density per depth on training features (rows of each array; labels give the class means)
    /// and scales each by its median training score.</summary>
    public static FeatureShiftDetector Fit(IReadOnlyList<float[]> trainingFeatures, IReadOnlyList<int> dimensions, ReadOnlySpan<int> labels)
    {
        var depths = new List<MahalanobisDetector>();
        var scales = new List<double>();
        for (var d = 0; d < dimensions.Count; d++)
        {
            var detector = MahalanobisDetector.Fit(trainingFeatures[d], dimensions[d], labels);
            var n = trainingFeatures[d].Length / dimensions[d];
            var scores = new double[n];
            for (var i = 0; i < n; i++)
                scores[i] = detector.Score(trainingFeatures[d].AsSpan(i * dimensions[d], dimensions[d]));
            Array.Sort(scores);
            depths.Add(detector);
            scales.Add(Math.Max(1e-9, scores[n / 2]));
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
        Span<byte> entry = stackalloc byte[16];
        for (var d = 0; d < Depths.Count; d++)
        {
            using var chunk = new MemoryStream();
            OodDetectorFile.Save(Depths[d], chunk);
            BinaryPrimitives.WriteDoubleLittleEndian(entry, Scales[d]);
            BinaryPrimitives.WriteInt64LittleEndian(entry[8..], chunk.Length);
            stream.Write(entry);
            chunk.Position = 0;
            chunk.CopyTo(stream);
        }
    }

    public static FeatureShiftDetector Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
            throw Invalid("not a feature-shift file (bad magic)");
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        if (count is < 1 or > 16) throw Invalid($"{count} depths");
        var offset = 8;
        var depths = new List<MahalanobisDetector>();
        var scales = new List<double>();
        for (var d = 0; d < count; d++)
        {
            if (offset + 16 > bytes.Length) throw Invalid("truncated");
            scales.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(offset)));
            var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset + 8));
            offset += 16;
            if (length < 0 || offset + length > bytes.Length) throw Invalid("truncated");
            using var chunk = new MemoryStream(bytes, offset, (int)length, writable: false);
            depths.Add(OodDetectorFile.Load(chunk));
            offset += (int)length;
        }
        if (offset != bytes.Length) throw Invalid("bytes after the last depth");
        try
        {
            return new FeatureShiftDetector(depths, scales);
        }
        catch (ArgumentException e)
        {
            throw Invalid(e.Message);
        }
    }

    private static CxrQaException Invalid(string why) => new(ErrorCodes.ModelInvalid, $"invalid feature-shift file: {why}");
}
