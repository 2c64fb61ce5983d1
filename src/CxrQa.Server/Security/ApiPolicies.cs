using CxrQa.Storage;
using Microsoft.AspNetCore.Authorization;

namespace CxrQa.Server.Security;

/// <summary>The authorization policies of the API, by the role they need (<c>RequireAuthorization(ApiPolicies.Reviewer)</c>).
/// <see cref="Submitter"/> and <see cref="Reader"/> let a request without a key through when keys are not required
/// (<see cref="AccessPolicy"/>: an open loopback server); <see cref="Reviewer"/> and <see cref="Admin"/> always need one,
/// because every claim, decision and resume names its actor in the audit trail.</summary>
public static class ApiPolicies
{
    public const string Submitter = "submitter";
    public const string Reader = "reader";
    public const string Reviewer = "reviewer";
    public const string Admin = "admin";

    private static readonly Dictionary<string, ApiRoleRequirement> Requirements = new(StringComparer.Ordinal)
    {
        [Submitter] = new([ApiKeyRoles.Submitter, ApiKeyRoles.Admin], AlwaysRequired: false),
        [Reader] = new([ApiKeyRoles.Submitter, ApiKeyRoles.Reviewer, ApiKeyRoles.Admin], AlwaysRequired: false),
        [Reviewer] = new([ApiKeyRoles.Reviewer, ApiKeyRoles.Admin], AlwaysRequired: true),
        [Admin] = new([ApiKeyRoles.Admin], AlwaysRequired: true),
    };

    /// <summary>The key roles a policy admits (none for an unknown name).</summary>
    public static IReadOnlyList<string> RolesOf(string? policy) =>
        policy is not null && Requirements.TryGetValue(policy, out var r) ? r.Roles : [];

    /// <summary>The bearer-key scheme and the four policies.</summary>
    public static IServiceCollection AddApiKeyAuthorization(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var builder = services.AddAuthorizationBuilder();
        foreach (var (name, requirement) in Requirements)
            builder.AddPolicy(name, p => p.AddRequirements(requirement));
        services.AddSingleton<IAuthorizationHandler, ApiRoleHandler>();
        services.AddSingleton<AccessPolicy>();
        return services;
    }
}

/// <param name="Roles">Key roles admitted.</param>
/// <param name="AlwaysRequired">False: a request without any key passes where keys are not required.</param>
public sealed record ApiRoleRequirement(IReadOnlyList<string> Roles, bool AlwaysRequired) : IAuthorizationRequirement;

/// <summary>Admits a key of one of the requirement's roles; and, where the requirement and the server's
/// <see cref="AccessPolicy"/> allow it, a request that came without a key (one that came with a bad key never passes:
/// it is challenged, 401 invalid_api_key).</summary>
public sealed class ApiRoleHandler(AccessPolicy policy) : AuthorizationHandler<ApiRoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiRoleRequirement requirement)
    {
        if (context.User.ApiKeyRole() is { } role && requirement.Roles.Contains(role))
            context.Succeed(requirement);
        else if (!requirement.AlwaysRequired && !policy.KeysRequired && context.Resource is HttpContext http
                 && ApiKeyAuthenticationHandler.BearerSecret(http.Request) is null)
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
