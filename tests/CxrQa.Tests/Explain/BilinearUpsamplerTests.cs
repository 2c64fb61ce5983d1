using CxrQa.Core.Explain;

namespace CxrQa.Tests.Explain;

public sealed class BilinearUpsamplerTests
{
    private const int Side = CamResult.Side;

    public static TheoryData<int, int> Sizes => new()
    {
        { 7, 7 }, { 10, 9 }, { 224, 224 }, { 301, 517 }, { 1800, 2100 }, { 3, 2 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Constant_grid_stays_exactly_constant(int width, int height)
    {
        var grid = Enumerable.Repeat(0.37f, Side * Side).ToArray();

        var image = BilinearUpsampler.Upsample(grid, Side, Side, width, height);

        Assert.Equal(width * height, image.Length);
        Assert.All(image, v => Assert.Equal(0.37f, v));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Ramp_across_columns_stays_a_ramp_with_pixel_centre_alignment(int width, int height)
    {
        var grid = new float[Side * Side];
        for (var r = 0; r < Side; r++)
            for (var c = 0; c < Side; c++)
                grid[r * Side + c] = c;

        var image = BilinearUpsampler.Upsample(grid, Side, Side, width, height);

        // Pixel centre x + 0.5 maps to grid coordinate (x + 0.5) * 7 / width - 0.5, flat beyond the outer centres.
        for (var y = 0; y < height; y += Math.Max(1, height / 13))
            for (var x = 0; x < width; x++)
            {
                var expected = Math.Clamp((x + 0.5) * Side / width - 0.5, 0.0, Side - 1);
                Assert.Equal(expected, image[y * width + x], 1e-4);
            }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Ramp_down_rows_stays_a_ramp_with_an_independent_scale(int width, int height)
    {
        var grid = new float[Side * Side];
        for (var r = 0; r < Side; r++)
            for (var c = 0; c < Side; c++)
                grid[r * Side + c] = 2f * r;

        var image = BilinearUpsampler.Upsample(grid, Side, Side, width, height);

        for (var y = 0; y < height; y++)
        {
            var expected = 2.0 * Math.Clamp((y + 0.5) * Side / height - 0.5, 0.0, Side - 1);
            Assert.Equal(expected, image[y * width + width / 2], 1e-4);
        }
    }

    [Theory]
    [InlineData(224, 224)]
    [InlineData(1800, 2100)]
    public void Corners_take_the_grid_corners_when_enlarging(int width, int height)
    {
        var grid = Enumerable.Range(0, Side * Side).Select(i => (float)i).ToArray();

        var image = BilinearUpsampler.Upsample(grid, Side, Side, width, height);

        Assert.Equal(grid[0], image[0]);
        Assert.Equal(grid[Side - 1], image[width - 1]);
        Assert.Equal(grid[(Side - 1) * Side], image[(height - 1) * width]);
        Assert.Equal(grid[Side * Side - 1], image[width * height - 1]);
    }

    [Fact]
    public void Same_size_is_the_identity()
    {
        var grid = Enumerable.Range(0, Side * Side).Select(i => i * 0.1f).ToArray();

        Assert.Equal(grid, BilinearUpsampler.Upsample(grid, Side, Side, Side, Side));
    }

    /// <summary>cv2.resize(grid, (10, 9), interpolation=cv2.INTER_LINEAR) on float32, OpenCV 4.6.</summary>
    [Fact]
    public void Matches_OpenCV_inter_linear()
    {
        var grid = Enumerable.Range(0, Side * Side).Select(i => i * i % 13 / 12f).ToArray();
        double[] opencv =
        [
            0.0000000, 0.0458333, 0.1458333, 0.3208334, 0.6041667, 0.5750000, 0.2875001, 0.8125000, 0.9250000, 0.8333333,
            0.5555556, 0.6319445, 0.5902778, 0.2986111, 0.5847223, 0.5944445, 0.3097222, 0.3680556, 0.3388889, 0.2777778,
            0.5000000, 0.6120371, 0.6458333, 0.4837963, 0.5083333, 0.5634259, 0.6189814, 0.4699074, 0.3958333, 0.3703703,
            0.2870371, 0.3023148, 0.4236111, 0.7282407, 0.4370370, 0.4532407, 0.7888888, 0.6851851, 0.6564814, 0.6666666,
            1.0000000, 0.5875000, 0.3750000, 0.7250000, 0.4791666, 0.2458334, 0.0791667, 0.0208333, 0.0375000, 0.0833333,
            0.4814816, 0.5680556, 0.5694444, 0.3750000, 0.6800926, 0.7870370, 0.6657407, 0.6527777, 0.7148147, 0.7962962,
            0.2870371, 0.5416667, 0.6365740, 0.3189814, 0.4226853, 0.4486113, 0.3726854, 0.4050927, 0.5125001, 0.6296298,
            0.4166667, 0.5083333, 0.5763888, 0.5569445, 0.4111112, 0.3138890, 0.2833335, 0.3611113, 0.3513890, 0.3055556,
            0.7500000, 0.4750000, 0.4375000, 0.9625000, 0.8916667, 0.8333333, 0.8416667, 0.9583333, 0.6625001, 0.2500000,
        ];

        var image = BilinearUpsampler.Upsample(grid, Side, Side, 10, 9);

        for (var i = 0; i < opencv.Length; i++)
            Assert.Equal(opencv[i], image[i], 1e-5);
    }

    [Fact]
    public void Values_of_a_unit_grid_stay_in_the_unit_interval()
    {
        var rng = new Random(5);
        var grid = Enumerable.Range(0, Side * Side).Select(_ => (float)rng.NextDouble()).ToArray();
        grid[10] = 1f;
        grid[11] = 0f;

        var image = BilinearUpsampler.Upsample(grid, Side, Side, 333, 271);

        Assert.All(image, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Wrong_grid_length_is_rejected()
        => Assert.Throws<ArgumentException>(() => BilinearUpsampler.Upsample(new float[48], Side, Side, 10, 10));
}
