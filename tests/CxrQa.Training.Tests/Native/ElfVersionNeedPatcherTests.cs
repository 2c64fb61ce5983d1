using System.Buffers.Binary;
using CxrQa.Training.Native;

namespace CxrQa.Training.Tests.Native;

public sealed class ElfVersionNeedPatcherTests
{
    private const string Version = ElfVersionNeedPatcher.GlibcxxVersionNeededByTorchSharp;

    private static string AsShippedLibrary => Path.Combine(AppContext.BaseDirectory, "fixtures", "libLibTorchSharp.as-shipped.so");

    [Fact]
    public void Synthetic_elf_gets_only_the_named_entry_marked_weak()
    {
        var elf = SyntheticElf.Create([("GLIBCXX_3.4", 0), (Version, 0), ("GLIBCXX_3.4.320", 0)]);
        var original = elf.Bytes.ToArray();

        Assert.True(ElfVersionNeedPatcher.MarkVersionWeak(elf.Bytes, Version));

        Assert.Equal([elf.VernauxFlagOffsets[1]], ElfVersionNeedPatcher.FindVernauxFlagOffsets(elf.Bytes, Version));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(elf.Bytes.AsSpan(elf.VernauxFlagOffsets[1])));
        Assert.Equal([elf.VernauxFlagOffsets[1]], DifferingOffsets(original, elf.Bytes));
    }

    [Fact]
    public void Synthetic_elf_keeps_other_flag_bits_and_is_left_alone_when_already_weak()
    {
        var elf = SyntheticElf.Create([(Version, 0x1)]); // VER_FLG_BASE set: must survive
        Assert.True(ElfVersionNeedPatcher.MarkVersionWeak(elf.Bytes, Version));
        Assert.Equal(0x3, BinaryPrimitives.ReadUInt16LittleEndian(elf.Bytes.AsSpan(elf.VernauxFlagOffsets[0])));

        var once = elf.Bytes.ToArray();
        Assert.False(ElfVersionNeedPatcher.MarkVersionWeak(elf.Bytes, Version));
        Assert.Equal(once, elf.Bytes);
    }

    [Fact]
    public void Object_without_the_version_is_not_changed()
    {
        var elf = SyntheticElf.Create([("GLIBCXX_3.4", 0)]);
        var original = elf.Bytes.ToArray();
        Assert.False(ElfVersionNeedPatcher.MarkVersionWeak(elf.Bytes, Version));
        Assert.Equal(original, elf.Bytes);
    }

    [Fact]
    public void Non_elf_input_is_rejected()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.MarkVersionWeak(new byte[128], Version));
        var truncated = SyntheticElf.Create([(Version, 0)]).Bytes[..100];
        Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.MarkVersionWeak(truncated, Version));
    }

    [Fact]
    public void Shipped_library_patch_changes_only_vna_flags_and_is_idempotent()
    {
        var original = File.ReadAllBytes(AsShippedLibrary);
        var copy = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");
        File.Copy(AsShippedLibrary, copy);
        try
        {
            Assert.True(ElfVersionNeedPatcher.MarkVersionWeakInFile(copy, Version));
            var once = File.ReadAllBytes(copy);

            var flagOffsets = ElfVersionNeedPatcher.FindVernauxFlagOffsets(original, Version);
            Assert.Single(flagOffsets);
            Assert.Equal(original.Length, once.Length);
            Assert.All(DifferingOffsets(original, once), at => Assert.InRange(at, flagOffsets[0], flagOffsets[0] + 1));
            Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(original.AsSpan(flagOffsets[0])) & 2);
            Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(once.AsSpan(flagOffsets[0])) & 2);

            Assert.False(ElfVersionNeedPatcher.MarkVersionWeakInFile(copy, Version));
            Assert.Equal(once, File.ReadAllBytes(copy));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private static List<int> DifferingOffsets(byte[] a, byte[] b) =>
        Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToList();
}
