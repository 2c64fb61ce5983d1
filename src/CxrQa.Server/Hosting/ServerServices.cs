using CxrQa.Admin.Automation;
using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Trust;
using CxrQa.Server.Cases;
using CxrQa.Server.Inference;
using CxrQa.Server.Metrics;
using CxrQa.Server.Monitoring;
using CxrQa.Server.Reviews;
using CxrQa.Server.Security;
using CxrQa.Storage;

namespace CxrQa.Server.Hosting;

/// <summary>The server's services: stores, the one screening path and its decoder, the inference queue, cases, reviews
/// and the automation monitor.</summary>
public static class ServerServices
{
    public static IServiceCollection AddStores(this IServiceCollection services)
    {
        services.AddSingleton<CxrQaDatabase>();
        services.AddSingleton<ICaseStore, SqlCaseStore>();
        services.AddSingleton<IApiKeyStore, SqlApiKeyStore>();
        services.AddSingleton<IReviewStore, SqlReviewStore>();
        services.AddSingleton<IAuditLog, SqlAuditLog>();
        services.AddSingleton<IAutomationStore, SqlAutomationStore>();
        return services;
    }

    /// <summary>The same <see cref="ScreeningService"/> as the CLI and the benchmarks, over the one registered
    /// <see cref="FilmDecoder"/>: screening, previews, overlays and de-identified copies all decode with the configured
    /// DICOM options (gdcmconv's private folder included), so every film that was screened can be shown.</summary>
    public static IServiceCollection AddScreening(this IServiceCollection services, ServerOptions options, DatabaseSettings database)
    {
        var limits = new FilmLimits(options);
        var screening = new ScreeningOptions
        {
            Limits = limits.Screening,
            Dicom = new DicomReaderOptions { TemporaryDirectory = options.GdcmTemporaryDirectory ?? Path.Combine(database.DataDirectory, "gdcm-tmp") },
            Routing = new RoutingOverrides { FixedConfidenceThreshold = options.FixedConfidenceThreshold },
            ReducedDecodeOversampling = options.ReducedJpegDecode ? new ScreeningOptions().ReducedDecodeOversampling : null,
        };
        services.AddSingleton(limits);
        services.AddSingleton(screening);
        services.AddSingleton(new FilmDecoder(new DicomFilmReader(screening.Dicom)));
        var cache = options.CacheRoot();
        services.AddSingleton(_ => ModelBundle.Load(ModelLocator.Resolve(options.ModelDirectory), new ModelRuntimeOptions
        {
            AllowSpinning = options.OrtAllowSpinning,
            OptimizedGraphCache = OptimizedGraphCache.Under(cache),
        }));
        services.AddSingleton(sp => new ScreeningService(sp.GetRequiredService<FilmDecoder>(), sp.GetRequiredService<ModelBundle>(), screening));
        services.AddSingleton(sp => new InferenceQueue(sp.GetRequiredService<ScreeningService>(), options,
            sp.GetRequiredService<ModelBundle>().Options.MaxBatch, sp.GetRequiredService<ServerMetrics>(), sp.GetRequiredService<ILogger<InferenceQueue>>()));
        services.AddHostedService(sp => sp.GetRequiredService<InferenceQueue>());
        return services;
    }

    public static IServiceCollection AddCasesAndReviews(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<ScrapeMetrics>();
        services.AddSingleton<IAutomationListener, ServerAutomationListener>();
        services.AddSingleton<AutomationMonitor>();
        services.AddSingleton<ReviewService>();
        services.AddSingleton<CaseFiles>();
        services.AddSingleton<CaseRenderings>();
        services.AddSingleton<HeatmapOverlays>();
        services.AddSingleton<FilmPreviews>();
        services.AddSingleton<DeidentifiedFilms>();
        services.AddSingleton<CaseAccess>();
        services.AddSingleton<CaseService>();
        return services;
    }
}
