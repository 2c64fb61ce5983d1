namespace CxrQa.Core.Model;

/// <summary>A serialized ONNX ModelProto, ready for <c>new InferenceSession(byte[])</c> or a file.</summary>
public sealed class OnnxGraph(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    /// <summary>Lower-case hex SHA-256 of <see cref="Bytes"/> (what <c>graph.file_sha256</c> records).</summary>
    public string ComputeSha256() => Sha256Hex.Of(Bytes);

    public void WriteTo(string path) => File.WriteAllBytes(path, Bytes);
}
