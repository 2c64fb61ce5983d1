using CxrQa.Core.Imaging;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Imaging;

/// <summary>Real full-resolution Kermany films (grayscale and RGB JPEGs of gray films) from the shared data.</summary>
public class RealFilmDecodeTests
{
    public static TheoryData<string> Films()
    {
        // Five of each label, every 16th file in name order: spread over patients, the same on every machine.
        var root = TestData.Path("kermany-fullres-sample");
        var picked = new[] { "NORMAL", "PNEUMONIA" }.SelectMany(label =>
            Directory.EnumerateFiles(Path.Combine(root, label)).Order(StringComparer.Ordinal)
                .Where((_, i) => i % 16 == 0).Take(5)
                .Select(p => Path.GetRelativePath(root, p)));
        return new TheoryData<string>(picked);
    }

    [Theory]
    [MemberData(nameof(Films))]
    public void Decodes_to_a_gray_film(string relativePath)
    {
        var bytes = File.ReadAllBytes(TestData.Path("kermany-fullres-sample", relativePath));
        var film = Decoders.Decode(bytes);

        Assert.Equal(ImageFormat.Jpeg, film.Metadata.Format);
        Assert.Equal(8, film.Metadata.BitsStored);
        Assert.Contains(film.Metadata.Channels, new[] { 1, 3 });
        Assert.InRange(film.Image.Width, 400, 3000);
        Assert.InRange(film.Image.Height, 300, 3000);
        Assert.InRange(film.Metadata.Colourfulness, 0, 3); // gray films, even when stored as RGB
        var mean = film.Image.Pixels.Average(p => (double)p);
        Assert.InRange(mean, 40, 220);

        var enhanced = new FilmPreprocessor(PreprocessingOptions.Default).Enhance(film.Image);
        Assert.Equal((224, 224), (enhanced.Width, enhanced.Height));
    }
}
