using System.Security.Cryptography;

namespace CxrQa.Core.Model;

/// <summary>Lower-case hex SHA-256, the form model cards record digests in.</summary>
public static class Sha256Hex
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static bool AreEqual(string? expected, string actual) =>
        expected is not null && string.Equals(expected.Trim(), actual, StringComparison.OrdinalIgnoreCase);
}
