using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Payments;

namespace Paylink.Server.Api;

/// <summary>/api/v1/gateway-accounts: connect, list, update (PATCH), soft-delete, reorder and test the merchant's acquirers.</summary>
public static class GatewayAccountsApi
{
    public sealed record CreateBody(string? Provider, string? Name, JsonObject? Settings);
    public sealed record UpdateBody(string? Name, JsonObject? Settings);
    public sealed record ReorderBody(List<string>? Ids);

    public static void MapGatewayAccountsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/gateway-accounts").WithTags("Gateway accounts");

        g.MapPost("/", async (HttpContext http, MerchantScope scope, GatewayAccounts accounts, AppDbContext db, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<CreateBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            var created = await accounts.CreateAsync(scope.MerchantId!, body!.Provider, body.Name, body.Settings, ct);
            if (!created.IsSuccess) return Problems.From(created.Error!);
            await db.SaveChangesAsync(ct);
            return Results.Json(accounts.View(created.Value), PaylinkJson.Output, statusCode: StatusCodes.Status201Created);
        }).Produces<GatewayAccountView>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
          .WithName("CreateGatewayAccount").WithSummary("Connect an acquirer account; settings are validated by the provider, stored encrypted, shown masked.");

        g.MapGet("/", async (GatewayAccounts accounts, CancellationToken ct) =>
                Results.Json(new { items = (await accounts.ListAsync(ct)).Select(accounts.View).ToList() }, PaylinkJson.Output))
            .WithName("ListGatewayAccounts").WithSummary("Active accounts in the order links and failover use them.");

        g.MapGet("/{id}", async (string id, GatewayAccounts accounts, CancellationToken ct) =>
                (await accounts.FindAsync(id, ct)).ToHttp(a => Results.Json(accounts.View(a), PaylinkJson.Output)))
            .Produces<GatewayAccountView>().WithName("GetGatewayAccount");

        g.MapPatch("/{id}", async (string id, HttpContext http, GatewayAccounts accounts, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<UpdateBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await accounts.UpdateAsync(id, body!.Name, body.Settings, ct)).ToHttp(a => Results.Json(accounts.View(a), PaylinkJson.Output));
        }).Produces<GatewayAccountView>().WithName("UpdateGatewayAccount").WithSummary("Rename and/or merge new settings over the stored ones.");

        g.MapDelete("/{id}", async (string id, GatewayAccounts accounts, CancellationToken ct) =>
                (await accounts.DeleteAsync(id, ct)).ToHttp(_ => Results.NoContent()))
            .ProducesProblem(StatusCodes.Status409Conflict).WithName("DeleteGatewayAccount")
            .WithSummary("Soft delete: no new links; existing payments still get notifications and refunds.");

        g.MapPost("/order", async (HttpContext http, GatewayAccounts accounts, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<ReorderBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await accounts.ReorderAsync(body!.Ids, ct)).ToHttp(list => Results.Json(new { items = list.Select(accounts.View).ToList() }, PaylinkJson.Output));
        }).WithName("ReorderGatewayAccounts").WithSummary("Set the order of accounts: {\"ids\":[...]}; first = default for new links and first in failover.");

        g.MapPost("/{id}/test", async (string id, GatewayAccounts accounts, CancellationToken ct) =>
                (await accounts.TestAsync(id, ct)).ToHttp(m => Results.Json(new { ok = true, message = m }, PaylinkJson.Output)))
            .WithName("TestGatewayAccount").WithSummary("Checks the credentials with a real, harmless call to the gateway.");
    }
}
