using System.Security.Claims;
using CxrQa.Storage;

namespace CxrQa.Server.Security;

/// <summary>The request's key, as <see cref="ApiKeyAuthenticationHandler"/> put it in the user's claims.</summary>
public static class ApiKeyClaims
{
    /// <summary>The key's team, when it has one.</summary>
    public const string TeamClaimType = "cxrqa:team";

    /// <summary>The key (its name and id for the audit trail, its team for the cases it submits), or
    /// <see cref="Actor.Anonymous"/> without one.</summary>
    public static Actor ApiKeyActor(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return IsApiKey(user)
            && user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && user.FindFirstValue(ClaimTypes.Name) is { } name
            ? new Actor(name, id, user.FindFirstValue(TeamClaimType))
            : Actor.Anonymous;
    }

    /// <summary>The teams whose review queue and cases the request's key sees (<see cref="TeamScope"/>: the rule).</summary>
    public static TeamScope ReviewScope(this ClaimsPrincipal user) =>
        TeamScope.ForKey(user.ApiKeyRole(), IsApiKey(user) ? user.FindFirstValue(TeamClaimType) : null);

    private static bool IsApiKey(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, AuthenticationType: ApiKeyAuthenticationHandler.SchemeName };

    /// <summary>The key's role; null for a request without a key (open policy).</summary>
    public static string? ApiKeyRole(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return IsApiKey(user) ? user.FindFirstValue(ClaimTypes.Role) : null;
    }
}
