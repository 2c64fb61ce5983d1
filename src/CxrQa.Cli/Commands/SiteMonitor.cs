using System.Data.Common;
using CxrQa.Admin.Automation;
using CxrQa.Cli.Output;
using CxrQa.Core.Model;
using CxrQa.Core.Monitoring;
using CxrQa.Core.Pipeline;
using CxrQa.Storage;
using Spectre.Console;

namespace CxrQa.Cli.Commands;

/// <summary>The site's automation monitor for <c>predict --data-dir</c>: the server's own service over the server's
/// database, so a folder screened from the command line joins the site's stream and obeys its pause.</summary>
internal static class SiteMonitor
{
    public static async Task<AutomationMonitor?> CreateAsync(string dataDir, string? postgres, string site, ModelBundle bundle,
        ScreeningService service, IAnsiConsole err, CancellationToken ct)
    {
        var database = new CxrQaDatabase(DatabaseSettings.Resolve(Path.GetFullPath(dataDir), postgres));
        try
        {
            await SchemaMigrations.ApplyAsync(database, ct);
            var options = new AutomationOptions { Site = site };
            options.Validate();
            var monitor = new AutomationMonitor(bundle, service, new SqlAutomationStore(database), options, new Listener(err), TimeProvider.System);
            if (!await monitor.AttachAsync(ct))
            {
                StandardStreams.Error(err, $"site '{site}' in {database.Description} is monitored against another bundle; predict with the bundle the server serves");
                return null;
            }
            return monitor;
        }
        catch (DbException e)
        {
            StandardStreams.Error(err, $"could not open the site's state in {database.Description}: {e.Message}");
            return null;
        }
        catch (InvalidOperationException e)
        {
            StandardStreams.Error(err, e.Message);
            return null;
        }
    }

    private sealed class Listener(IAnsiConsole err) : IAutomationListener
    {
        public void DriftReady(string site, DriftCalibration calibration) { }

        public void Paused(string site, string cause, string detail) =>
            StandardStreams.Warning(err, $"automation paused at site {site} ({cause}): {detail}");

        public void Resumed(string site, string actor) { }

        public void StartedOver(string site, string previousReference, string reference) { }
    }
}
