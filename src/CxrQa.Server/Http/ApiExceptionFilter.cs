namespace CxrQa.Server.Http;

/// <summary>Endpoint filter that answers an <see cref="ApiException"/> thrown by a service as problem+json, so the
/// endpoints stay one call long.</summary>
public sealed class ApiExceptionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiException e)
        {
            return Problems.From(e);
        }
    }
}
