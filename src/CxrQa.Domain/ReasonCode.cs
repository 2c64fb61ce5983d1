namespace CxrQa.Domain;

/// <summary>One reason a case went to a radiologist: a value of <see cref="ReasonCodes.All"/> (the stable strings
/// live there, and only there), carried typed between the layers and written under its <see cref="Name"/> on the
/// wire and in the database.</summary>
public readonly record struct ReasonCode
{
    private ReasonCode(string name) => Name = name;

    /// <summary>The wire and database name (<c>low_confidence</c>, ...).</summary>
    public string Name { get; }

    /// <summary>Every code, in the order of <see cref="ReasonCodes.All"/>.</summary>
    public static IReadOnlyList<ReasonCode> All { get; } = [.. ReasonCodes.All.Select(n => new ReasonCode(n))];

    /// <exception cref="FormatException">not one of <see cref="ReasonCodes.All"/>.</exception>
    public static ReasonCode Parse(string name) =>
        TryParse(name, out var code) ? code : throw new FormatException($"unknown reason code '{name}'");

    public static bool TryParse(string? name, out ReasonCode code)
    {
        foreach (var known in All)
        {
            if (string.Equals(known.Name, name, StringComparison.Ordinal))
            {
                code = known;
                return true;
            }
        }
        code = default;
        return false;
    }

    /// <summary>The names of <paramref name="codes"/>, as clients and the database see them.</summary>
    public static IReadOnlyList<string> Names(IEnumerable<ReasonCode> codes) => [.. codes.Select(c => c.Name)];

    public override string ToString() => Name ?? "";
}
