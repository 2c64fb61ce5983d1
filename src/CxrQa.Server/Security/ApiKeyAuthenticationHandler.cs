using System.Security.Claims;
using System.Text.Encodings.Web;
using CxrQa.Server.Http;
using CxrQa.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace CxrQa.Server.Security;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>: the key's id, name, role and team become the request's user. A missing header is
/// no result (the policy decides whether that is allowed); an unknown or revoked key fails. The challenge answers 401
/// problem+json (<c>missing_api_key</c> or <c>invalid_api_key</c>), the forbid 403 <c>forbidden</c> naming the roles
/// the endpoint's policy allows.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, IApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>Longer secrets are refused without a look-up (ours are 43 characters).</summary>
    private const int MaxSecretLength = 128;

    /// <summary>The bearer secret of the request, or null when it came without one.</summary>
    public static string? BearerSecret(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        return string.IsNullOrEmpty(secret) ? null : secret;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerSecret(Request) is not { } secret)
            return AuthenticateResult.NoResult();
        var key = secret.Length <= MaxSecretLength ? await keys.FindBySecretAsync(secret, Context.RequestAborted) : null;
        if (key is null || key.Revoked)
            return AuthenticateResult.Fail("the API key is unknown or revoked");
        List<Claim> claims = [new(ClaimTypes.NameIdentifier, key.Id), new(ClaimTypes.Name, key.Name), new(ClaimTypes.Role, key.Role)];
        if (key.Team is { } team)
            claims.Add(new Claim(ApiKeyClaims.TeamClaimType, team));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (BearerSecret(Request) is null)
        {
            Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Create(StatusCodes.Status401Unauthorized, ApiErrorCodes.MissingApiKey,
                "this endpoint needs an API key: Authorization: Bearer <key>").ExecuteAsync(Context);
        }
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return Problems.Create(StatusCodes.Status401Unauthorized, ApiErrorCodes.InvalidApiKey, "the API key is unknown or revoked")
            .ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var allowed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .SelectMany(a => ApiPolicies.RolesOf(a.Policy)).Distinct() ?? [];
        return Problems.Create(StatusCodes.Status403Forbidden, ApiErrorCodes.Forbidden,
            $"a {Context.User.ApiKeyRole()} key cannot use this endpoint (allowed: {string.Join(", ", allowed)})").ExecuteAsync(Context);
    }
}
