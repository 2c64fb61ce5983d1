using System.CommandLine;
using System.Diagnostics;
using CxrQa.Admin;
using CxrQa.Admin.Automation;
using CxrQa.Core.Dicom;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Trust;
using CxrQa.Server;
using CxrQa.Server.Cases;
using CxrQa.Server.DicomWeb;
using CxrQa.Server.Pacs;
using CxrQa.Core.Dicom.Results;
using CxrQa.Server.Endpoints;
using CxrQa.Server.Http;
using CxrQa.Server.Inference;
using CxrQa.Server.Metrics;
using CxrQa.Server.Monitoring;
using CxrQa.Server.Reviews;
using CxrQa.Server.Security;
using CxrQa.Storage;
using Microsoft.AspNetCore.Http.Features;
using Scalar.AspNetCore;

// `CxrQa.Server keys create|list|revoke ...`: the key commands in the server binary (a container ships no CLI).
if (args is ["keys", ..])
{
    var keysConfiguration = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().Build();
    // The CLI's own command; only the fallbacks differ: the server's configuration (CxrQa:DataDirectory,
    // ConnectionStrings:Postgres, e.g. ConnectionStrings__Postgres in compose) names the database the server uses.
    var keys = KeysCommand.Create((dataDir, postgres) => DatabaseSettings.Resolve(
        dataDir ?? keysConfiguration[$"{ServerOptions.Section}:{nameof(ServerOptions.DataDirectory)}"],
        postgres ?? keysConfiguration.GetConnectionString("Postgres")));
    Environment.ExitCode = await new RootCommand("CxrQa server: API key administration") { keys }.Parse(args).InvokeAsync();
    return;
}

// Content root = the build output, so appsettings.json is found whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

var options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
// A bad review setting fails the start, not the first claim.
if (!(options.AuditSampleFraction is >= 0 and <= 1))
    throw new InvalidOperationException($"CxrQa:AuditSampleFraction must be between 0 and 1 (is {options.AuditSampleFraction})");
if (options.ClaimDuration <= TimeSpan.Zero)
    throw new InvalidOperationException($"CxrQa:ClaimDuration must be positive (is {options.ClaimDuration})");
var pacsOptions = builder.Configuration.GetSection(PacsOptions.Section).Get<PacsOptions>() ?? new PacsOptions();
pacsOptions.Validate();
var automationOptions = builder.Configuration.GetSection(AutomationOptions.Section).Get<AutomationOptions>() ?? new AutomationOptions();
automationOptions.Validate();
var settings = DatabaseSettings.Resolve(
    builder.Configuration["data-dir"] ?? options.DataDirectory,
    builder.Configuration.GetConnectionString("Postgres"));

builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxUploadBytes + UploadReader.MultipartAllowance);
builder.Services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = options.MaxUploadBytes);
builder.Services.ConfigureHttpJsonOptions(j => ServerJson.Configure(j.SerializerOptions));
builder.Services.AddProblemDetails(p => p.CustomizeProblemDetails = ctx =>
{
    var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
    ctx.ProblemDetails.Extensions.TryAdd("code", ApiErrorCodes.CodeForStatus(status));
});
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
builder.Services.AddOpenApi();

builder.Services.AddSingleton(options);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton<CxrQaDatabase>();
builder.Services.AddSingleton<ICaseStore, SqlCaseStore>();
builder.Services.AddSingleton<IApiKeyStore, SqlApiKeyStore>();
builder.Services.AddSingleton<IReviewStore, SqlReviewStore>();
builder.Services.AddSingleton<IAuditLog, SqlAuditLog>();
builder.Services.AddSingleton<IAutomationStore, SqlAutomationStore>();
builder.Services.AddSingleton(automationOptions);
builder.Services.AddSingleton<IAutomationListener, ServerAutomationListener>();
builder.Services.AddSingleton<AutomationMonitor>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ReviewService>();
builder.Services.AddSingleton<CaseFiles>();
builder.Services.AddSingleton<CaseRenderings>();
builder.Services.AddSingleton<HeatmapOverlays>();
builder.Services.AddSingleton<FilmPreviews>();
builder.Services.AddSingleton<DeidentifiedFilms>();
builder.Services.AddSingleton<CaseAccess>();
builder.Services.AddSingleton<ServerMetrics>();
builder.Services.AddSingleton<AccessPolicy>();
builder.Services.AddSingleton(_ => ModelBundle.Load(ModelLocator.Resolve(options.ModelDirectory),
    new ModelRuntimeOptions { AllowSpinning = options.OrtAllowSpinning }));
// The same ScreeningService as the CLI and the benchmarks (ScreeningService.Create): one code path.
var gdcmTemporaries = options.GdcmTemporaryDirectory ?? Path.Combine(settings.DataDirectory, "gdcm-tmp");
var filmLimits = new FilmLimits(options);
builder.Services.AddSingleton(filmLimits);
var screeningOptions = new ScreeningOptions
{
    Limits = filmLimits.Screening,
    Dicom = new DicomReaderOptions { TemporaryDirectory = gdcmTemporaries },
    Routing = new RoutingOverrides { FixedConfidenceThreshold = options.FixedConfidenceThreshold },
    ReducedDecodeOversampling = options.ReducedJpegDecode ? new ScreeningOptions().ReducedDecodeOversampling : null,
};
builder.Services.AddSingleton(sp => ScreeningService.Create(sp.GetRequiredService<ModelBundle>(), screeningOptions));
// Previews and overlays decode with the same decoder settings as screening (gdcmconv's private folder included), so
// every film that was screened can be shown.
builder.Services.AddSingleton(new FilmDecoder(new DicomFilmReader(screeningOptions.Dicom)));
builder.Services.AddSingleton(sp => new InferenceQueue(
    sp.GetRequiredService<ScreeningService>(), options, sp.GetRequiredService<ModelBundle>().Options.MaxBatch,
    sp.GetRequiredService<ServerMetrics>(), sp.GetRequiredService<ILogger<InferenceQueue>>()));
builder.Services.AddHostedService(sp => sp.GetRequiredService<InferenceQueue>());
builder.Services.AddSingleton<CaseService>();
builder.Services.AddSingleton<StowService>();
// Results back to the PACS (docs/pacs.md): the outbox is written with the case whenever a STOW URL is configured, and
// this replica's sender drains it (every replica runs one; leases keep them from sending a row twice at once).
builder.Services.AddSingleton(pacsOptions);
builder.Services.AddSingleton(new PacsForwarding(pacsOptions.Enabled));
builder.Services.AddSingleton<IPacsOutboxStore, SqlPacsOutboxStore>();
builder.Services.AddSingleton<PacsOutboxSignal>();
if (pacsOptions.Enabled)
{
    builder.Services.AddSingleton(new ResultObjectsBuilder(new ResultObjectsOptions { Limits = filmLimits.Screening }));
    builder.Services.AddSingleton<PacsResultObjects>();
    builder.Services.AddSingleton(sp => new StowClient(
        new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
        pacsOptions));
    builder.Services.AddHostedService<PacsOutboxSender>();
}

var app = builder.Build();

// Start-up, before the first request: schema, crash leftovers, model (a bad bundle fails here, not on a request).
var startupLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CxrQa.Server");
var database = app.Services.GetRequiredService<CxrQaDatabase>();
var applied = await SchemaMigrations.ApplyAsync(database, app.Lifetime.ApplicationStopping);
startupLog.LogInformation("database: {Database}; migrations applied now: [{Applied}]", database.Description, string.Join(",", applied));
var grace = options.OrphanGracePeriod ?? (database.Dialect == SqlDialect.Postgres ? TimeSpan.FromMinutes(10) : TimeSpan.Zero);
await app.Services.GetRequiredService<CaseFiles>().CleanOrphansAsync(app.Services.GetRequiredService<ICaseStore>(), grace, app.Lifetime.ApplicationStopping);
// gdcmconv's temporaries of a conversion killed with the process (full DICOM files, patient header included). A live
// conversion (another replica's) lasts at most the decoder timeout, so older files are leftovers whatever the grace.
var conversionBound = 2 * screeningOptions.Dicom.ExternalDecoderTimeout;
var gdcmLeftovers = GdcmTemporaries.RemoveLeftovers(gdcmTemporaries, grace < conversionBound ? grace : conversionBound);
if (gdcmLeftovers > 0)
    startupLog.LogInformation("removed {Count} leftover gdcmconv temporary file(s)", gdcmLeftovers);
var screening = app.Services.GetRequiredService<ScreeningService>();
await app.Services.GetRequiredService<AutomationMonitor>().StartAsync(app.Lifetime.ApplicationStopping);
startupLog.LogInformation("model: {Name} {Version}; data directory: {DataDirectory}", screening.Model.Name, screening.Model.Version, settings.DataDirectory);
// Start-up leaves garbage behind (the model files read whole, the drift threshold simulation's runs): collect it once,
// compacting, and hand the memory back, so that the idle server's resident size is what serving needs (issue 16
// measures the server's peak RSS under load against a fixed budget).
GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouting();
var metrics = app.Services.GetRequiredService<ServerMetrics>();
app.Use(async (context, next) =>
{
    var start = Stopwatch.GetTimestamp();
    try
    {
        await next(context);
    }
    finally
    {
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
        metrics.ObserveRequest(route, context.Request.Method, context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
});

app.MapOpenApi();
app.MapScalarApiReference("/docs");
app.MapPredict();
app.MapDicomWeb();
app.MapCases();
app.MapReviews();
app.MapAudit();
app.MapOps();
app.MapAdmin();
app.MapReviewPage();

app.Lifetime.ApplicationStarted.Register(() =>
    startupLog.LogInformation("API keys required for /predict and /cases: {Required}", app.Services.GetRequiredService<AccessPolicy>().KeysRequired));

await app.RunAsync();
