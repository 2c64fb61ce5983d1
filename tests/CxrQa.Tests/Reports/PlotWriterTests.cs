using CxrQa.Cli.Reports;
using CxrQa.Core.Evaluation;
using CxrQa.Tests.Evaluation;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Reports;

public class PlotWriterTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static void AssertPng(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(PngSignature, bytes.Take(8));
        // IHDR follows the signature: width and height, big-endian.
        Assert.Equal(width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(height, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
        // A blank canvas compresses to a few hundred bytes; axes, text and a curve take far more.
        Assert.True(bytes.Length > 10_000, $"{path} is only {bytes.Length} bytes");
    }

    [Fact]
    public void Writes_a_roc_png()
    {
        using var dir = new TempDirectory();
        var (s, y) = AucTests.Random(1);
        var path = Path.Combine(dir.Path, "sub", "roc.png");
        PlotWriter.Roc(path, RocCurve.Compute(s, y), "test");
        AssertPng(path, PlotWriter.DefaultWidth, PlotWriter.DefaultHeight);
    }

    [Fact]
    public void Writes_a_reliability_png()
    {
        using var dir = new TempDirectory();
        var (s, y) = AucTests.Random(2);
        var path = Path.Combine(dir.Path, "reliability.png");
        PlotWriter.Reliability(path, ReliabilityBins.Compute(s, y), width: 800, height: 500);
        AssertPng(path, 800, 500);
    }
}
