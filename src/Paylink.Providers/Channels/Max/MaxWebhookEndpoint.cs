using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.Messaging;

namespace Paylink.Providers.Channels.Max;

/// <summary>
/// POST /webhooks/max/{accountId}: MAX's updates for one bot, after POST /subscriptions. Answers 401 without the
/// account's secret (<c>X-Max-Bot-Api-Secret</c>, compared in constant time), 403 for a disabled account (nothing
/// processed), 200 for everything else it understood or chose to ignore, so MAX does not repeat it.
/// </summary>
public static class MaxWebhookEndpoint
{
    public const string SecretHeader = "X-Max-Bot-Api-Secret";

    public static void MapMaxWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/max/{accountId}", async (string accountId, HttpContext http, AppDbContext db, ChannelAccounts accounts,
            ReceiveChannelMessage receive, CancellationToken ct) =>
        {
            var account = await db.ChannelAccounts.IgnoreQueryFilters()
                .FirstOrDefaultAsync(a => a.Id == accountId && a.Provider == MaxChannel.ProviderId && a.DeletedAt == null, ct);
            if (account is null) return Results.Problem("Unknown MAX channel account.", statusCode: StatusCodes.Status404NotFound);
            if (!accounts.WebhookSecretMatches(account, http.Request.Headers[SecretHeader].ToString()))
                return Results.Problem($"Missing or wrong {SecretHeader}.", statusCode: StatusCodes.Status401Unauthorized);
            if (!account.Enabled) return Results.Problem("The channel account is disabled.", statusCode: StatusCodes.Status403Forbidden);

            var body = await InboundBody.ReadLimitedAsync(http.Request, ct);
            if (body is null) return Results.Problem($"Update must be at most {InboundBody.MaxBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
            JsonObject? update;
            try { update = JsonNode.Parse(body) as JsonObject; }
            catch (JsonException) { update = null; }
            if (update?["update_type"] is not JsonValue)
                return Results.Problem("The body is not a MAX Update (update_type missing).", statusCode: StatusCodes.Status400BadRequest);
            if (MaxInbound.Parse(update) is { } inbound) await receive.HandleAsync(account, inbound, ct);
            return Results.Ok();
        }).DisableAntiforgery().ExcludeFromDescription();
    }
}
