using CxrQa.Admin.Automation;
using CxrQa.Core.Monitoring;
using CxrQa.Server.Cases;
using CxrQa.Server.Http;
using CxrQa.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace CxrQa.Server.Hosting;

/// <summary>Reads and checks the server's settings (a bad setting fails the start, not the first request) and sets the
/// HTTP limits, JSON and problem+json shapes that follow from them.</summary>
public static class ServerConfiguration
{
    public static (ServerOptions Options, DatabaseSettings Database) AddServerConfiguration(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        if (!(options.AuditSampleFraction is >= 0 and <= 1))
            throw new InvalidOperationException($"CxrQa:AuditSampleFraction must be between 0 and 1 (is {options.AuditSampleFraction})");
        if (options.ClaimDuration <= TimeSpan.Zero)
            throw new InvalidOperationException($"CxrQa:ClaimDuration must be positive (is {options.ClaimDuration})");
        var automation = builder.Configuration.GetSection(AutomationOptions.Section).Get<AutomationOptions>() ?? new AutomationOptions();
        automation.Validate();
        if (options.CacheRoot() is { } cache)
            automation.CacheDirectory ??= DriftCalibrationCache.Under(cache);
        var database = DatabaseSettings.Resolve(builder.Configuration["data-dir"] ?? options.DataDirectory,
            builder.Configuration.GetConnectionString("Postgres"));

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxUploadBytes + UploadReader.MultipartAllowance);
        var services = builder.Services;
        services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = options.MaxUploadBytes);
        services.ConfigureHttpJsonOptions(j => ServerJson.Configure(j.SerializerOptions));
        services.AddProblemDetails(p => p.CustomizeProblemDetails = ctx =>
        {
            var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
            ctx.ProblemDetails.Extensions.TryAdd("code", ApiErrorCodes.CodeForStatus(status));
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddSingleton(options);
        services.AddSingleton(automation);
        services.AddSingleton(database);
        return (options, database);
    }
}
