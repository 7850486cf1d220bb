using Paylink.Core.Common;
using Paylink.Core.Merchants;

namespace Paylink.Server.Api;

/// <summary>
/// Bearer API-key authentication for /api/v1. On success the request's <see cref="MerchantScope"/> is set,
/// which confines every query to that merchant; otherwise 401 problem details.
/// </summary>
public sealed class ApiKeyAuth(ApiKeyAuthenticator authenticator, MerchantScope scope) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        string? merchantId = null;
        if (header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            merchantId = await authenticator.AuthenticateAsync(header[prefix.Length..].Trim(), http.RequestAborted);
        if (merchantId is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.From(new Error(ErrorKind.Unauthorized, "unauthorized", string.IsNullOrEmpty(header)
                ? "Missing Authorization header; send 'Authorization: Bearer <API key>'."
                : "The API key is unknown or revoked."));
        }
        scope.MerchantId = merchantId;
        scope.Actor = "api-key:" + Hashing.Sha256Hex(header[prefix.Length..].Trim())[..12];
        return await next(context);
    }
}
