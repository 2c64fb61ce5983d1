namespace CxrQa.Domain;

/// <summary>The two classes the network tells apart.</summary>
public enum ScreeningClass
{
    Normal,
    Pneumonia,
}

/// <summary>The wire and database names of <see cref="ScreeningClass"/> ("Normal", "Pneumonia").</summary>
public static class ScreeningClassNames
{
    public const string Normal = "Normal";
    public const string Pneumonia = "Pneumonia";

    public static string Name(this ScreeningClass c) => c switch
    {
        ScreeningClass.Normal => Normal,
        ScreeningClass.Pneumonia => Pneumonia,
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, "unknown class"),
    };

    public static ScreeningClass Parse(string name) => name switch
    {
        Normal => ScreeningClass.Normal,
        Pneumonia => ScreeningClass.Pneumonia,
        _ => throw new FormatException($"unknown class '{name}'"),
    };
}
