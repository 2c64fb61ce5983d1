using CxrQa.Core.Imaging;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Imaging;

public class FilmPreprocessorTests
{
    private static readonly FilmPreprocessor Preprocessor = new(PreprocessingOptions.Default);

    [Fact]
    public void Enhance_is_resize_then_clahe()
    {
        var film = SyntheticFilms.Chest(640, 512);
        var expected = Clahe.Apply(AreaResize.Resize(film, 224, 224), 2.0, 8, 8);
        Assert.Equal(expected.Pixels, Preprocessor.Enhance(film).Pixels);
    }

    [Fact]
    public void Enhance_without_clahe_only_resizes()
    {
        var film = SyntheticFilms.Chest(640, 512);
        var plain = new FilmPreprocessor(PreprocessingOptions.Default with { Clahe = false, InputSize = 160 });
        Assert.Equal(AreaResize.Resize(film, 160, 160).Pixels, plain.Enhance(film).Pixels);
    }

    [Fact]
    public void Model_input_is_three_identical_planes_of_levels()
    {
        var enhanced = Preprocessor.Enhance(SyntheticFilms.Chest(300, 300));
        var input = new float[3 * 224 * 224];
        Preprocessor.WriteModelInput(enhanced, input);
        for (var c = 0; c < 3; c++)
        for (var i = 0; i < 224 * 224; i++)
            Assert.Equal(enhanced.Pixels[i], input[c * 224 * 224 + i]);
        Assert.Equal(input, Preprocessor.Preprocess(SyntheticFilms.Chest(300, 300)));
    }

    [Fact]
    public void Model_input_rejects_wrong_sizes()
    {
        Assert.Throws<ArgumentException>(() => Preprocessor.WriteModelInput(SyntheticFilms.Blank(100, 100), new float[3 * 224 * 224]));
        Assert.Throws<ArgumentException>(() => Preprocessor.WriteModelInput(SyntheticFilms.Blank(224, 224), new float[224 * 224]));
    }
}
