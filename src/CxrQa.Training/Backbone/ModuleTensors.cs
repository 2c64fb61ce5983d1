using static TorchSharp.torch;

namespace CxrQa.Training.Backbone;

/// <summary>A module's parameters and buffers by name: the live tensors, not copies, so writes reach the module.</summary>
internal static class ModuleTensors
{
    public static Dictionary<string, Tensor> ByName(nn.Module module)
    {
        var all = new Dictionary<string, Tensor>();
        foreach (var (name, parameter) in module.named_parameters())
            all[name] = parameter;
        foreach (var (name, buffer) in module.named_buffers())
            all[name] = buffer;
        return all;
    }
}
