using CxrQa.Core.Imaging;
using CxrQa.Core.Quality;

namespace CxrQa.Core.Pipeline;

/// <summary>
/// A film made ready for the network (<see cref="ScreeningService.Prepare"/>): decoded, checked by the quality gate,
/// enhanced and written as the network's input; or the typed error that stopped it. What the network and the trust
/// layer need next is here, so preparing the next films can overlap running the network on these
/// (<see cref="ScreeningService.Infer"/>).
/// </summary>
public sealed class PreparedFilm
{
    private PreparedFilm(FilmInput input, ScreeningError? error, PreparedImage? image)
    {
        Input = input;
        Error = error;
        Image = image;
    }

    public FilmInput Input { get; }

    /// <summary>Why the film could not be prepared (the network does not see it); null when it was.</summary>
    public ScreeningError? Error { get; }

    internal PreparedImage? Image { get; }

    public bool Succeeded => Image is not null;

    internal static PreparedFilm Failed(FilmInput input, ScreeningError error) => new(input, error, null);

    internal static PreparedFilm Ready(FilmInput input, PreparedImage image) => new(input, null, image);
}

/// <summary>The prepared parts of a film: its network input (3 x size x size floats), the quality verdict, what the
/// decoder learned, the input's digest and, when the caller keeps it, the decoded film itself.</summary>
internal sealed record PreparedImage(
    float[] ModelInput,
    QualityAssessment Quality,
    FilmMetadata Metadata,
    string Sha256,
    DecodedFilm? Film);
