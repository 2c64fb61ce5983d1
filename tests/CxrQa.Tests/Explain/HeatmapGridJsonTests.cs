using System.Text.Json;
using CxrQa.Core.Explain;

namespace CxrQa.Tests.Explain;

public sealed class HeatmapGridJsonTests
{
    [Fact]
    public void Rows_are_7_by_7_top_first_rounded_to_4_decimals()
    {
        var grid = new float[CamResult.CellCount];
        grid[0] = 0.123456f;
        grid[6] = 1f;
        grid[7] = 0.99996f;
        grid[48] = 0.5f;

        var rows = HeatmapGridJson.ToRows(new CamResult(grid, Empty: false));

        Assert.Equal(7, rows.Length);
        Assert.All(rows, r => Assert.Equal(7, r.Length));
        Assert.Equal(0.1235, rows[0][0]);
        Assert.Equal(1.0, rows[0][6]);
        Assert.Equal(1.0, rows[1][0]);
        Assert.Equal(0.5, rows[6][6]);
        Assert.Equal("[0.1235,0,0,0,0,0,1]", JsonSerializer.Serialize(rows[0]));
    }

    [Fact]
    public void Empty_map_is_all_zeros()
        => Assert.All(HeatmapGridJson.ToRows(CamResult.EmptyMap()), r => Assert.All(r, v => Assert.Equal(0.0, v)));
}
