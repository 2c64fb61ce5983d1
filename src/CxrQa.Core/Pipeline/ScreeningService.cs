using System.Buffers;
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

    /// <summary>Screens a batch; outcomes come back in input order, one per input: the films are prepared in
    /// parallel (<see cref="Prepare"/>), then the network runs them as one batch (<see cref="Infer"/>).</summary>
    public IReadOnlyList<ScreeningOutcome> Screen(IReadOnlyList<FilmInput> films, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(films);
        var prepared = new PreparedFilm[films.Count];
        Parallel.For(0, films.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.DecodeParallelism), CancellationToken = cancellationToken },
            i => prepared[i] = Prepare(films[i]));
        return Infer(prepared);
    }

    /// <summary>
    /// Decodes a film, checks it (quality and view), enhances it and writes the network's input: the part of screening
    /// that runs per film and can overlap the network's run on other films. A film that cannot be read comes back with
    /// its typed error instead of throwing. <paramref name="keepFilm"/> false lets the decoded film go at once (a
    /// server that renders previews from the stored bytes has no use for it, and a 49 MP film is 49 MB).
    /// </summary>
    public PreparedFilm Prepare(FilmInput film, bool keepFilm = true)
    {
        ArgumentNullException.ThrowIfNull(film);
        try
        {
            var decoded = _decoder.Decode(film.Bytes, _decodeOptions);
            var quality = _quality.Assess(decoded);
            var enhanced = _preprocessor.Enhance(decoded.Image);
            var modelInput = ArrayPool<float>.Shared.Rent(_inputLength);
            _preprocessor.WriteModelInput(enhanced, modelInput.AsSpan(0, _inputLength));
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(film.Bytes.Span));
            return PreparedFilm.Ready(film, new PreparedImage(quality, decoded.Metadata, sha256, keepFilm ? decoded : null), modelInput);
        }
        catch (CxrQaException e)
        {
            return PreparedFilm.Failed(film, new ScreeningError(e.Code, e.Message));
        }
    }

    /// <summary>Runs the network once over the prepared films and answers each (calibrate, gates, route, Grad-CAM);
    /// outcomes come back in input order, one per film, failed preparations with their error.</summary>
    public IReadOnlyList<ScreeningOutcome> Infer(IReadOnlyList<PreparedFilm> films)
    {
        ArgumentNullException.ThrowIfNull(films);
        var ok = Enumerable.Range(0, films.Count).Where(i => films[i].Succeeded).ToArray();
        var outputs = ok.Length == 0 ? null : Run(ok.Select(i => films[i].TakeModelInput()).ToList());
        var outcomes = new ScreeningOutcome[films.Count];
        for (var i = 0; i < films.Count; i++)
            outcomes[i] = new ScreeningOutcome(films[i].Input, null, films[i].Error);
        for (var k = 0; k < ok.Length; k++)
        {
            var image = films[ok[k]].Image!;
            outcomes[ok[k]] = new ScreeningOutcome(films[ok[k]].Input, Answer(image, outputs!, k), null) { Film = image.Film };
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
        if (films.Count == 0) return [];
        var prepared = new PreparedImage[films.Count];
        var inputs = new float[films.Count][];
        for (var i = 0; i < films.Count; i++)
        {
            inputs[i] = ArrayPool<float>.Shared.Rent(_inputLength);
            _preprocessor.WriteModelInput(films[i].Enhanced, inputs[i].AsSpan(0, _inputLength));
            prepared[i] = new PreparedImage(_quality.Assess(films[i].Film), films[i].Film.Metadata, "", films[i].Film);
        }
        var outputs = Run(inputs);
        return Enumerable.Range(0, films.Count).Select(k => Answer(prepared[k], outputs, k)).ToList();
    }

    /// <summary>Runs the network on pooled network inputs (one per film) and hands them, and the pooled batch they are
    /// copied into, back to the pool: a batch of eight is 4.8 MB, and fresh arrays of that size cost page faults and
    /// collections on every run (measured in docs/benchmarks.md, server profile).</summary>
    private ModelOutputs Run(IReadOnlyList<float[]> inputs)
    {
        var length = inputs.Count * _inputLength;
        var batch = ArrayPool<float>.Shared.Rent(length);
        try
        {
            for (var k = 0; k < inputs.Count; k++)
                inputs[k].AsSpan(0, _inputLength).CopyTo(batch.AsSpan(k * _inputLength));
            return _model.Run(batch.AsSpan(0, length), inputs.Count);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(batch);
            foreach (var input in inputs)
                ArrayPool<float>.Shared.Return(input);
        }
    }

    private ScreeningResult Answer(PreparedImage film, ModelOutputs outputs, int k)
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
            Metadata: film.Metadata,
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
}
