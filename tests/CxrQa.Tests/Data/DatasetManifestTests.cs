using CxrQa.Core.Data;

namespace CxrQa.Tests.Data;

public class DatasetManifestTests
{
    [Fact]
    public void Lines_are_hash_label_path_sorted_and_newline_terminated()
    {
        var text = DatasetManifest.Text([
            new LabelledImage("/r/PNEUMONIA/p.jpeg", "PNEUMONIA/p.jpeg", 1, "BB", "person:1"),
            new LabelledImage("/r/NORMAL/n.jpeg", "NORMAL/n.jpeg", 0, "aa", "file:NORMAL/n"),
        ]);
        Assert.Equal("aa\t0\tNORMAL/n.jpeg\nbb\t1\tPNEUMONIA/p.jpeg\n", text);
    }

    [Fact]
    public void The_hash_is_the_sha256_of_the_text_and_ignores_order()
    {
        var a = new LabelledImage("/x/NORMAL/a.png", "NORMAL/a.png", 0, "01", "file:NORMAL/a");
        var b = new LabelledImage("/y/NORMAL/b.png", "NORMAL/b.png", 0, "02", "file:NORMAL/b");
        var h1 = DatasetManifest.Sha256(DatasetManifest.Text([a, b]));
        var h2 = DatasetManifest.Sha256(DatasetManifest.Text([b, a]));
        Assert.Equal(h1, h2);
        Assert.Equal(64, h1.Length);
        // SHA-256 of the empty string: pins the encoding and the hex case.
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", DatasetManifest.Sha256(""));
        // A relabelled film changes the hash.
        Assert.NotEqual(h1, DatasetManifest.Sha256(DatasetManifest.Text([a with { Label = 1 }, b])));
    }
}
