namespace CxrQa.Domain;

/// <summary>What a radiologist decides a queued film shows.</summary>
public enum ReviewLabel
{
    Normal,
    Pneumonia,
    Unreadable,
}

/// <summary>The wire and database names of <see cref="ReviewLabel"/>; the first two are the
/// <see cref="ScreeningClassNames"/>, so a label and a prediction compare as strings.</summary>
public static class ReviewLabels
{
    public const string Normal = ScreeningClassNames.Normal;
    public const string Pneumonia = ScreeningClassNames.Pneumonia;
    public const string Unreadable = "Unreadable";

    public static IReadOnlyList<string> All { get; } = [Normal, Pneumonia, Unreadable];

    public static string Name(this ReviewLabel label) => label switch
    {
        ReviewLabel.Normal => Normal,
        ReviewLabel.Pneumonia => Pneumonia,
        ReviewLabel.Unreadable => Unreadable,
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "unknown label"),
    };
}
