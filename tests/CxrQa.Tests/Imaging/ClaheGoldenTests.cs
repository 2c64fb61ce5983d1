using CxrQa.Core.Imaging;
using Xunit.Abstractions;

namespace CxrQa.Tests.Imaging;

/// <summary>Our CLAHE against OpenCV 4.6's on synthetic films (tools/clahe-golden/make_golden.py).</summary>
public class ClaheGoldenTests(ITestOutputHelper output)
{
    private static readonly string GoldenDir = Path.Combine(AppContext.BaseDirectory, "Golden", "clahe");

    public static TheoryData<string> Cases()
    {
        var names = Directory.GetFiles(GoldenDir, "*.in.png")
            .Select(p => Path.GetFileName(p)[..^".in.png".Length])
            .Order(StringComparer.Ordinal);
        return new TheoryData<string>(names);
    }

    [Fact]
    public void Golden_set_is_present() => Assert.True(Cases().Count >= 10, $"golden pairs missing from {GoldenDir}");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_opencv(string name)
    {
        var input = Read(name + ".in.png");
        var expected = Read(name + ".out.png");
        var actual = Clahe.Apply(input, clipLimit: 2.0, tilesX: 8, tilesY: 8);

        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        int exact = 0, within1 = 0, maxDiff = 0;
        for (var i = 0; i < expected.Pixels.Length; i++)
        {
            var diff = Math.Abs(expected.Pixels[i] - actual.Pixels[i]);
            if (diff == 0) exact++;
            if (diff <= 1) within1++;
            maxDiff = Math.Max(maxDiff, diff);
        }
        double n = expected.Pixels.Length;
        output.WriteLine($"{name}: {input.Width}x{input.Height} exact {exact / n:P3}, within +-1 {within1 / n:P3}, max diff {maxDiff}");
        Assert.True(within1 / n >= 0.999, $"{name}: only {within1 / n:P3} within +-1 (max diff {maxDiff})");
    }

    private static GrayImage Read(string file) => Decoders.Decode(File.ReadAllBytes(Path.Combine(GoldenDir, file))).Image;
}
