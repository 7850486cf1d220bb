using Paylink.Core.Common;
using Paylink.Core.Payments;
using Paylink.Core.Providers;
using Paylink.Server.Api;

namespace Paylink.Server.Webhooks;

/// <summary>POST /webhooks/{provider}/{accountId}: every gateway's notifications take this one path.</summary>
public static class GatewayWebhooksEndpoints
{
    public const int MaxBodyBytes = 256 * 1024;

    public static void MapGatewayWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/{provider}/{accountId}", async (string provider, string accountId, HttpContext http,
            ProviderRegistry<IPaymentGateway> gateways, ApplyGatewayNotification apply, CancellationToken ct) =>
        {
            if (!gateways.TryGet(provider, out _)) return Problems.From(Error.NotFound($"Provider '{provider}'"));
            var body = await RequestBodies.ReadLimitedAsync(http.Request, MaxBodyBytes, ct);
            if (body is null) return Problems.From(Error.Validation("body", $"Notification body must be at most {MaxBodyBytes} bytes."), StatusCodes.Status413PayloadTooLarge);
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var request = new InboundHttpRequest(headers, body, http.Connection.RemoteIpAddress?.ToString());
            var result = await apply.HandleAsync(provider, accountId, request, ct);
            if (!result.IsSuccess)
                return result.Error!.Kind == ErrorKind.Validation ? Problems.BadRequest(result.Error) : Problems.From(result.Error);
            return Results.Text(result.Value.Ack, "text/plain; charset=utf-8");
        }).DisableAntiforgery().ExcludeFromDescription();
    }
}
