namespace CxrQa.Core.Model.Quantization;

/// <summary>Scale and zero point of a per-tensor asymmetric uint8 activation (ONNX QuantizeLinear semantics:
/// q = saturate(round_half_even(x / scale) + zero_point), x' = (q - zero_point) * scale).</summary>
public readonly record struct ActivationQuantParams(float Scale, byte ZeroPoint);

/// <summary>
/// Per-tensor asymmetric uint8 quantization of activations. uint8 activations with int8 weights (U8S8) is the
/// combination ONNX Runtime's x86 integer kernels (AVX2, AVX-512 VNNI) are fastest on.
/// </summary>
public static class ActivationQuantization
{
    public const int Levels = 255;

    /// <summary>Parameters covering [min, max], widened to include 0 so that zero (padding, ReLU's floor) is exact.
    /// A tensor that is 0 everywhere gets scale 1.</summary>
    public static ActivationQuantParams FromRange(float min, float max)
    {
        if (!float.IsFinite(min) || !float.IsFinite(max) || min > max)
            throw new ArgumentException($"not a finite range: [{min}, {max}]");
        var lo = Math.Min(min, 0f);
        var hi = Math.Max(max, 0f);
        if (hi - lo <= 0f) return new ActivationQuantParams(1f, 0);
        var scale = (hi - lo) / Levels;
        var zeroPoint = (byte)Math.Clamp(MathF.Round(-lo / scale, MidpointRounding.ToEven), 0, Levels);
        return new ActivationQuantParams(scale, zeroPoint);
    }

    public static byte Quantize(float x, ActivationQuantParams p) =>
        (byte)Math.Clamp(MathF.Round(x / p.Scale, MidpointRounding.ToEven) + p.ZeroPoint, 0, Levels);

    public static float Dequantize(byte q, ActivationQuantParams p) => (q - p.ZeroPoint) * p.Scale;

    /// <summary>The smallest and largest values the parameters represent.</summary>
    public static (float Min, float Max) Representable(ActivationQuantParams p) => (Dequantize(0, p), Dequantize(Levels, p));
}
