using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CxrQa.Storage;

/// <summary>
/// Which automated answers are drawn for audit. Decided from a hash of the case id rather than a random draw, so the
/// choice is reproducible (the same case is always in or out for a given fraction), needs no shared generator, and
/// two replicas agree without talking to each other.
/// </summary>
public static class AuditSampling
{
    public static bool IsSampled(string caseId, double fraction)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        if (fraction <= 0)
            return false;
        if (fraction >= 1)
            return true;
        return UnitValue(caseId) < fraction;
    }

    /// <summary>The first 64 bits of SHA-256(case id) as a number in [0, 1).</summary>
    public static double UnitValue(string caseId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(caseId), hash);
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }
}
