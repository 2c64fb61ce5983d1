using CxrQa.Core.Model;
using CxrQa.Tests.Pipeline;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Model;

/// <summary>ONNX Runtime's optimized graph kept between starts: a second load opens it instead of optimizing again, and
/// answers exactly as a load without a cache does; a damaged entry is made again, an unwritable cache only costs time.</summary>
public sealed class OptimizedGraphCacheTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    private static float[] Input()
    {
        var input = new float[2 * 3 * 224 * 224];
        var random = new Random(5);
        for (var i = 0; i < input.Length; i++)
            input[i] = (float)(random.NextDouble() * 255);
        return input;
    }

    private void AssertSameAnswers(ModelBundle bundle)
    {
        var input = Input();
        var expected = shipped.Model.Run(input, 2);
        var actual = bundle.Run(input, 2);
        Assert.Equal(expected.Logits.ToArray(), actual.Logits.ToArray());
        Assert.Equal(expected.Embedding(1).ToArray(), actual.Embedding(1).ToArray());
        Assert.Equal(shipped.Model.HasDepthFeatures, bundle.HasDepthFeatures);
        Assert.Equal(expected.DepthFeatures, actual.DepthFeatures);
    }

    [Fact]
    public void The_second_load_opens_the_cached_graph_and_answers_the_same()
    {
        using var cache = new TempDirectory();
        var options = new ModelRuntimeOptions { OptimizedGraphCache = cache.Path };
        using (var first = ModelBundle.Load(shipped.Model.Directory, options))
            AssertSameAnswers(first);
        var entries = Directory.GetFiles(cache.Path);
        var entry = Assert.Single(entries);
        Assert.EndsWith(".ort.onnx", entry, StringComparison.Ordinal);
        var written = File.GetLastWriteTimeUtc(entry);

        using (var second = ModelBundle.Load(shipped.Model.Directory, options))
            AssertSameAnswers(second);
        Assert.Equal([entry], Directory.GetFiles(cache.Path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(entry)); // opened, not made again
    }

    [Fact]
    public void A_damaged_entry_is_made_again()
    {
        using var cache = new TempDirectory();
        var options = new ModelRuntimeOptions { OptimizedGraphCache = cache.Path };
        using (ModelBundle.Load(shipped.Model.Directory, options)) { }
        var entry = Assert.Single(Directory.GetFiles(cache.Path));
        File.WriteAllBytes(entry, [1, 2, 3]);

        using (var bundle = ModelBundle.Load(shipped.Model.Directory, options))
            AssertSameAnswers(bundle);
        Assert.True(new FileInfo(entry).Length > 1000);
    }

    [Fact]
    public void A_cache_that_cannot_be_written_only_costs_the_optimization()
    {
        using var folder = new TempDirectory();
        var notADirectory = folder.Write("file", [0]); // a file where the cache folder should be
        using var bundle = ModelBundle.Load(shipped.Model.Directory, new ModelRuntimeOptions { OptimizedGraphCache = Path.Combine(notADirectory, "cache") });
        AssertSameAnswers(bundle);
    }

    [Fact]
    public void Entries_differ_by_graph()
    {
        var cache = new OptimizedGraphCache("/cache");
        Assert.NotEqual(cache.PathFor("a"), cache.PathFor("b"));
        Assert.Equal(cache.PathFor("a"), cache.PathFor("a"));
        Assert.StartsWith("/cache/", cache.PathFor("a"), StringComparison.Ordinal);
    }
}
