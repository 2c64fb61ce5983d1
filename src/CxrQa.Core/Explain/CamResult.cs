namespace CxrQa.Core.Explain;

/// <summary>A Grad-CAM map on the backbone's 7x7 grid, row-major (row 0 = top of the film).</summary>
/// <param name="Grid">49 values in [0, 1], divided by the map's maximum; all zero when <paramref name="Empty"/>.</param>
/// <param name="Empty">True when no location has positive evidence for the target class (or the map was not
/// finite): there is nothing to highlight, and renderers draw the plain film.</param>
public sealed record CamResult(float[] Grid, bool Empty)
{
    public const int Side = 7;
    public const int CellCount = Side * Side;

    public static CamResult EmptyMap() => new(new float[CellCount], Empty: true);

    public float this[int row, int column] => Grid[row * Side + column];
}
