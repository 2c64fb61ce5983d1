using CxrQa.Core.Dicom;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using CxrQa.Core.Io;
using System.Runtime.Versioning;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Dicom;

/// <summary>gdcmconv's temporaries are full DICOM files (patient header included): they live in a private folder,
/// are created 0600, and are gone when the conversion ends, whatever its outcome.</summary>
[Collection(DicomFiles.ExternalToolCollection)]
public sealed class GdcmTemporariesTests
{
    private static readonly byte[] RleFilm = DicomFiles.Load("other", "D_CLUNIE_CT1_RLE_FRAGS.dcm");

    /// <summary>A stand-in tool that records the modes of its input and output files and their folder, then fails.</summary>
    [UnsupportedOSPlatform("windows")]
    private static string ModeRecordingTool(TempDirectory scratch, string record)
    {
        var script = scratch.Write("fake-gdcmconv.sh", System.Text.Encoding.ASCII.GetBytes(
            $"#!/bin/sh\nstat -c %a \"$2\" \"$3\" \"$(dirname \"$2\")\" > '{record}'\nexit 1\n"));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    [Fact]
    public void A_configured_folder_is_made_0700_and_holds_0600_files_only_while_converting()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var scratch = new TempDirectory();
        var record = Path.Combine(scratch.Path, "modes.txt");
        var folder = Path.Combine(scratch.Path, "data", "gdcm-tmp");
        var reader = new DicomFilmReader(new DicomReaderOptions { GdcmconvPath = ModeRecordingTool(scratch, record), TemporaryDirectory = folder });

        var ex = Assert.Throws<CxrQaException>(() => reader.Read(RleFilm, DecodeLimits.Default));

        Assert.Equal(ErrorCodes.CorruptImage, ex.Code);
        Assert.Equal(["600", "600", "700"], File.ReadAllLines(record));
        Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(folder));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void Without_a_configured_folder_each_conversion_gets_its_own_private_one_under_the_temp_path()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var scratch = new TempDirectory();
        var record = Path.Combine(scratch.Path, "modes.txt");
        var reader = new DicomFilmReader(new DicomReaderOptions { GdcmconvPath = ModeRecordingTool(scratch, record) });
        var before = Directory.GetFileSystemEntries(Path.GetTempPath(), GdcmTemporaries.FilePrefix + "*").Length;

        Assert.Throws<CxrQaException>(() => reader.Read(RleFilm, DecodeLimits.Default));

        Assert.Equal(["600", "600", "700"], File.ReadAllLines(record));
        Assert.Equal(before, Directory.GetFileSystemEntries(Path.GetTempPath(), GdcmTemporaries.FilePrefix + "*").Length);
    }

    [Fact]
    public void Leftovers_older_than_the_grace_are_removed_and_younger_ones_kept()
    {
        using var scratch = new TempDirectory();
        var folder = Path.Combine(scratch.Path, "gdcm-tmp");
        var old = scratch.Write("gdcm-tmp/cxrqa-gdcm-old.in.dcm", [1, 2, 3]);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddMinutes(-5));
        var live = scratch.Write("gdcm-tmp/cxrqa-gdcm-live.in.dcm", [4, 5, 6]);

        Assert.Equal(1, GdcmTemporaries.RemoveLeftovers(folder, TimeSpan.FromMinutes(1)));

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(live));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(folder));
    }

    [Fact]
    public void A_real_conversion_in_a_configured_folder_decodes_and_leaves_it_empty()
    {
        if (!DicomFiles.GdcmInstalled)
            return;
        using var scratch = new TempDirectory();
        var folder = Path.Combine(scratch.Path, "gdcm-tmp");
        var reader = new DicomFilmReader(new DicomReaderOptions { TemporaryDirectory = folder });

        var film = reader.Read(RleFilm, DecodeLimits.Default);

        Assert.Equal((512, 512), (film.Image.Width, film.Image.Height));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }
}
