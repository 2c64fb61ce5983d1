using CxrQa.Core.Data;
using CxrQa.Core.Errors;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Data;

public class LabelledFolderDatasetTests
{
    private static byte[] Jpeg(byte tag) => [0xFF, 0xD8, 0xFF, 0xE0, tag, 1, 2, 3];
    private static byte[] Png(byte tag) => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, tag];
    private static byte[] Dicom(byte tag)
    {
        var b = new byte[140];
        "DICM"u8.CopyTo(b.AsSpan(128));
        b[139] = tag;
        return b;
    }

    [Fact]
    public async Task Scans_both_class_folders_in_any_case_and_at_any_depth()
    {
        using var dir = new TempDirectory();
        dir.Write("normal/IM-0001-0001.jpeg", Jpeg(1));
        dir.Write("normal/deeper/still/NORMAL2-IM-0002-0001.png", Png(2));
        dir.Write("Pneumonia/person5_virus_9.jpeg", Jpeg(3));
        dir.Write("Pneumonia/person5_bacteria_10.dcm", Dicom(4));
        dir.Write("Pneumonia/notes.txt", "not an image"u8.ToArray());
        dir.Write("Pneumonia/.DS_Store", [0, 0, 0, 1]);
        dir.Write("Pneumonia/empty.jpeg", []);
        dir.Write("elsewhere/IM-0009-0001.jpeg", Jpeg(9)); // outside the class folders: not part of the dataset

        var ds = await LabelledFolderDataset.Scan(dir.Path, CancellationToken.None);

        Assert.Equal(7, ds.FilesSeen);
        Assert.Equal(3, ds.NonImagesSkipped);
        Assert.Equal(4, ds.Count);
        Assert.Equal(2, ds.CountOf(BinaryLabel.Normal));
        Assert.Equal(2, ds.CountOf(BinaryLabel.Pneumonia));
        Assert.Equal(3, ds.PatientCount);
        Assert.Equal(
            ["Pneumonia/person5_bacteria_10.dcm", "Pneumonia/person5_virus_9.jpeg", "normal/IM-0001-0001.jpeg", "normal/deeper/still/NORMAL2-IM-0002-0001.png"],
            ds.Images.Select(i => i.RelativePath));
        Assert.Equal(["person:5", "person:5", "im:0001", "normal2:0002"], ds.Images.Select(i => i.PatientId));
        var first = ds.Images[0];
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Dicom(4))), first.Sha256);
        Assert.Equal(Path.Combine(dir.Path, "Pneumonia", "person5_bacteria_10.dcm"), first.Path);
        Assert.Equal(DatasetManifest.Sha256(ds.Manifest), ds.ManifestSha256);
        Assert.Equal(4, ds.Manifest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Drops_copies_and_label_conflicts_and_reports_them()
    {
        using var dir = new TempDirectory();
        dir.Write("NORMAL/a.jpeg", Jpeg(1));
        dir.Write("NORMAL/b.jpeg", Jpeg(1));       // copy of a: dropped
        dir.Write("NORMAL/c.jpeg", Jpeg(2));
        dir.Write("PNEUMONIA/c-copy.jpeg", Jpeg(2)); // same bytes as NORMAL/c, other label: both dropped
        dir.Write("PNEUMONIA/d.jpeg", Jpeg(3));

        var ds = await LabelledFolderDataset.Scan(dir.Path, CancellationToken.None);

        Assert.Equal(["NORMAL/a.jpeg", "PNEUMONIA/d.jpeg"], ds.Images.Select(i => i.RelativePath));
        Assert.Equal(1, ds.Deduplication.DuplicatesDropped);
        Assert.Equal(1, ds.Deduplication.ConflictGroups);
        Assert.Equal(2, ds.Deduplication.ConflictsDropped);
    }

    [Fact]
    public async Task The_manifest_hash_does_not_depend_on_where_the_folder_is()
    {
        using var one = new TempDirectory();
        using var two = new TempDirectory();
        foreach (var d in new[] { one, two })
        {
            d.Write("NORMAL/IM-0001-0001.jpeg", Jpeg(1));
            d.Write("PNEUMONIA/person1_virus_1.jpeg", Jpeg(2));
        }
        var a = await LabelledFolderDataset.Scan(one.Path, CancellationToken.None);
        var b = await LabelledFolderDataset.Scan(two.Path, CancellationToken.None);
        Assert.Equal(a.ManifestSha256, b.ManifestSha256);
    }

    [Fact]
    public async Task A_missing_root_or_class_folder_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        var missing = await Assert.ThrowsAsync<CxrQaException>(() => LabelledFolderDataset.Scan(Path.Combine(dir.Path, "nope"), CancellationToken.None));
        Assert.Equal(ErrorCodes.FileNotFound, missing.Code);

        dir.Write("NORMAL/a.jpeg", Jpeg(1));
        var noPneumonia = await Assert.ThrowsAsync<CxrQaException>(() => LabelledFolderDataset.Scan(dir.Path, CancellationToken.None));
        Assert.Contains("PNEUMONIA", noPneumonia.Message);
    }

    [Fact]
    public async Task Scanning_honours_cancellation()
    {
        using var dir = new TempDirectory();
        dir.Write("NORMAL/a.jpeg", Jpeg(1));
        dir.Write("PNEUMONIA/b.jpeg", Jpeg(2));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LabelledFolderDataset.Scan(dir.Path, cts.Token));
    }
}
