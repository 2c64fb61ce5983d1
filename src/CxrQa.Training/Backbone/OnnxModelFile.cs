using Onnx;

namespace CxrQa.Training.Backbone;

/// <summary>Reads ONNX model files read-only and shared. (OnnxSharp's ParseFromFile opens them for writing and
/// exclusively, which fails whenever two readers meet, e.g. parallel tests.)</summary>
public static class OnnxModelFile
{
    public static ModelProto Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return ModelProto.Parser.ParseFrom(stream);
    }
}
