namespace CxrQa.Core.Learning;

/// <summary>A dense n x d float matrix, row-major: one row of backbone features per film.</summary>
public sealed class FeatureMatrix
{
    public FeatureMatrix(float[] data, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (data.Length != (long)rows * columns)
            throw new ArgumentException($"expected {rows} x {columns} = {(long)rows * columns} values, got {data.Length}", nameof(data));
        Data = data;
        Rows = rows;
        Columns = columns;
    }

    public float[] Data { get; }
    public int Rows { get; }
    public int Columns { get; }

    public ReadOnlySpan<float> Row(int i) => Data.AsSpan(i * Columns, Columns);

    public float this[int row, int column] => Data[row * Columns + column];

    /// <summary>A copy holding the given rows in the given order.</summary>
    public FeatureMatrix SelectRows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var data = new float[rows.Count * Columns];
        for (var r = 0; r < rows.Count; r++) Row(rows[r]).CopyTo(data.AsSpan(r * Columns, Columns));
        return new FeatureMatrix(data, rows.Count, Columns);
    }

    public static FeatureMatrix FromRows(IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("no rows", nameof(rows));
        var columns = rows[0].Length;
        var data = new float[rows.Count * columns];
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r].Length != columns) throw new ArgumentException($"row {r} has {rows[r].Length} values, row 0 has {columns}", nameof(rows));
            rows[r].CopyTo(data, r * columns);
        }
        return new FeatureMatrix(data, rows.Count, columns);
    }
}
