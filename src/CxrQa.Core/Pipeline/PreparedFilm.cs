using CxrQa.Core.Imaging;
using CxrQa.Core.Quality;

namespace CxrQa.Core.Pipeline;

/// <summary>
/// A film made ready for the network (<see cref="ScreeningService.Prepare"/>): decoded, checked by the quality gate,
/// enhanced and written as the network's input; or the typed error that stopped it. What the network and the trust
/// layer need next is here, so preparing the next films can overlap running the network on these
/// (<see cref="ScreeningService.Infer"/>). A prepared film is screened once: its network input is a pooled buffer
/// that the network's run hands back.
/// </summary>
public sealed class PreparedFilm
{
    private float[]? _modelInput;

    private PreparedFilm(FilmInput input, ScreeningError? error, PreparedImage? image, float[]? modelInput)
    {
        Input = input;
        Error = error;
        Image = image;
        _modelInput = modelInput;
    }

    public FilmInput Input { get; }

    /// <summary>Why the film could not be prepared (the network does not see it); null when it was.</summary>
    public ScreeningError? Error { get; }

    internal PreparedImage? Image { get; }

    public bool Succeeded => Image is not null;

    internal static PreparedFilm Failed(FilmInput input, ScreeningError error) => new(input, error, null, null);

    /// <param name="modelInput">The network input, rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/> (at least
    /// the input's length); <see cref="TakeModelInput"/> passes it on.</param>
    internal static PreparedFilm Ready(FilmInput input, PreparedImage image, float[] modelInput) => new(input, null, image, modelInput);

    /// <summary>The pooled network input, once: the caller returns it to the pool after the run.</summary>
    internal float[] TakeModelInput() =>
        Interlocked.Exchange(ref _modelInput, null) ?? throw new InvalidOperationException("this prepared film was already screened");
}

/// <summary>The prepared parts of a film the answer needs: the quality verdict, what the decoder learned, the input's
/// digest and, when the caller keeps it, the decoded film itself.</summary>
internal sealed record PreparedImage(
    QualityAssessment Quality,
    FilmMetadata Metadata,
    string Sha256,
    DecodedFilm? Film);
