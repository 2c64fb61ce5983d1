using CxrQa.Core.Explain;

namespace CxrQa.Tests.Explain;

/// <summary>The deletion masks on synthetic maps: equal areas, the right pixels, block structure, determinism.</summary>
public class DeletionMasksTests
{
    private const int Side = 224;
    private const int Plane = Side * Side;

    public static TheoryData<double> Fractions => new() { 0.0, 0.05, 0.10, 0.20, 0.30, 0.50, 1.0 };

    [Theory]
    [MemberData(nameof(Fractions))]
    public void Guided_and_random_masks_blank_exactly_the_same_area(double fraction)
    {
        var map = BilinearUpsampler.Upsample(RandomGrid(3), CamResult.Side, CamResult.Side, Side, Side);
        var count = DeletionMasks.PixelCount(fraction, Plane);
        Assert.Equal((int)Math.Round(fraction * Plane), count);
        Assert.Equal(count, DeletionMasks.MostSalient(map, count, tieSeed: 1).Count(m => m));
        for (var seed = 0; seed < 5; seed++)
            Assert.Equal(count, DeletionMasks.RandomBlocks(Side, Side, count, 32, new Random(seed)).Count(m => m));
    }

    [Fact]
    public void Guided_mask_takes_the_highest_values()
    {
        var map = BilinearUpsampler.Upsample(RandomGrid(7), CamResult.Side, CamResult.Side, Side, Side);
        var count = DeletionMasks.PixelCount(0.2, Plane);
        var mask = DeletionMasks.MostSalient(map, count, tieSeed: 0);
        var lowestKept = Enumerable.Range(0, Plane).Where(i => mask[i]).Min(i => map[i]);
        var highestLeft = Enumerable.Range(0, Plane).Where(i => !mask[i]).Max(i => map[i]);
        Assert.True(lowestKept >= highestLeft);
    }

    [Fact]
    public void Ties_in_a_flat_map_are_not_filled_from_the_top_rows()
    {
        // A map with one hot cell and zeros elsewhere: the zero-valued remainder must spread over the film.
        var grid = new float[CamResult.CellCount];
        grid[24] = 1; // centre cell
        var map = BilinearUpsampler.Upsample(grid, CamResult.Side, CamResult.Side, Side, Side);
        var mask = DeletionMasks.MostSalient(map, DeletionMasks.PixelCount(0.5, Plane), tieSeed: 3);
        var topHalf = Enumerable.Range(0, Plane / 2).Count(i => mask[i]);
        Assert.InRange(topHalf / (double)mask.Count(m => m), 0.4, 0.6);
    }

    [Fact]
    public void Random_blocks_are_blocks_not_scattered_pixels_and_reproducible()
    {
        var count = DeletionMasks.PixelCount(0.2, Plane);
        var a = DeletionMasks.RandomBlocks(Side, Side, count, 32, new Random(11));
        var b = DeletionMasks.RandomBlocks(Side, Side, count, 32, new Random(11));
        var c = DeletionMasks.RandomBlocks(Side, Side, count, 32, new Random(12));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        // Inside 32x32 blocks nearly every masked pixel has a masked right neighbour; scattered pixels would have ~20 %.
        var withMaskedNeighbour = Enumerable.Range(0, Plane).Count(i => a[i] && i % Side < Side - 1 && a[i + 1]);
        Assert.True(withMaskedNeighbour > 0.9 * count, $"{withMaskedNeighbour} of {count}");
    }

    [Fact]
    public void Random_blocks_reach_the_border_as_often_as_the_centre()
    {
        var hits = new int[Plane];
        var count = DeletionMasks.PixelCount(0.1, Plane);
        for (var seed = 0; seed < 400; seed++)
        {
            var mask = DeletionMasks.RandomBlocks(Side, Side, count, 32, new Random(seed));
            for (var i = 0; i < Plane; i++) if (mask[i]) hits[i]++;
        }
        double Share(Func<int, int, bool> region)
        {
            var pixels = Enumerable.Range(0, Plane).Where(i => region(i % Side, i / Side)).ToList();
            return pixels.Average(i => (double)hits[i]) / 400;
        }
        var border = Share((x, y) => x < 16 || y < 16 || x >= Side - 16 || y >= Side - 16);
        var centre = Share((x, y) => x is >= 96 and < 128 && y is >= 96 and < 128);
        Assert.InRange(border / centre, 0.8, 1.25);
    }

    [Fact]
    public void Blank_sets_masked_pixels_of_every_plane_and_nothing_else()
    {
        var planes = Enumerable.Range(0, 3 * 16).Select(i => (float)i).ToArray();
        var mask = new bool[16];
        mask[0] = mask[5] = mask[15] = true;
        var blanked = DeletionMasks.Blank(planes, mask, -1);
        for (var i = 0; i < planes.Length; i++)
            Assert.Equal(mask[i % 16] ? -1f : planes[i], blanked[i]);
        Assert.Equal(0f, planes[0]); // the input is not modified
        Assert.Equal(7.5f, DeletionMasks.PlaneMean(planes, 16));
    }

    private static float[] RandomGrid(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, CamResult.CellCount).Select(_ => (float)random.NextDouble()).ToArray();
    }
}
