using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Crm;

namespace Paylink.Server.Api;

/// <summary>/api/v1/crm-accounts: connect (one at a time), read, update, disconnect and test an external CRM; read its log.</summary>
public static class CrmAccountsApi
{
    public sealed record CreateBody(string? Provider, JsonObject? Settings);
    public sealed record UpdateBody(JsonObject? Settings);

    public static void MapCrmAccountsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/crm-accounts").WithTags("CRM accounts");

        g.MapPost("", async (HttpContext http, MerchantScope scope, CrmAccounts accounts, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<CreateBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await accounts.CreateAsync(scope.MerchantId!, body!.Provider, body.Settings, ct))
                .ToHttp(a => Results.Json(accounts.View(a), PaylinkJson.Output, statusCode: StatusCodes.Status201Created));
        }).Produces<CrmAccountView>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
          .ProducesProblem(StatusCodes.Status409Conflict).WithName("CreateCrmAccount")
          .WithSummary("Connect a CRM (bitrix24): settings validated per field, stored encrypted, shown masked.");

        g.MapGet("", async (CrmAccounts accounts, CancellationToken ct) =>
                Results.Json(new { items = (await accounts.ListAsync(ct)).Select(accounts.View).ToList() }, PaylinkJson.Output))
            .WithName("ListCrmAccounts");

        g.MapGet("/{id}", async (string id, CrmAccounts accounts, CancellationToken ct) =>
                (await accounts.FindAsync(id, ct)).ToHttp(a => Results.Json(accounts.View(a), PaylinkJson.Output)))
            .Produces<CrmAccountView>().WithName("GetCrmAccount");

        g.MapPut("/{id}", async (string id, HttpContext http, CrmAccounts accounts, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<UpdateBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await accounts.UpdateAsync(id, body!.Settings, ct)).ToHttp(a => Results.Json(accounts.View(a), PaylinkJson.Output));
        }).Produces<CrmAccountView>().WithName("UpdateCrmAccount").WithSummary("Merge new settings over the stored ones and validate again.");

        g.MapDelete("/{id}", async (string id, CrmAccounts accounts, CancellationToken ct) =>
                (await accounts.DeleteAsync(id, ct)).ToHttp(_ => Results.NoContent()))
            .WithName("DeleteCrmAccount").WithSummary("Disconnect: nothing more is pushed; the built-in CRM keeps everything.");

        g.MapPost("/{id}/test", async (string id, CrmAccounts accounts, CancellationToken ct) =>
                (await accounts.TestAsync(id, ct)).ToHttp(m => Results.Json(new { ok = true, message = m }, PaylinkJson.Output)))
            .WithName("TestCrmAccount").WithSummary("A harmless real call: the webhook works and the configured stage ids exist.");

        g.MapGet("/{id}/log", async (string id, string? limit, CrmAccounts accounts, CancellationToken ct) =>
            {
                var n = 100;
                if (limit is not null && !int.TryParse(limit, out n)) return Problems.From(Error.Validation("limit", "limit must be an integer between 1 and 500."));
                return (await accounts.LogAsync(id, n, ct)).ToHttp(items => Results.Json(new { items }, PaylinkJson.Output));
            })
            .WithName("CrmAccountLog").WithSummary("What the connector did and why it failed, newest first (level info, retry or error).");
    }
}
