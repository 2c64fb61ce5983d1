using CxrQa.Core.Pipeline;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Pipeline;

/// <summary>Screening split in two (prepare, then the network), as the server's pipeline runs it: the same answers as
/// one <see cref="ScreeningService.Screen"/>, and a prepared film screened once.</summary>
public sealed class PreparedFilmTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    private static IReadOnlyList<FilmInput> Films() =>
    [
        new("a.png", TestImageEncoder.Png(SyntheticFilms.Chest(320, 300, seed: 3))),
        new("broken.jpeg", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16 }),
        new("b.png", TestImageEncoder.Png(SyntheticFilms.Chest(256, 256, seed: 7))),
    ];

    [Fact]
    public void Preparing_then_inferring_answers_as_screening_does_in_one_call()
    {
        var films = Films();
        var whole = shipped.Service.Screen(films);
        var split = shipped.Service.Infer(films.Select(f => shipped.Service.Prepare(f, keepFilm: false)).ToList());

        Assert.Equal(whole.Count, split.Count);
        for (var i = 0; i < films.Count; i++)
        {
            Assert.Equal(whole[i].Error, split[i].Error);
            Assert.Equal(whole[i].Result?.Logit, split[i].Result?.Logit);
            Assert.Equal(whole[i].Result?.Decision.Status, split[i].Result?.Decision.Status);
            Assert.Equal(whole[i].Result?.Decision.Reasons ?? [], split[i].Result?.Decision.Reasons ?? []);
            Assert.Equal(whole[i].Result?.InputSha256, split[i].Result?.InputSha256);
        }
        Assert.NotNull(whole[0].Film);
        Assert.Null(split[0].Film); // let go at preparation: the server renders from the stored bytes
        Assert.False(split[1].Succeeded);
    }

    [Fact]
    public void A_prepared_film_is_screened_once()
    {
        var prepared = shipped.Service.Prepare(Films()[0]);
        shipped.Service.Infer([prepared]);
        Assert.Throws<InvalidOperationException>(() => shipped.Service.Infer([prepared]));
    }
}
