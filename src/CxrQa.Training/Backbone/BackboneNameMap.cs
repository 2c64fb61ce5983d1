namespace CxrQa.Training.Backbone;

/// <summary>
/// Maps the CNTK initializer names (Parameter91, Constant98, ...) to <see cref="CxrResNet"/>'s parameter and buffer
/// names. One map serves both directions: loading the pretrained weights and writing trained ones back to ONNX.
/// </summary>
public static class BackboneNameMap
{
    public static IReadOnlyDictionary<string, string> Create(BackboneSpec spec)
    {
        var map = new Dictionary<string, string>();
        AddConv(map, spec.StemConv, "conv1");
        AddBatchNorm(map, spec.StemBn, "bn1");
        for (var s = 0; s < spec.Stages.Count; s++)
            for (var b = 0; b < spec.Stages[s].Count; b++)
            {
                var block = spec.Stages[s][b];
                var prefix = $"layer{s + 1}.{b}";
                AddConv(map, block.Conv1, prefix + ".conv1");
                AddBatchNorm(map, block.Bn1, prefix + ".bn1");
                AddConv(map, block.Conv2, prefix + ".conv2");
                AddBatchNorm(map, block.Bn2, prefix + ".bn2");
                if (block.DownsampleConv is not null)
                    AddConv(map, block.DownsampleConv, prefix + ".downsample.0");
                if (block.DownsampleBn is not null)
                    AddBatchNorm(map, block.DownsampleBn, prefix + ".downsample.1");
            }
        return map;
    }

    private static void AddConv(Dictionary<string, string> map, ConvSpec conv, string module) =>
        map.Add(conv.WeightName, module + ".weight");

    private static void AddBatchNorm(Dictionary<string, string> map, BatchNormSpec bn, string module)
    {
        map.Add(bn.ScaleName, module + ".weight");
        map.Add(bn.BiasName, module + ".bias");
        map.Add(bn.MeanName, module + ".running_mean");
        map.Add(bn.VarianceName, module + ".running_var");
    }
}
