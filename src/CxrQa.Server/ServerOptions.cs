using CxrQa.Core.Model;

namespace CxrQa.Server;

/// <summary>Server settings, bound from the configuration section "CxrQa" (appsettings, CxrQa__X environment
/// variables, or --CxrQa:X=... on the command line).</summary>
public sealed class ServerOptions
{
    public const string Section = "CxrQa";

    /// <summary>Where the state lives (cases/, cxrqa.db). Also --data-dir or CXRQA_DATA_DIR; default ./data.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Private folder (0700) for gdcmconv's temporary DICOM files (0600), which carry patient headers; leftovers
    /// of a killed conversion are removed there at start-up. Default: <c>&lt;data&gt;/gdcm-tmp</c>.</summary>
    public string? GdcmTemporaryDirectory { get; set; }

    /// <summary>Model bundle directory; default CXRQA_MODEL, else the bundle shipped in the build output.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>Where the server keeps what it derives from the bundle and reuses on the next start: ONNX Runtime's
    /// optimized graph (keyed by graph, runtime version and CPU) and the drift threshold simulation's result (keyed by
    /// reference and options), which take most of a cold start. Null (default):
    /// <c>$XDG_CACHE_HOME/cxrqa</c> or <c>~/.cache/cxrqa</c>; empty: no cache.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>The cache folder in force: <see cref="CacheDirectory"/>, its default, or null for none.</summary>
    public string? CacheRoot() => CacheDirectory switch
    {
        null => Core.Model.OptimizedGraphCache.DefaultRoot(),
        "" => null,
        var set => set,
    };

    /// <summary>Largest request body and largest single film, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest film in pixels, checked from the header before decoding.</summary>
    public long MaxPixels { get; set; } = 50_000_000;

    /// <summary>Films accepted in one multipart request.</summary>
    public int MaxFilesPerRequest { get; set; } = 16;

    /// <summary>How long a request may wait for its answer (queueing plus inference).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests that may wait for the inference worker; beyond it the server answers 503 with Retry-After.</summary>
    public int InferenceQueueCapacity { get; set; } = 32;

    /// <summary>Requests of one API key that may wait for the inference worker (the requests without a key count as one
    /// client); beyond it that key gets 503 queue_full while other keys still get in. Default: half of
    /// <see cref="InferenceQueueCapacity"/>.</summary>
    public int? InferenceQueueCapacityPerKey { get; set; }

    /// <summary>Pixels (as film headers declare them) decoded at once by the preparation workers, over all clients; one
    /// larger film may decode beside them, never two. Together with fair queueing between API keys it keeps one request
    /// of huge films from holding the server and from decoding them all at once (issue 16: 16 films of 49 MP took 4.3 s
    /// and 1.8 GB). The configuration name is kept from when it bounded one inference batch.</summary>
    public long InferenceBatchPixels { get; set; } = 16_000_000;

    /// <summary>Films decoded and prepared at once while the network runs earlier ones (one API key uses at most all
    /// but one of them). Null (default): processor count + 1, so preparation keeps up with the network.</summary>
    public int? PreparationWorkers { get; set; }

    /// <summary>Seconds suggested in Retry-After when the queue is full.</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>Require a submitter (or admin) API key for /predict and any key for /cases/*. Null (default): required
    /// unless every listening address is loopback.</summary>
    public bool? RequireKeyForPredict { get; set; }

    /// <summary>Case folders without a row younger than this are left alone at start-up (another replica sharing the
    /// data directory may be about to commit them). Default: 0 on SQLite, 10 minutes on PostgreSQL.</summary>
    public TimeSpan? OrphanGracePeriod { get; set; }

    /// <summary>Let ONNX Runtime's intra-op threads spin while idle (ModelRuntimeOptions.AllowSpinning). Off by default in
    /// the server: its cores also decode films, parse uploads and fsync cases, and spinning threads take them away
    /// (measured in docs/benchmarks.md, server benchmark).</summary>
    public bool OrtAllowSpinning { get; set; } = ModelRuntimeOptions.ServerAllowsSpinning;

    /// <summary>Decode large JPEGs reduced (1/2, 1/4 or 1/8, keeping at least 2x the network input) on the screening
    /// path (ScreeningOptions.ReducedDecodeOversampling = 2); false decodes every film at full size. Overlays and
    /// previews always decode at full size. Effect on answers: docs/decisions.md.</summary>
    public bool ReducedJpegDecode { get; set; } = true;

    /// <summary>Pictures and copies made from stored films (display and thumbnail PNGs, Grad-CAM overlays, de-identified
    /// DICOM) rendered at the same time; further first requests wait. Each is made once and kept in the case folder,
    /// so this bounds the memory a burst of preview requests can take (CaseRenderings).</summary>
    public int PreviewConcurrency { get; set; } = 2;

    /// <summary>Largest film, in pixels, that previews and de-identified copies decode in full (DICOM and PNG; JPEG
    /// previews decode DCT-scaled). Far below <see cref="MaxPixels"/>: it also sets the inflate budget of a deflated
    /// DICOM (6 bytes a pixel plus the film's own size), so a small deflate bomb cannot take hundreds of MB per preview.
    /// A larger film is still screened; its preview answers 413 image_too_large.</summary>
    public long PreviewMaxPixels { get; set; } = 20_000_000;

    /// <summary>Pin the fixed confidence threshold instead of the bundle's certified policy.</summary>
    public double? FixedConfidenceThreshold { get; set; }

    /// <summary>Fraction of automated answers also sent to the review queue (origin audit_sample) so that the
    /// automated error rate can be measured. Drawn from a hash of the case id (AuditSampling): reproducible.</summary>
    public double AuditSampleFraction { get; set; } = 0.05;

    /// <summary>How long a reviewer's claim on a case lasts; after it anyone else may take the case over.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(15);
}
