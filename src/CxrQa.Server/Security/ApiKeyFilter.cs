using System.Net;
using CxrQa.Server.Http;
using CxrQa.Storage;
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

/// <summary>Endpoint filter: <c>Authorization: Bearer &lt;key&gt;</c> with one of the allowed roles, when keys are required
/// (or always, with <paramref name="alwaysRequired"/>: a review decision must name its reviewer even on a developer's
/// loopback server). 401 for a missing, unknown or revoked key, 403 for a key of another role. Records the actor (the
/// key's name and id) and its role for the endpoint and the audit trail.</summary>
public sealed class ApiKeyFilter(IReadOnlyList<string> allowedRoles, bool alwaysRequired = false) : IEndpointFilter
{
    public const string ActorItem = "cxrqa.actor";
    public const string RoleItem = "cxrqa.role";
    /// <summary>The key the request came with (its name and id, for the audit trail), or <see cref="Actor.Anonymous"/>.</summary>
    public static Actor ActorOf(HttpContext context) => context.Items[ActorItem] as Actor ?? Actor.Anonymous;

    /// <summary>The role of the key the request came with; null when it came without one (open policy).</summary>
    public static string? RoleOf(HttpContext context) => context.Items[RoleItem] as string;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var policy = http.RequestServices.GetRequiredService<AccessPolicy>();
        var header = http.Request.Headers.Authorization.ToString();
        var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (!alwaysRequired && !policy.KeysRequired && string.IsNullOrEmpty(secret))
            return await next(context);

        if (string.IsNullOrEmpty(secret))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Create(StatusCodes.Status401Unauthorized, ApiErrorCodes.MissingApiKey,
                "this endpoint needs an API key: Authorization: Bearer <key>");
        }
        var keys = http.RequestServices.GetRequiredService<IApiKeyStore>();
        var key = secret.Length <= 128 ? await keys.FindBySecretAsync(secret, http.RequestAborted) : null;
        if (key is null || key.Revoked)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Problems.Create(StatusCodes.Status401Unauthorized, ApiErrorCodes.InvalidApiKey, "the API key is unknown or revoked");
        }
        if (!allowedRoles.Contains(key.Role))
            return Problems.Create(StatusCodes.Status403Forbidden, ApiErrorCodes.Forbidden,
                $"a {key.Role} key cannot use this endpoint (allowed: {string.Join(", ", allowedRoles)})");
        http.Items[ActorItem] = Actor.Of(key);
        http.Items[RoleItem] = key.Role;
        return await next(context);
    }

    public static IReadOnlyList<string> SubmitRoles { get; } = [ApiKeyRoles.Submitter, ApiKeyRoles.Admin];
    public static IReadOnlyList<string> ReadRoles { get; } = [ApiKeyRoles.Submitter, ApiKeyRoles.Reviewer, ApiKeyRoles.Admin];
    public static IReadOnlyList<string> ReviewRoles { get; } = [ApiKeyRoles.Reviewer, ApiKeyRoles.Admin];
    public static IReadOnlyList<string> AdminRoles { get; } = [ApiKeyRoles.Admin];
}
