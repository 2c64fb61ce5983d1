using CxrQa.Tests.Support;

namespace CxrQa.Training.Tests.Support;

/// <summary>A few real films from the shared training split, both classes, picked by name so runs agree.</summary>
internal static class SampleFilms
{
    public static IReadOnlyList<string> Paths(int perClass) =>
        new[] { "NORMAL", "PNEUMONIA" }
            .SelectMany(c => Directory.GetFiles(TestData.Path("kermany-224", "train", c)).Order(StringComparer.Ordinal).Take(perClass))
            .ToList();
}
