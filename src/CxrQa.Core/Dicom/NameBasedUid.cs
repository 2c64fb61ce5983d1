using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace CxrQa.Core.Dicom;

/// <summary>
/// UIDs that are a pure function of a name: "2.25." + the decimal of the first 128 bits of SHA-256("cxrqa/" + name),
/// the UUID-derived root of PS3.5 B.2 (at most 44 characters, no leading zeros). The same name always gives the same
/// UID, so an object built twice keeps its identity; distinct names collide with probability ~2^-128.
/// </summary>
internal static class NameBasedUid
{
    public const string Root = "2.25.";

    public static string From(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("cxrqa/" + name));
        var value = new BigInteger(hash.AsSpan(0, 16), isUnsigned: true, isBigEndian: true);
        return Root + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
