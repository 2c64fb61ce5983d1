using CxrQa.Core.Numerics;
using System.Numerics;
using System.Runtime.InteropServices;

namespace CxrQa.Core.OutOfDistribution;

/// <summary>
/// Out-of-distribution score for backbone embeddings: the squared Mahalanobis distance to the nearest class mean,
/// under one covariance shared by the classes (Lee et al. 2018), shrunk toward a multiple of the identity.
/// </summary>
/// <remarks>
/// Parameters are kept as float32, as they are stored in ood.bin, so a loaded detector scores bit-for-bit like the
/// one that was fitted. The covariance is kept as its Cholesky factor L (packed lower triangle), not as a precision
/// matrix: the same d (d + 1) / 2 floats, the score is a sum of squares and so can never go negative through
/// rounding, and no explicit inverse is ever formed.
/// </remarks>
public sealed class MahalanobisDetector : IFeatureDensity
{
    private readonly float[] _means;
    private readonly float[] _factor;

    private MahalanobisDetector(int dimension, int classCount, float[] means, float[] factor, double shrinkage)
    {
        Dimension = dimension;
        ClassCount = classCount;
        _means = means;
        _factor = factor;
        Shrinkage = shrinkage;
    }

    public int Dimension { get; }

    public int ClassCount { get; }

    /// <summary>The shrinkage intensity s used: covariance = (1 - s) S + s (tr S / d) I.</summary>
    public double Shrinkage { get; }

    /// <summary>Class means, ClassCount x Dimension row-major.</summary>
    public ReadOnlySpan<float> Means => _means;

    /// <summary>Cholesky factor of the shrunk covariance, packed lower triangle (see <see cref="Cholesky"/>).</summary>
    public ReadOnlySpan<float> CholeskyFactor => _factor;

    /// <summary>Rebuilds a detector from stored parameters (as read from ood.bin).</summary>
    public static MahalanobisDetector FromParameters(int dimension, ReadOnlySpan<float> means, ReadOnlySpan<float> choleskyFactor, double shrinkage)
    {
        if (dimension < 1)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "at least 1");
        if (means.Length == 0 || means.Length % dimension != 0)
            throw new ArgumentException($"{means.Length} mean values are not a whole number of {dimension}-vectors", nameof(means));
        if (choleskyFactor.Length != Cholesky.PackedLength(dimension))
            throw new ArgumentException($"factor has {choleskyFactor.Length} values, expected {Cholesky.PackedLength(dimension)}", nameof(choleskyFactor));
        foreach (var v in means)
            if (!float.IsFinite(v))
                throw new ArgumentException("a mean is not finite", nameof(means));
        foreach (var v in choleskyFactor)
            if (!float.IsFinite(v))
                throw new ArgumentException("a factor entry is not finite", nameof(choleskyFactor));
        for (var i = 0; i < dimension; i++)
            if (!(choleskyFactor[Cholesky.RowStart(i) + i] > 0))
                throw new ArgumentException($"factor diagonal {i} is not positive", nameof(choleskyFactor));
        if (!(shrinkage >= 0 && shrinkage <= 1))
            throw new ArgumentOutOfRangeException(nameof(shrinkage), shrinkage, "shrinkage lies in [0, 1]");
        return new MahalanobisDetector(dimension, means.Length / dimension, means.ToArray(), choleskyFactor.ToArray(), shrinkage);
    }

    /// <summary>
    /// Fits class means and a shared, shrunk covariance of the class-centred embeddings.
    /// </summary>
    /// <param name="embeddings">n x <paramref name="dimension"/> row-major.</param>
    /// <param name="dimension">Embedding length d.</param>
    /// <param name="labels">Class of each row, 0 .. C - 1; every class must occur.</param>
    /// <param name="shrinkage">Intensity in [0, 1]; null = the Ledoit-Wolf optimum.</param>
    public static MahalanobisDetector Fit(ReadOnlySpan<float> embeddings, int dimension, ReadOnlySpan<int> labels, double? shrinkage = null)
    {
        if (dimension < 1)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "at least 1");
        if (embeddings.Length != labels.Length * dimension)
            throw new ArgumentException($"{embeddings.Length} values are not {labels.Length} rows of {dimension}", nameof(embeddings));
        if (labels.IsEmpty)
            throw new ArgumentException("no embeddings", nameof(labels));
        if (shrinkage is { } fixedShrinkage && !(fixedShrinkage >= 0 && fixedShrinkage <= 1))
            throw new ArgumentOutOfRangeException(nameof(shrinkage), shrinkage, "shrinkage lies in [0, 1]");
        foreach (var v in embeddings)
            if (!float.IsFinite(v))
                throw new ArgumentException("an embedding value is not finite", nameof(embeddings));

        var n = labels.Length;
        var d = dimension;
        var classCount = 0;
        foreach (var y in labels)
        {
            if (y < 0)
                throw new ArgumentException($"a label is negative ({y})", nameof(labels));
            classCount = Math.Max(classCount, y + 1);
        }
        var counts = new int[classCount];
        var means = new double[classCount * d];
        for (var k = 0; k < n; k++)
        {
            counts[labels[k]]++;
            var mean = means.AsSpan(labels[k] * d, d);
            var row = embeddings.Slice(k * d, d);
            for (var j = 0; j < d; j++)
                mean[j] += row[j];
        }
        for (var c = 0; c < classCount; c++)
        {
            if (counts[c] == 0)
                throw new ArgumentException($"class {c} has no embeddings (labels must be 0 .. C - 1, each present)", nameof(labels));
            foreach (ref var v in means.AsSpan(c * d, d))
                v /= counts[c];
        }

        var covariance = new double[d * d];
        var centred = new double[d];
        var sumOfFourthPowers = 0.0;
        for (var k = 0; k < n; k++)
        {
            var row = embeddings.Slice(k * d, d);
            var mean = means.AsSpan(labels[k] * d, d);
            var squaredNorm = 0.0;
            for (var j = 0; j < d; j++)
            {
                centred[j] = row[j] - mean[j];
                squaredNorm += centred[j] * centred[j];
            }
            sumOfFourthPowers += squaredNorm * squaredNorm;
            AccumulateUpperOuterProduct(covariance, centred, d);
        }
        for (var i = 0; i < d; i++)
            for (var j = i; j < d; j++)
            {
                var v = covariance[i * d + j] / n;
                covariance[i * d + j] = v;
                covariance[j * d + i] = v;
            }

        var s = shrinkage ?? LedoitWolf.Intensity(covariance, sumOfFourthPowers, n, d);
        var mu = 0.0;
        for (var i = 0; i < d; i++)
            mu += covariance[i * d + i];
        mu /= d;
        if (!(mu > 0))
            throw new ArgumentException("the class-centred embeddings have no variance", nameof(embeddings));
        for (var i = 0; i < d * d; i++)
            covariance[i] *= 1 - s;
        for (var i = 0; i < d; i++)
            covariance[i * d + i] += s * mu;

        var factor = Cholesky.Factor(covariance, d);
        return new MahalanobisDetector(d, classCount, ToFloat(means), ToFloat(factor), s);
    }

    /// <summary>Squared Mahalanobis distance to the nearest class mean: large = unlike anything seen in training.</summary>
    public double Score(ReadOnlySpan<float> embedding)
    {
        var best = double.PositiveInfinity;
        for (var c = 0; c < ClassCount; c++)
            best = Math.Min(best, SquaredDistance(embedding, c));
        return best;
    }

    /// <summary>Squared Mahalanobis distance to the mean of class <paramref name="classIndex"/>.</summary>
    public double SquaredDistance(ReadOnlySpan<float> embedding, int classIndex)
    {
        if (embedding.Length != Dimension)
            throw new ArgumentException($"embedding has {embedding.Length} values, expected {Dimension}", nameof(embedding));
        if (classIndex < 0 || classIndex >= ClassCount)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"classes are 0 .. {ClassCount - 1}");
        var mean = Means.Slice(classIndex * Dimension, Dimension);
        // Two d-long scratch vectors per call (d <= 512 here): on the stack, so the per-film gates allocate nothing.
        Span<double> scratch = Dimension <= 1024 ? stackalloc double[2 * Dimension] : new double[2 * Dimension];
        var r = scratch[..Dimension];
        for (var j = 0; j < Dimension; j++)
            r[j] = (double)embedding[j] - mean[j];
        return Cholesky.SquaredNormOfSolve(_factor, r, scratch[Dimension..]);
    }

    /// <summary>covariance[i, j..] += x[i] * x[j..] for j >= i: the upper triangle of x x^T, vectorised by row.</summary>
    private static void AccumulateUpperOuterProduct(double[] covariance, double[] x, int d)
    {
        for (var i = 0; i < d; i++)
        {
            var xi = x[i];
            if (xi == 0)
                continue;
            var target = covariance.AsSpan(i * d + i, d - i);
            var source = x.AsSpan(i, d - i);
            var j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var scale = new Vector<double>(xi);
                var targetVectors = MemoryMarshal.Cast<double, Vector<double>>(target);
                var sourceVectors = MemoryMarshal.Cast<double, Vector<double>>(source);
                for (var v = 0; v < targetVectors.Length; v++)
                    targetVectors[v] += scale * sourceVectors[v];
                j = targetVectors.Length * Vector<double>.Count;
            }
            for (; j < target.Length; j++)
                target[j] += xi * source[j];
        }
    }

    private static float[] ToFloat(double[] values)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
            result[i] = (float)values[i];
        return result;
    }
}
