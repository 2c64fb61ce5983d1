using System.Security.Cryptography;
using CxrQa.Core.Calibration;
using CxrQa.Core.Errors;
using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Quality;
using CxrQa.Core.Routing;
using CxrQa.Core.Trust;
using CxrQa.Domain;

namespace CxrQa.Core.Pipeline;

/// <summary>
/// The one screening path: bytes -> decode -> preprocess -> network -> calibrate -> route. The CLI and the HTTP
/// server both call this; it has no side effects (persisting a case is the caller's job).
/// </summary>
public sealed class ScreeningService
{
    private readonly FilmDecoder _decoder;
    private readonly FilmPreprocessor _preprocessor;
    private readonly ModelBundle _model;
    private readonly BundleTrust _trust;
    private readonly QualityGate _quality;
    private readonly IReadOnlyList<float[]> _headWeights;
    private readonly ScreeningOptions _options;
    private readonly int _inputLength;
    private readonly DecodeOptions _decodeOptions;

    public ScreeningService(FilmDecoder decoder, ModelBundle model, ScreeningOptions options)
    {
        _decoder = decoder;
        _model = model;
        _options = options;
        _preprocessor = new FilmPreprocessor(PreprocessingFromCard(model.Card.Preprocessing));
        var size = model.Card.Preprocessing.InputSize;
        _inputLength = 3 * size * size;
        _decodeOptions = DecodeOptionsFor(options, size);
        _trust = BundleTrust.Load(model, options.Routing);
        _quality = new QualityGate(options.Quality);
        _headWeights = ModelCam.Heads(model);
        if (_headWeights.Count != model.Members)
            throw new CxrQaException(ErrorCodes.ModelInvalid, "graph.head (or graph.members) is missing: Grad-CAM needs every member's linear head");
        Model = new ModelIdentity(model.Card.Name, model.Card.Version);
    }

    public ModelIdentity Model { get; }

    /// <summary>The service with the standard decoder (our DICOM reader, gdcmconv fallback as configured): what the CLI,
    /// the server and the benchmarks all use.</summary>
    public static ScreeningService Create(ModelBundle model, ScreeningOptions options) =>
        new(new FilmDecoder(new Dicom.DicomFilmReader(options.Dicom)), model, options);

    public FilmPreprocessor Preprocessor => _preprocessor;

    /// <summary>The decoder screening uses (with its DICOM options): what anything else that decodes the same films
    /// should use too.</summary>
    public FilmDecoder Decoder => _decoder;

    /// <summary>How the screening path decodes films (limits, and the reduced-decode target when enabled).</summary>
    public DecodeOptions DecodeOptions => _decodeOptions;

    /// <summary>The screening decode: full size, or reduced towards the network input when
    /// <see cref="ScreeningOptions.ReducedDecodeOversampling"/> is set.</summary>
    public static DecodeOptions DecodeOptionsFor(ScreeningOptions options, int inputSize) => new()
    {
        Limits = options.Limits,
        ShrinkTarget = options.ReducedDecodeOversampling is { } k ? new DecodeTarget(inputSize, inputSize, k) : null,
    };

    /// <summary>Decodes a film exactly as <see cref="Screen"/> does (same decoder, limits and reduced decode).</summary>
    public DecodedFilm Decode(ReadOnlyMemory<byte> bytes) => _decoder.Decode(bytes, _decodeOptions);

    /// <summary>The routing policy in force and, for risk-controlled routing, its certificate.</summary>
    public BundleTrust Trust => _trust;

    /// <summary>The film of a successful outcome at its stored size, for display (overlays at the film's size): the
    /// screening decode itself when it was full size, else the input decoded again at full size.</summary>
    public DecodedFilm FullSizeFilm(ScreeningOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var film = outcome.Film ?? throw new ArgumentException("the outcome has no decoded film (it failed)", nameof(outcome));
        return film.IsReduced ? _decoder.Decode(outcome.Input.Bytes, _options.Limits) : film;
    }

    /// <summary>Screens a batch; outcomes come back in input order, one per input.</summary>
    public IReadOnlyList<ScreeningOutcome> Screen(IReadOnlyList<FilmInput> films, CancellationToken cancellationToken = default)
    {
        var prepared = new PreparedFilm?[films.Count];
        var errors = new ScreeningError?[films.Count];
        var batch = new float[films.Count * _inputLength];

        Parallel.For(0, films.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.DecodeParallelism), CancellationToken = cancellationToken },
            i =>
            {
                try
                {
                    prepared[i] = Prepare(films[i], batch.AsSpan(i * _inputLength, _inputLength));
                }
                catch (CxrQaException e)
                {
                    errors[i] = new ScreeningError(e.Code, e.Message);
                }
            });

        var ok = Enumerable.Range(0, films.Count).Where(i => prepared[i] is not null).ToArray();
        var outputs = ok.Length == 0 ? null : _model.Run(Compact(batch, ok), ok.Length);

        var outcomes = new ScreeningOutcome[films.Count];
        for (var i = 0; i < films.Count; i++)
            outcomes[i] = new ScreeningOutcome(films[i], null, errors[i]);
        for (var k = 0; k < ok.Length; k++)
        {
            var i = ok[k];
            outcomes[i] = new ScreeningOutcome(films[i], Answer(prepared[i]!, outputs!, k), null) { Film = prepared[i]!.Film };
        }
        return outcomes;
    }

    /// <summary>
    /// Screens films whose network input was made by the caller (a decoded film and its enhanced 224 px image, e.g.
    /// the shift benchmark's framing crops and acquisition shifts applied after CLAHE), through the same gates,
    /// network, routing and Grad-CAM as <see cref="Screen"/>. The quality gate reads <paramref name="films"/>' decoded film.
    /// </summary>
    public IReadOnlyList<ScreeningResult> ScreenPrepared(IReadOnlyList<(DecodedFilm Film, GrayImage Enhanced)> films)
    {
        ArgumentNullException.ThrowIfNull(films);
        var batch = new float[films.Count * _inputLength];
        var prepared = new PreparedFilm[films.Count];
        for (var i = 0; i < films.Count; i++)
        {
            _preprocessor.WriteModelInput(films[i].Enhanced, batch.AsSpan(i * _inputLength, _inputLength));
            prepared[i] = new PreparedFilm(films[i].Film, _quality.Assess(films[i].Film), "");
        }
        if (films.Count == 0) return [];
        var outputs = _model.Run(batch, films.Count);
        return Enumerable.Range(0, films.Count).Select(k => Answer(prepared[k], outputs, k)).ToList();
    }

    private PreparedFilm Prepare(FilmInput film, Span<float> destination)
    {
        var decoded = _decoder.Decode(film.Bytes, _decodeOptions);
        var quality = _quality.Assess(decoded);
        var enhanced = _preprocessor.Enhance(decoded.Image);
        _preprocessor.WriteModelInput(enhanced, destination);
        return new PreparedFilm(decoded, quality, Convert.ToHexStringLower(SHA256.HashData(film.Bytes.Span)));
    }

    private ReadOnlySpan<float> Compact(float[] batch, int[] ok)
    {
        if (ok.Length * _inputLength == batch.Length)
            return batch;
        var compact = new float[ok.Length * _inputLength];
        for (var k = 0; k < ok.Length; k++)
            batch.AsSpan(ok[k] * _inputLength, _inputLength).CopyTo(compact.AsSpan(k * _inputLength));
        return compact;
    }

    private ScreeningResult Answer(PreparedFilm film, ModelOutputs outputs, int k)
    {
        var logit = outputs.Logits[k];
        var p = TemperatureScaling.Probability(logit, _model.Card.Temperature);
        var pneumonia = p >= 0.5;
        var confidence = pneumonia ? p : 1 - p;
        // Quality and view problems come first: they say the film itself is unfit, whatever the network thinks of it.
        var reasons = new List<string>(film.Quality.Reasons);
        if (_trust.IsOutOfDistribution(outputs.Embedding(k), out var oodScore))
            reasons.Add(ReasonCodes.OutOfDistribution);
        var signals = _trust.Gates.Measure(outputs, k);
        reasons.AddRange(_trust.Gates.Reasons(signals));
        var policy = _trust.Policy.Route(p);
        reasons.AddRange(policy.Reasons);
        var decision = reasons.Count == 0
            ? new RoutingDecision(CaseStatus.Automated, [])
            : new RoutingDecision(CaseStatus.PendingReview, reasons.Distinct().ToList());
        var target = pneumonia ? TargetClass.Pneumonia : TargetClass.Normal;
        var cam = ModelCam.For(outputs, k, _headWeights, target);
        return new ScreeningResult(
            CaseId: Guid.CreateVersion7().ToString("N"),
            Prediction: (pneumonia ? ScreeningClass.Pneumonia : ScreeningClass.Normal).Name(),
            PneumoniaProbability: p,
            Confidence: confidence,
            Logit: logit,
            Decision: decision,
            InputSha256: film.Sha256,
            Metadata: film.Film.Metadata,
            Model: Model,
            OodScore: oodScore,
            Heatmap: cam,
            Quality: film.Quality.Measurements)
        {
            Signals = signals,
        };
    }

    private static PreprocessingOptions PreprocessingFromCard(PreprocessingCard card) => new()
    {
        InputSize = card.InputSize,
        Clahe = card.Clahe,
        ClaheClipLimit = card.ClaheClipLimit,
        ClaheTiles = card.ClaheTiles,
    };

    private sealed record PreparedFilm(DecodedFilm Film, QualityAssessment Quality, string Sha256);
}
