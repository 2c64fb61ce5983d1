namespace CxrQa.Core.Monitoring;

/// <summary>
/// Per-film values of named signals measured on the calibration reference (one column per signal, one row per film).
/// The drift monitor is built over whatever columns a bundle provides, so a new per-film score plugs in by name.
/// </summary>
public sealed class ReferenceTable
{
    private readonly Dictionary<string, double[]> _columns;

    public ReferenceTable(IReadOnlyDictionary<string, double[]> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
            throw new ArgumentException("a reference needs at least one signal", nameof(columns));
        var lengths = columns.Values.Select(c => c.Length).Distinct().ToArray();
        if (lengths.Length != 1 || lengths[0] == 0)
            throw new ArgumentException("every reference column must hold one value per film, for the same films", nameof(columns));
        _columns = columns.ToDictionary(c => c.Key, c => (double[])c.Value.Clone(), StringComparer.Ordinal);
        Rows = lengths[0];
    }

    public int Rows { get; }

    public IEnumerable<string> Names => _columns.Keys.Order(StringComparer.Ordinal);

    public IReadOnlyList<double> Column(string name) => _columns[name];

    public bool Has(string name) => _columns.ContainsKey(name);

    /// <summary>The films at <paramref name="rows"/>, as a new table (the simulation's pseudo-references).</summary>
    public ReferenceTable Select(IReadOnlyList<int> rows) =>
        new(_columns.ToDictionary(c => c.Key, c => rows.Select(r => c.Value[r]).ToArray(), StringComparer.Ordinal));

    /// <summary>One film's values by signal name, as the live stream supplies them.</summary>
    public Dictionary<string, double> Row(int row) =>
        _columns.ToDictionary(c => c.Key, c => c.Value[row], StringComparer.Ordinal);
}
