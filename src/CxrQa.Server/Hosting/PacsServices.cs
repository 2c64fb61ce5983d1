using CxrQa.Core.Dicom.Results;
using CxrQa.Server.Cases;
using CxrQa.Server.DicomWeb;
using CxrQa.Server.Pacs;
using CxrQa.Storage;

namespace CxrQa.Server.Hosting;

/// <summary>DICOMweb in (STOW-RS) and results back to the PACS (docs/pacs.md): the outbox is written with the case
/// whenever a STOW URL is configured, and this replica's sender drains it (every replica runs one; leases keep them
/// from sending a row twice at once).</summary>
public static class PacsServices
{
    public static IServiceCollection AddPacs(this IServiceCollection services, IConfiguration configuration)
    {
        var pacs = configuration.GetSection(PacsOptions.Section).Get<PacsOptions>() ?? new PacsOptions();
        pacs.Validate();
        // Who we say we are in the objects we write; STOW-RS also uses it to refuse our own objects coming back.
        services.AddSingleton(sp => new ResultObjectsOptions { Limits = sp.GetRequiredService<FilmLimits>().Screening });
        services.AddSingleton<StowService>();
        services.AddSingleton(pacs);
        services.AddSingleton(new PacsForwarding(pacs.Enabled));
        services.AddSingleton<IPacsOutboxStore, SqlPacsOutboxStore>();
        services.AddSingleton<PacsOutboxSignal>();
        if (!pacs.Enabled)
            return services;
        services.AddSingleton(sp => new ResultObjectsBuilder(sp.GetRequiredService<ResultObjectsOptions>()));
        services.AddSingleton<PacsResultObjects>();
        services.AddSingleton(_ => new StowClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
            pacs));
        services.AddHostedService<PacsOutboxSender>();
        return services;
    }
}
