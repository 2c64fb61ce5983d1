namespace CxrQa.Core.Explain;

/// <summary>The CAM as the JSON field <c>heatmap_grid</c>: 7 rows (top first) of 7 values in [0, 1].</summary>
public static class HeatmapGridJson
{
    /// <summary>4 decimals: finer than any colour step a client can draw, and it keeps the JSON short.</summary>
    public const int Decimals = 4;

    public static double[][] ToRows(CamResult cam)
    {
        ArgumentNullException.ThrowIfNull(cam);
        BilinearUpsampler.CheckGrid(cam.Grid, CamResult.Side, CamResult.Side);
        var rows = new double[CamResult.Side][];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r] = new double[CamResult.Side];
            for (var c = 0; c < CamResult.Side; c++)
                rows[r][c] = Math.Round((double)cam[r, c], Decimals, MidpointRounding.AwayFromZero);
        }
        return rows;
    }
}
