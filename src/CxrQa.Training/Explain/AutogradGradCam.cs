using CxrQa.Core.Explain;
using CxrQa.Training.Backbone;
using static TorchSharp.torch;

namespace CxrQa.Training.Explain;

/// <summary>
/// Reference Grad-CAM by back-propagation, for any stage of a <see cref="CxrResNet"/>. Slow (a full forward with
/// gradients per call) and not for serving: it is the ground truth that the closed-form serving
/// <see cref="GradCam"/> is tested against at layer4, and the way to get a finer map (layer3: 14x14) offline.
/// </summary>
/// <remarks>
/// The stage's output is captured with a forward hook (hooks fire only through <c>module.call</c>); the score is
/// the pneumonia logit (negated for <see cref="TargetClass.Normal"/>); its gradient with respect to the activation
/// comes from <c>torch.autograd.grad</c>, so no parameter's <c>.grad</c> is touched. Channel weights are the spatial
/// mean of that gradient, the map is <c>ReLU(sum_k w_k A_k)</c> accumulated in double, divided by its maximum.
/// </remarks>
public static class AutogradGradCam
{
    /// <summary>The normalised Grad-CAM map, H x W row-major (7x7 at layer4, 14x14 at layer3 for 224 px input).</summary>
    /// <param name="model">The model; run in eval mode (its training flag is restored afterwards).</param>
    /// <param name="input">One image, [1,3,S,S], as <see cref="CxrResNet.forward"/> takes it.</param>
    /// <param name="layer">"layer1" .. "layer4".</param>
    /// <param name="target">Pneumonia explains the logit, Normal the negated logit.</param>
    /// <returns>Cells in [0,1]; all zeros when the map has no positive cell or is not finite (never NaN).</returns>
    public static float[] Compute(CxrResNet model, Tensor input, string layer, TargetClass target)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        if (input.ndim != 4 || input.shape[0] != 1)
            throw new ArgumentException($"expected one image [1,3,S,S], got [{string.Join(",", input.shape)}]", nameof(input));
        var stage = Stage(model, layer);
        var sign = target switch
        {
            TargetClass.Pneumonia => 1.0,
            TargetClass.Normal => -1.0,
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
        };

        var wasTraining = model.training;
        model.eval();
        Tensor? activation = null;
        // The hook's tensor belongs to the model's dispose scope; detach it so it survives forward (we dispose it).
        var handle = stage.register_forward_hook((_, _, output) =>
        {
            activation = output.DetachFromDisposeScope();
            return output;
        });
        try
        {
            using var scope = NewDisposeScope();
            using var grad = enable_grad();
            // A leaf that requires grad: the activation is then in the graph even if every parameter is frozen.
            var x = input.detach().requires_grad_(true);
            var (logit, _, _) = model.call(x);
            if (activation is null)
                throw new InvalidOperationException($"the forward hook on '{layer}' did not fire");
            var score = logit.sum() * sign;
            var gradient = autograd.grad([score], [activation])[0];

            // [1,C,H,W] -> channel weights [C] and the weighted sum over channels [H,W], in double.
            var a = activation.detach().to_type(ScalarType.Float64)[0];
            var weights = gradient.to_type(ScalarType.Float64)[0].mean([1, 2]);
            var map = nn.functional.relu((weights.view(-1, 1, 1) * a).sum(new long[] { 0 })); // not sum(0): a literal 0 binds to sum(ScalarType)
            return Normalise(map.data<double>().ToArray());
        }
        finally
        {
            handle.remove();
            activation?.Dispose();
            if (wasTraining)
                model.train();
        }
    }

    private static TorchSharp.Modules.Sequential Stage(CxrResNet model, string layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.StartsWith("layer", StringComparison.Ordinal)
            && int.TryParse(layer.AsSpan(5), out var number) && number >= 1 && number <= model.Layers.Count)
            return model.Layers[number - 1];
        throw new ArgumentException($"unknown layer '{layer}': expected layer1..layer{model.Layers.Count}", nameof(layer));
    }

    private static float[] Normalise(double[] map)
    {
        var grid = new float[map.Length];
        var max = 0.0;
        foreach (var v in map)
        {
            if (!double.IsFinite(v))
                return grid;
            max = Math.Max(max, v);
        }
        if (max <= 0.0)
            return grid;
        for (var c = 0; c < grid.Length; c++)
            grid[c] = (float)Math.Clamp(map[c] / max, 0.0, 1.0);
        return grid;
    }
}
