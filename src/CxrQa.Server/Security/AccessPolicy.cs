using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CxrQa.Server.Security;

/// <summary>
/// Whether /predict and /cases/* need an API key. Configured by CxrQa:RequireKeyForPredict; when unset, keys are
/// required unless every address the server listens on is loopback (a developer's machine).
/// </summary>
public sealed class AccessPolicy(ServerOptions options, IServer server)
{
    private readonly Lazy<bool> _required = new(() => options.RequireKeyForPredict ?? !ListensOnlyOnLoopback(server));

    public bool KeysRequired => _required.Value;

    private static bool ListensOnlyOnLoopback(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0)
            return false;
        return addresses.All(a =>
        {
            if (!Uri.TryCreate(a, UriKind.Absolute, out var uri))
                return false;
            var host = uri.Host.Trim('[', ']');
            return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
        });
    }
}
