using CxrQa.Core.Model;
using CxrQa.Training.Native;
using Onnx;
using static TorchSharp.torch;

namespace CxrQa.Training.Backbone;

/// <summary>Builds a <see cref="CxrResNet"/> from the ONNX backbone: structure from its nodes, weights and batch-norm
/// statistics from its initializers, mean image from the preprocessing graph.</summary>
public static class PretrainedBackbone
{
    public const string MeanImageInitializer = "MeanImage";

    /// <summary>Loads the backbone copied beside the app (see <see cref="BackboneFiles.Locate()"/>).</summary>
    public static CxrResNet Load() => Load(BackboneFiles.Locate());

    public static CxrResNet Load(BackboneFiles files)
    {
        TorchRuntime.EnsureLoadable();
        var backbone = OnnxModelFile.Read(files.ModelPath);
        var meanImage = ReadMeanImage(files.PreprocessPath);
        var spec = BackboneGraphReader.Read(backbone);
        var model = new CxrResNet(spec, meanImage.Dims[^1]);
        try
        {
            LoadInitializers(model, backbone.Graph.Initializer.Append(Renamed(meanImage, CxrResNet.MeanImageName)), model.OnnxNames);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    /// <summary>Copies ONNX initializers into the module's tensors (names through <paramref name="names"/>,
    /// or as they are when absent from it); shapes must agree.</summary>
    public static void LoadInitializers(CxrResNet model, IEnumerable<TensorProto> initializers, IReadOnlyDictionary<string, string> names)
    {
        var targets = ModuleTensors.ByName(model);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var initializer in initializers)
        {
            var name = names.TryGetValue(initializer.Name, out var mapped) ? mapped : initializer.Name;
            if (!targets.TryGetValue(name, out var target))
                throw new InvalidDataException($"initializer '{initializer.Name}' maps to '{name}', which the model does not have");
            var dims = initializer.Dims.ToArray();
            if (!target.shape.SequenceEqual(dims))
                throw new InvalidDataException($"initializer '{initializer.Name}' is [{string.Join(",", dims)}], '{name}' is [{string.Join(",", target.shape)}]");
            target.copy_(tensor(TensorProtoFloats.Read(initializer), dims));
        }
    }

    /// <summary>The mean image [1,3,S,S] (BGR planes) that ResNetPreprocess.onnx subtracts.</summary>
    public static TensorProto ReadMeanImage(string preprocessPath)
    {
        var graph = OnnxModelFile.Read(preprocessPath).Graph;
        var mean = graph.Initializer.SingleOrDefault(t => t.Name == MeanImageInitializer)
            ?? throw new InvalidDataException($"'{preprocessPath}' has no {MeanImageInitializer} initializer");
        if (mean.Dims.Count != 4 || mean.Dims[0] != 1 || mean.Dims[1] != 3 || mean.Dims[2] != mean.Dims[3])
            throw new InvalidDataException($"{MeanImageInitializer} is [{string.Join(",", mean.Dims)}], expected [1,3,S,S]");
        return mean;
    }

    private static TensorProto Renamed(TensorProto tensor, string name)
    {
        var copy = tensor.Clone();
        copy.Name = name;
        return copy;
    }
}
