using System.Security.Claims;
using CxrQa.Storage;

namespace CxrQa.Server.Security;

/// <summary>The request's key, as <see cref="ApiKeyAuthenticationHandler"/> put it in the user's claims.</summary>
public static class ApiKeyClaims
{
    /// <summary>The key (its name and id, for the audit trail), or <see cref="Actor.Anonymous"/> without one.</summary>
    public static Actor ApiKeyActor(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity is { IsAuthenticated: true, AuthenticationType: ApiKeyAuthenticationHandler.SchemeName }
            && user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && user.FindFirstValue(ClaimTypes.Name) is { } name
            ? new Actor(name, id)
            : Actor.Anonymous;
    }

    /// <summary>The key's role; null for a request without a key (open policy).</summary>
    public static string? ApiKeyRole(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity is { IsAuthenticated: true, AuthenticationType: ApiKeyAuthenticationHandler.SchemeName }
            ? user.FindFirstValue(ClaimTypes.Role)
            : null;
    }
}
