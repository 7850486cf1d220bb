using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Messaging;

namespace Paylink.Server.Api;

/// <summary>/api/v1/channel-accounts: connect, list, update (PATCH), delete, test and register the webhook of messaging channels.</summary>
public static class ChannelAccountsApi
{
    public sealed record CreateBody(string? Provider, string? Name, JsonObject? Settings);
    public sealed record UpdateBody(string? Name, bool? Enabled, JsonObject? Settings);

    public static void MapChannelAccountsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/channel-accounts").WithTags("Channel accounts");

        g.MapPost("/", async (HttpContext http, MerchantScope scope, ChannelAccounts accounts, AppDbContext db, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<CreateBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            var created = await accounts.CreateAsync(scope.MerchantId!, body!.Provider, body.Name, body.Settings, ct);
            if (!created.IsSuccess) return Problems.From(created.Error!);
            await db.SaveChangesAsync(ct);
            http.Response.Headers.Location = "/api/v1/channel-accounts/" + created.Value.Id;
            return Results.Json(accounts.View(created.Value), PaylinkJson.Output, statusCode: StatusCodes.Status201Created);
        }).Produces<ChannelAccountView>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
          .WithName("CreateChannelAccount").WithSummary("Connect a channel (telegram, exolve, email, webchat); settings validated by the provider, stored encrypted, shown masked.");

        g.MapGet("/", async (ChannelAccounts accounts, CancellationToken ct) =>
                Results.Json(new { items = (await accounts.ListAsync(ct)).Select(accounts.View).ToList() }, PaylinkJson.Output))
            .WithName("ListChannelAccounts");

        g.MapGet("/{id}", async (string id, ChannelAccounts accounts, CancellationToken ct) =>
                (await accounts.FindAsync(id, ct)).ToHttp(a => Results.Json(accounts.View(a), PaylinkJson.Output)))
            .Produces<ChannelAccountView>().WithName("GetChannelAccount");

        g.MapPatch("/{id}", async (string id, HttpContext http, ChannelAccounts accounts, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<UpdateBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await accounts.UpdateAsync(id, body!.Name, body.Enabled, body.Settings, ct)).ToHttp(a => Results.Json(accounts.View(a), PaylinkJson.Output));
        }).Produces<ChannelAccountView>().WithName("UpdateChannelAccount").WithSummary("Rename, enable/disable and/or merge new settings over the stored ones.");

        g.MapDelete("/{id}", async (string id, ChannelAccounts accounts, CancellationToken ct) =>
                (await accounts.DeleteAsync(id, ct)).ToHttp(_ => Results.NoContent()))
            .WithName("DeleteChannelAccount").WithSummary("Soft delete: sends nothing more; conversations stay readable.");

        g.MapPost("/{id}/test", async (string id, ChannelAccounts accounts, CancellationToken ct) =>
                (await accounts.TestAsync(id, ct)).ToHttp(m => Results.Json(new { ok = true, message = m }, PaylinkJson.Output)))
            .WithName("TestChannelAccount").WithSummary("Checks the credentials with a real, harmless call (Telegram getMe, SMTP login…).");

        g.MapPost("/{id}/register-webhook", async (string id, ChannelAccounts accounts, CancellationToken ct) =>
                (await accounts.RegisterWebhookAsync(id, ct)).ToHttp(m => Results.Json(new { ok = true, message = m }, PaylinkJson.Output)))
            .WithName("RegisterChannelWebhook").WithSummary("Telegram: generates a new secret and calls setWebhook with it and the account's webhookUrl.");
    }
}
