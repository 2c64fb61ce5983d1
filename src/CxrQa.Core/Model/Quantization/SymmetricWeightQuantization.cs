namespace CxrQa.Core.Model.Quantization;

/// <summary>int8 weights with one scale per output channel (zero point 0), and the int32 bias that goes with them.</summary>
public sealed record PerChannelWeights(sbyte[] Values, float[] Scales);

/// <summary>
/// Per-channel symmetric int8 quantization of convolution weights: channel c (the first axis) gets scale
/// max|W_c| / 127 and values in [-127, 127]. The range is symmetric (-128 unused) so that a product of two
/// weights never overflows the 16-bit intermediate sums of AVX2's u8 x s8 instructions.
/// </summary>
public static class SymmetricWeightQuantization
{
    public const int MaxLevel = 127;

    public static PerChannelWeights Quantize(ReadOnlySpan<float> weights, int channels)
    {
        if (channels < 1 || weights.Length % channels != 0)
            throw new ArgumentException($"{weights.Length} weights do not split into {channels} channels");
        var perChannel = weights.Length / channels;
        var values = new sbyte[weights.Length];
        var scales = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var channel = weights.Slice(c * perChannel, perChannel);
            var maxAbs = 0f;
            foreach (var w in channel)
            {
                if (!float.IsFinite(w)) throw new ArgumentException($"channel {c} holds a non-finite weight");
                maxAbs = Math.Max(maxAbs, MathF.Abs(w));
            }
            // An all-zero channel quantizes to zeros with any scale; 1 keeps the bias scale meaningful.
            var scale = maxAbs > 0f ? maxAbs / MaxLevel : 1f;
            scales[c] = scale;
            for (var i = 0; i < perChannel; i++)
                values[c * perChannel + i] = (sbyte)Math.Clamp(MathF.Round(channel[i] / scale, MidpointRounding.ToEven), -MaxLevel, MaxLevel);
        }
        return new PerChannelWeights(values, scales);
    }

    /// <summary>int32 bias for an integer convolution: scale input_scale * weight_scale[c], zero point 0 (what
    /// QLinearConv adds to its int32 accumulators).</summary>
    public static int[] QuantizeBias(ReadOnlySpan<float> bias, float inputScale, ReadOnlySpan<float> weightScales)
    {
        if (bias.Length != weightScales.Length)
            throw new ArgumentException($"{bias.Length} biases for {weightScales.Length} channels");
        var values = new int[bias.Length];
        for (var c = 0; c < bias.Length; c++)
        {
            var q = Math.Round((double)bias[c] / BiasScale(inputScale, weightScales[c]), MidpointRounding.ToEven);
            values[c] = (int)Math.Clamp(q, int.MinValue, int.MaxValue);
        }
        return values;
    }

    public static float BiasScale(float inputScale, float weightScale) => inputScale * weightScale;
}
