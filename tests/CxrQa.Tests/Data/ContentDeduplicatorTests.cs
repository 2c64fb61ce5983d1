using CxrQa.Core.Data;

namespace CxrQa.Tests.Data;

public class ContentDeduplicatorTests
{
    private static LabelledImage Image(string path, int label, string sha) =>
        new("/root/" + path, path, label, sha, PatientIdParser.Parse(path));

    [Fact]
    public void Keeps_the_first_copy_by_sorted_path_and_counts_the_rest()
    {
        var result = ContentDeduplicator.Deduplicate([
            Image("PNEUMONIA/b.jpeg", 1, "aa"),
            Image("PNEUMONIA/a.jpeg", 1, "aa"),
            Image("PNEUMONIA/c.jpeg", 1, "aa"),
            Image("NORMAL/x.jpeg", 0, "bb"),
            Image("NORMAL/y.jpeg", 0, "bb"),
            Image("NORMAL/z.jpeg", 0, "cc"),
        ]);
        Assert.Equal(["NORMAL/x.jpeg", "NORMAL/z.jpeg", "PNEUMONIA/a.jpeg"], result.Kept.Select(i => i.RelativePath));
        Assert.Equal(2, result.DuplicateGroups);
        Assert.Equal(3, result.DuplicatesDropped);
        Assert.Equal(0, result.ConflictGroups);
        Assert.Equal(0, result.ConflictsDropped);
    }

    [Fact]
    public void Copies_that_disagree_on_the_label_are_all_dropped()
    {
        var result = ContentDeduplicator.Deduplicate([
            Image("NORMAL/a.jpeg", 0, "aa"),
            Image("PNEUMONIA/a.jpeg", 1, "aa"),
            Image("PNEUMONIA/b.jpeg", 1, "aa"),
            Image("NORMAL/c.jpeg", 0, "cc"),
        ]);
        Assert.Equal(["NORMAL/c.jpeg"], result.Kept.Select(i => i.RelativePath));
        Assert.Equal(1, result.ConflictGroups);
        Assert.Equal(3, result.ConflictsDropped);
        Assert.Equal(0, result.DuplicatesDropped);
    }

    [Fact]
    public void The_result_does_not_depend_on_input_order()
    {
        var images = Enumerable.Range(0, 50).Select(i => Image($"NORMAL/{i:D3}.png", 0, (i % 17).ToString())).ToList();
        var forward = ContentDeduplicator.Deduplicate(images);
        var backward = ContentDeduplicator.Deduplicate(Enumerable.Reverse(images));
        Assert.Equal(forward.Kept, backward.Kept);
        Assert.Equal(17, forward.Kept.Count);
        Assert.Equal(33, forward.DuplicatesDropped);
    }
}
