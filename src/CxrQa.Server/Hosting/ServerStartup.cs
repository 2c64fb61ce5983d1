using System.Diagnostics;
using CxrQa.Admin.Automation;
using CxrQa.Core.Dicom;
using CxrQa.Core.Pipeline;
using CxrQa.Server.Cases;
using CxrQa.Server.Security;
using CxrQa.Storage;

namespace CxrQa.Server.Hosting;

/// <summary>Start-up, before the first request: schema, crash leftovers, model (a bad bundle fails here, not on a
/// request), the automation monitor.</summary>
public static class ServerStartup
{
    public static async Task PrepareAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.Services;
        var stopping = app.Lifetime.ApplicationStopping;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("CxrQa.Server");
        var options = services.GetRequiredService<ServerOptions>();
        var database = services.GetRequiredService<CxrQaDatabase>();
        var applied = await SchemaMigrations.ApplyAsync(database, stopping);
        log.LogInformation("database: {Database}; migrations applied now: [{Applied}]", database.Description, string.Join(",", applied));
        var grace = options.OrphanGracePeriod ?? (database.Dialect == SqlDialect.Postgres ? TimeSpan.FromMinutes(10) : TimeSpan.Zero);
        await services.GetRequiredService<CaseFiles>().CleanOrphansAsync(services.GetRequiredService<ICaseStore>(), grace, stopping);
        // gdcmconv's temporaries of a conversion killed with the process (full DICOM files, patient header included). A
        // live conversion (another replica's) lasts at most the decoder timeout, so older files are leftovers whatever the grace.
        var dicom = services.GetRequiredService<ScreeningOptions>().Dicom;
        var conversionBound = 2 * dicom.ExternalDecoderTimeout;
        var leftovers = GdcmTemporaries.RemoveLeftovers(dicom.TemporaryDirectory!, grace < conversionBound ? grace : conversionBound);
        if (leftovers > 0)
            log.LogInformation("removed {Count} leftover gdcmconv temporary file(s)", leftovers);
        var clock = Stopwatch.StartNew();
        var screening = services.GetRequiredService<ScreeningService>();
        var modelLoaded = clock.Elapsed;
        await services.GetRequiredService<AutomationMonitor>().StartAsync(stopping);
        log.LogInformation("model: {Name} {Version} (loaded in {ModelMs:F0} ms, automation monitor in {MonitorMs:F0} ms); data directory: {DataDirectory}",
            screening.Model.Name, screening.Model.Version, modelLoaded.TotalMilliseconds, (clock.Elapsed - modelLoaded).TotalMilliseconds,
            services.GetRequiredService<DatabaseSettings>().DataDirectory);
        // Start-up leaves garbage behind (the model files read whole, the drift threshold simulation's runs): collect it
        // once, compacting, and hand the memory back, so that the idle server's resident size is what serving needs
        // (issue 16 measures the server's peak RSS under load against a fixed budget).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        app.Lifetime.ApplicationStarted.Register(() =>
            log.LogInformation("API keys required for /predict and /cases: {Required}", services.GetRequiredService<AccessPolicy>().KeysRequired));
    }
}
