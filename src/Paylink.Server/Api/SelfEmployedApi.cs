using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Merchants;
using Paylink.Core.Receipts;

namespace Paylink.Server.Api;

/// <summary>/api/v1/self-employed: the «Мой налог» connection of a self-employed (НПД) merchant, its receipts and the
/// year's total against the 2.4 mn ₽ limit.</summary>
public static class SelfEmployedApi
{
    public sealed record ConnectBody(string? Provider, JsonObject? Settings);

    public static void MapSelfEmployedApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/self-employed").WithTags("Receipts");

        g.MapPut("", async (HttpContext http, MerchantScope scope, SelfEmployedAccounts accounts, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<ConnectBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await accounts.ConnectAsync(scope.MerchantId!, body!.Provider, body.Settings, ct)).ToHttp(a => Results.Json(accounts.View(a), PaylinkJson.Output));
        }).Produces<SelfEmployedAccountView>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).WithName("ConnectSelfEmployed")
          .WithSummary("Connect or reconnect «Мой налог»: settings {inn, password} or {inn, refreshToken, deviceId}; signs in once, stored encrypted, shown masked; queues waiting receipts.");

        g.MapGet("", async (SelfEmployedAccounts accounts, CancellationToken ct) =>
                (await accounts.FindAsync(ct)).ToHttp(a => Results.Json(accounts.View(a), PaylinkJson.Output)))
            .Produces<SelfEmployedAccountView>().WithName("GetSelfEmployed");

        g.MapDelete("", async (SelfEmployedAccounts accounts, CancellationToken ct) =>
                (await accounts.DisconnectAsync(ct)).ToHttp(_ => Results.NoContent()))
            .WithName("DisconnectSelfEmployed").WithSummary("Disconnect: receipts then wait (listed as waiting) until a connection is made again.");

        g.MapPost("/test", async (SelfEmployedAccounts accounts, CancellationToken ct) =>
                (await accounts.TestAsync(ct)).ToHttp(inn => Results.Json(new { ok = true, inn }, PaylinkJson.Output)))
            .WithName("TestSelfEmployed").WithSummary("Signs in afresh: proves the credentials.");

        g.MapGet("/receipts", async (string? status, string? linkId, string? limit, SelfEmployedOverview overview, CancellationToken ct) =>
            {
                var n = 100;
                if (limit is not null && !int.TryParse(limit, out n)) return Problems.From(Error.Validation("limit", "limit must be an integer between 1 and 500."));
                return (await overview.ListAsync(status, linkId, n, ct)).ToHttp(items => Results.Json(new { items }, PaylinkJson.Output));
            })
            .WithName("ListSelfEmployedReceipts").WithSummary("Receipts newest first; status=waiting lists those not yet registered or cancelled, and failed ones.");

        g.MapGet("/summary", async (MerchantScope scope, MerchantCache merchants, SelfEmployedOverview overview, CancellationToken ct) =>
            {
                var merchant = await merchants.GetAsync(scope.MerchantId!, ct);
                if (merchant is null) return Problems.From(Error.NotFound("Merchant"));
                var year = await overview.YearAsync(merchant.Zone, ct);
                var waiting = (await overview.WaitingAsync(500, ct)).Count;
                return Results.Json(new { selfEmployed = merchant.Fiscal.IsSelfEmployed, year, waiting }, PaylinkJson.Output);
            })
            .WithName("SelfEmployedSummary").WithSummary("The calendar year's income (registered + waiting) against the 2.4 mn ₽ НПД limit; level ok, near (≥ 80 %) or over.");
    }
}
