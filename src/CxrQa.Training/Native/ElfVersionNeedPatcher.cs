using System.Buffers.Binary;
using System.Text;

namespace CxrQa.Training.Native;

/// <summary>
/// Marks one symbol-version requirement of an ELF64 little-endian shared object as weak (VER_FLG_WEAK on its
/// Vernaux entry in the SHT_GNU_verneed section). The dynamic loader then accepts the object even where the
/// providing library lacks that version. Used for TorchSharp's libLibTorchSharp.so, which asks for
/// GLIBCXX_3.4.32 (GCC 13+) for a symbol it never calls, while Debian 12's libstdc++ stops at 3.4.30.
/// Only the two bytes of the matching vna_flags field are ever written.
/// </summary>
public static class ElfVersionNeedPatcher
{
    public const string GlibcxxVersionNeededByTorchSharp = "GLIBCXX_3.4.32";

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;
    private const int ElfHeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int VerneedSize = 16;
    private const int VernauxSize = 16;

    /// <summary>Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="versionName"/>.</summary>
    /// <returns>True when a byte changed; false when the entry was already weak or the object needs no such version.</returns>
    /// <exception cref="InvalidDataException">Not an ELF64 little-endian object, or its tables point outside it.</exception>
    public static bool MarkVersionWeak(Span<byte> elf, string versionName)
    {
        var changed = false;
        foreach (var flagsOffset in FindVernauxFlagOffsets(elf, versionName))
        {
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(elf.Slice(flagsOffset, 2));
            if ((flags & VerFlgWeak) != 0)
                continue;
            BinaryPrimitives.WriteUInt16LittleEndian(elf.Slice(flagsOffset, 2), (ushort)(flags | VerFlgWeak));
            changed = true;
        }
        return changed;
    }

    /// <summary>File offsets of the vna_flags fields of the Vernaux entries named <paramref name="versionName"/>.</summary>
    public static IReadOnlyList<int> FindVernauxFlagOffsets(ReadOnlySpan<byte> elf, string versionName)
    {
        RequireElf64LittleEndian(elf);
        var wanted = Encoding.ASCII.GetBytes(versionName);
        var sectionTable = ToInt(ReadU64(elf, 0x28), elf, "e_shoff");
        var sectionEntrySize = BinaryPrimitives.ReadUInt16LittleEndian(elf.Slice(0x3A, 2));
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf.Slice(0x3C, 2));
        if (sectionCount > 0 && sectionEntrySize < SectionHeaderSize)
            throw new InvalidDataException($"ELF section header entries of {sectionEntrySize} bytes (expected {SectionHeaderSize})");

        var found = new List<int>();
        for (var i = 0; i < sectionCount; i++)
        {
            var header = Slice(elf, sectionTable + i * sectionEntrySize, SectionHeaderSize, "section header");
            if (BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(4, 4)) != ShtGnuVerneed)
                continue;
            var offset = ToInt(BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(24, 8)), elf, "sh_offset");
            var size = ToInt(BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(32, 8)), elf, "sh_size");
            var link = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(40, 4));
            var entryCount = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(44, 4)); // sh_info: number of Verneed entries
            var strings = StringTable(elf, sectionTable, sectionEntrySize, sectionCount, link);
            var section = Slice(elf, offset, size, "SHT_GNU_verneed section");
            WalkVerneed(section, offset, entryCount, strings, wanted, found);
        }
        return found;
    }

    /// <summary>Patches a file in place (through a temporary file and a rename, so a reader never sees half a file).</summary>
    /// <returns>True when the file was rewritten.</returns>
    public static bool MarkVersionWeakInFile(string path, string versionName)
    {
        var bytes = File.ReadAllBytes(path);
        if (!MarkVersionWeak(bytes, versionName))
            return false;
        var temp = path + ".patch-" + Environment.ProcessId + ".tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
        return true;
    }

    private static void WalkVerneed(ReadOnlySpan<byte> section, int sectionOffset, uint entryCount,
        ReadOnlySpan<byte> strings, byte[] wanted, List<int> found)
    {
        var needAt = 0;
        for (var n = 0; n < entryCount; n++)
        {
            var need = Slice(section, needAt, VerneedSize, "Verneed entry");
            var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(need.Slice(2, 2));
            var auxAt = needAt + (int)BinaryPrimitives.ReadUInt32LittleEndian(need.Slice(8, 4));
            for (var a = 0; a < auxCount; a++)
            {
                var aux = Slice(section, auxAt, VernauxSize, "Vernaux entry");
                var name = BinaryPrimitives.ReadUInt32LittleEndian(aux.Slice(8, 4));
                if (CStringEquals(strings, name, wanted))
                    found.Add(sectionOffset + auxAt + 4);
                var nextAux = BinaryPrimitives.ReadUInt32LittleEndian(aux.Slice(12, 4));
                if (nextAux == 0)
                    break;
                auxAt += (int)nextAux;
            }
            var nextNeed = BinaryPrimitives.ReadUInt32LittleEndian(need.Slice(12, 4));
            if (nextNeed == 0)
                break;
            needAt += (int)nextNeed;
        }
    }

    private static ReadOnlySpan<byte> StringTable(ReadOnlySpan<byte> elf, int sectionTable, int entrySize, int count, uint index)
    {
        if (index >= count)
            throw new InvalidDataException($"SHT_GNU_verneed links to section {index}, but there are {count}");
        var header = Slice(elf, sectionTable + (int)index * entrySize, SectionHeaderSize, "string table header");
        var offset = ToInt(BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(24, 8)), elf, "string table offset");
        var size = ToInt(BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(32, 8)), elf, "string table size");
        return Slice(elf, offset, size, "string table");
    }

    private static bool CStringEquals(ReadOnlySpan<byte> strings, uint at, byte[] wanted)
    {
        if (at > strings.Length || strings.Length - at < wanted.Length + 1)
            return false;
        var candidate = strings.Slice((int)at, wanted.Length + 1);
        return candidate[..wanted.Length].SequenceEqual(wanted) && candidate[wanted.Length] == 0;
    }

    private static void RequireElf64LittleEndian(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < ElfHeaderSize || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only ELF64 little-endian objects are supported");
    }

    private static ulong ReadU64(ReadOnlySpan<byte> elf, int at) => BinaryPrimitives.ReadUInt64LittleEndian(elf.Slice(at, 8));

    private static int ToInt(ulong value, ReadOnlySpan<byte> elf, string what) =>
        value <= (ulong)elf.Length ? (int)value : throw new InvalidDataException($"ELF {what} {value} lies beyond the file ({elf.Length} bytes)");

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, int at, int length, string what) =>
        at >= 0 && length >= 0 && at <= data.Length - length
            ? data.Slice(at, length)
            : throw new InvalidDataException($"ELF {what} at {at} (+{length}) lies outside its table ({data.Length} bytes)");
}
