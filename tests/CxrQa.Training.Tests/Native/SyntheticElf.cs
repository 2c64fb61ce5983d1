using System.Buffers.Binary;
using System.Text;

namespace CxrQa.Training.Tests.Native;

/// <summary>
/// Builds the smallest ELF64 LE object the patcher reads: header, .dynstr, .gnu.version_r with one Verneed
/// (libstdc++.so.6) and its Vernaux entries, and a section header table (null, dynstr, verneed).
/// </summary>
internal static class SyntheticElf
{
    public sealed record Built(byte[] Bytes, IReadOnlyList<int> VernauxFlagOffsets);

    public static Built Create(IReadOnlyList<(string Name, ushort Flags)> versions)
    {
        var strings = new MemoryStream();
        strings.WriteByte(0);
        int AddString(string s)
        {
            var at = (int)strings.Length;
            strings.Write(Encoding.ASCII.GetBytes(s));
            strings.WriteByte(0);
            return at;
        }
        var fileName = AddString("libstdc++.so.6");
        var names = versions.Select(v => AddString(v.Name)).ToArray();
        var dynstr = strings.ToArray();

        const int headerSize = 64;
        var dynstrOffset = headerSize;
        var verneedOffset = Align(dynstrOffset + dynstr.Length, 8);
        var verneedSize = 16 + 16 * versions.Count;
        var sectionTable = Align(verneedOffset + verneedSize, 8);
        var bytes = new byte[sectionTable + 3 * 64];

        "\u007fELF"u8.CopyTo(bytes);
        bytes[4] = 2; bytes[5] = 1; bytes[6] = 1; // ELFCLASS64, ELFDATA2LSB, EV_CURRENT
        W16(bytes, 0x10, 3); // ET_DYN
        W16(bytes, 0x12, 62); // EM_X86_64
        W64(bytes, 0x28, (ulong)sectionTable);
        W16(bytes, 0x34, headerSize);
        W16(bytes, 0x3A, 64);
        W16(bytes, 0x3C, 3);

        dynstr.CopyTo(bytes, dynstrOffset);

        W16(bytes, verneedOffset, 1); // vn_version
        W16(bytes, verneedOffset + 2, (ushort)versions.Count);
        W32(bytes, verneedOffset + 4, (uint)fileName);
        W32(bytes, verneedOffset + 8, 16); // vn_aux
        var flagOffsets = new List<int>();
        for (var i = 0; i < versions.Count; i++)
        {
            var aux = verneedOffset + 16 + 16 * i;
            W32(bytes, aux, 0x0b792650u + (uint)i); // vna_hash: any value, the patcher matches names
            W16(bytes, aux + 4, versions[i].Flags);
            W16(bytes, aux + 6, (ushort)(2 + i)); // vna_other
            W32(bytes, aux + 8, (uint)names[i]);
            W32(bytes, aux + 12, i == versions.Count - 1 ? 0u : 16u);
            flagOffsets.Add(aux + 4);
        }

        WriteSection(bytes, sectionTable + 64, type: 3, offset: dynstrOffset, size: dynstr.Length, link: 0, info: 0);
        WriteSection(bytes, sectionTable + 128, type: 0x6ffffffe, offset: verneedOffset, size: verneedSize, link: 1, info: 1);
        return new Built(bytes, flagOffsets);
    }

    private static void WriteSection(byte[] b, int at, uint type, int offset, int size, uint link, uint info)
    {
        W32(b, at + 4, type);
        W64(b, at + 24, (ulong)offset);
        W64(b, at + 32, (ulong)size);
        W32(b, at + 40, link);
        W32(b, at + 44, info);
        W64(b, at + 48, 8);
    }

    private static int Align(int value, int to) => (value + to - 1) / to * to;
    private static void W16(byte[] b, int at, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
    private static void W32(byte[] b, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
    private static void W64(byte[] b, int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), v);
}
