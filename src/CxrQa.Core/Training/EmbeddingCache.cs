using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CxrQa.Core.Model;

namespace CxrQa.Core.Training;

/// <summary>
/// Frozen-backbone embeddings keyed by the film's content sha256, so retraining a head (or refitting calibration and
/// the OOD gate) does not re-run the backbone over thousands of films. One file per (backbone, preprocessing) pair:
/// change either and the key changes, so a stale embedding can never be reused.
/// </summary>
public sealed class EmbeddingCache
{
    private static ReadOnlySpan<byte> Magic => "CXRQAEMB"u8;
    private const int FormatVersion = 1;
    private const int Dimension = ModelOutputs.EmbeddingSize;
    private readonly Dictionary<string, float[]> _rows = new(StringComparer.Ordinal);

    private EmbeddingCache(string path) => Path = path;

    public string Path { get; }

    public int Count => _rows.Count;

    public static string FileFor(string directory, string backboneSha256, string preprocessingSignature)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(backboneSha256 + "\n" + preprocessingSignature)));
        return System.IO.Path.Combine(directory, $"embeddings-{key[..16]}.bin");
    }

    /// <summary>Opens the cache file if it exists and is intact; a damaged file is ignored (and later overwritten).</summary>
    public static EmbeddingCache Open(string path)
    {
        var cache = new EmbeddingCache(path);
        if (!File.Exists(path))
            return cache;
        var bytes = File.ReadAllBytes(path);
        const int header = 8 + 4 + 4 + 4;
        const int rowBytes = 32 + Dimension * sizeof(float);
        if (bytes.Length < header || !bytes.AsSpan(0, 8).SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)) != FormatVersion
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)) != Dimension)
            return cache;
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
        if (count < 0 || (long)count * rowBytes != bytes.Length - header)
            return cache;
        for (var r = 0; r < count; r++)
        {
            var row = bytes.AsSpan(header + r * rowBytes, rowBytes);
            var values = new float[Dimension];
            for (var j = 0; j < Dimension; j++)
                values[j] = BinaryPrimitives.ReadSingleLittleEndian(row[(32 + j * 4)..]);
            cache._rows[Convert.ToHexStringLower(row[..32])] = values;
        }
        return cache;
    }

    public bool TryGet(string sha256, out float[] embedding) => _rows.TryGetValue(sha256, out embedding!);

    public void Add(string sha256, ReadOnlySpan<float> embedding)
    {
        if (embedding.Length != Dimension)
            throw new ArgumentException($"expected {Dimension} values", nameof(embedding));
        _rows[sha256] = embedding.ToArray();
    }

    /// <summary>Writes the whole cache atomically (temporary file, then rename).</summary>
    public void Save()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        var temp = Path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            Span<byte> word = stackalloc byte[4];
            stream.Write(Magic);
            foreach (var v in new[] { FormatVersion, Dimension, _rows.Count })
            {
                BinaryPrimitives.WriteInt32LittleEndian(word, v);
                stream.Write(word);
            }
            foreach (var (sha, values) in _rows.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                stream.Write(Convert.FromHexString(sha));
                foreach (var v in values)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(word, v);
                    stream.Write(word);
                }
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, Path, overwrite: true);
    }
}
