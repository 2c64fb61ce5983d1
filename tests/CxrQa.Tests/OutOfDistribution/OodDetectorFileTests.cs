using CxrQa.Core.Errors;
using CxrQa.Core.OutOfDistribution;

namespace CxrQa.Tests.OutOfDistribution;

public sealed class OodDetectorFileTests
{
    private static MahalanobisDetector Detector(int d = 12)
    {
        var world = new GaussianEmbeddings(d, seed: 21);
        var (rows, labels) = world.Draw(400);
        return MahalanobisDetector.Fit(rows, d, labels);
    }

    private static byte[] Bytes(MahalanobisDetector detector)
    {
        using var stream = new MemoryStream();
        OodDetectorFile.Save(detector, stream);
        return stream.ToArray();
    }

    [Fact]
    public void Round_trip_is_exact()
    {
        var detector = Detector();
        var bytes = Bytes(detector);
        Assert.Equal(OodDetectorFile.ExpectedLength(12, 2), bytes.Length);

        var loaded = OodDetectorFile.Load(new MemoryStream(bytes));
        Assert.Equal(detector.Dimension, loaded.Dimension);
        Assert.Equal(detector.ClassCount, loaded.ClassCount);
        Assert.Equal(detector.Shrinkage, loaded.Shrinkage);
        Assert.True(detector.Means.SequenceEqual(loaded.Means));
        Assert.True(detector.CholeskyFactor.SequenceEqual(loaded.CholeskyFactor));
        Assert.Equal(bytes, Bytes(loaded));

        var probe = new GaussianEmbeddings(12, seed: 22).Draw(20, shift: 0.5).Rows;
        Assert.Equal(GaussianEmbeddings.Scores(detector, probe), GaussianEmbeddings.Scores(loaded, probe));
    }

    [Fact]
    public void Round_trip_through_a_file()
    {
        var detector = Detector();
        var path = Path.Combine(Path.GetTempPath(), $"ood-{Guid.NewGuid():N}.bin");
        try
        {
            OodDetectorFile.Save(detector, path);
            Assert.Equal(Bytes(detector), Bytes(OodDetectorFile.Load(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_real_size_is_about_half_a_megabyte()
    {
        Assert.InRange(OodDetectorFile.ExpectedLength(512, 2), 520_000, 540_000);
    }

    public static TheoryData<string> Corruptions() => ["truncated", "trailing", "magic", "version", "dimension", "diagonal", "nan", "empty"];

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Refuses_damaged_files(string corruption)
    {
        var bytes = Bytes(Detector());
        var d = 12;
        var factorStart = OodDetectorFile.HeaderLength + 4 * 2 * d;
        var damaged = corruption switch
        {
            "truncated" => bytes[..^4],
            "trailing" => [.. bytes, 0],
            "magic" => Patched(bytes, 0, 0x58),
            "version" => Patched(bytes, 8, 2),
            "dimension" => Patched(bytes, 12, 13),
            "diagonal" => PatchedFloat(bytes, factorStart, -1f),
            "nan" => PatchedFloat(bytes, OodDetectorFile.HeaderLength, float.NaN),
            "empty" => [],
            _ => throw new ArgumentOutOfRangeException(nameof(corruption)),
        };
        var e = Assert.Throws<CxrQaException>(() => OodDetectorFile.Load(new MemoryStream(damaged)));
        Assert.Equal(ErrorCodes.ModelInvalid, e.Code);

        // The same damage through a stream that cannot seek is caught by the read itself.
        var unseekable = Assert.Throws<CxrQaException>(() => OodDetectorFile.Load(new ForwardOnlyStream(damaged)));
        Assert.Equal(ErrorCodes.ModelInvalid, unseekable.Code);
    }

    private static byte[] Patched(byte[] bytes, int offset, byte value)
    {
        var copy = bytes.ToArray();
        copy[offset] = value;
        return copy;
    }

    private static byte[] PatchedFloat(byte[] bytes, int offset, float value)
    {
        var copy = bytes.ToArray();
        BitConverter.TryWriteBytes(copy.AsSpan(offset), value);
        return copy;
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
