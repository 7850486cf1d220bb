using Paylink.Core.Assistance;
using Paylink.Core.Common;
using Paylink.Core.Messaging;

namespace Paylink.Server.Api;

/// <summary>/api/v1/assistant: the merchant's assistant rules, the decision log, and taking over / handing back a conversation.</summary>
public static class AssistantApi
{
    public sealed record ActiveBody(bool? Active);

    public static void MapAssistantApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/assistant").WithTags("Assistant");
        g.MapGet("/settings", async (MerchantScope scope, AssistantSettingsStore store, CancellationToken ct) =>
            Results.Json(await store.GetAsync(scope.MerchantId!, ct), PaylinkJson.Output)).WithName("GetAssistantSettings");
        g.MapPut("/settings", async (HttpContext http, MerchantScope scope, AssistantSettingsStore store, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<AssistantSettings>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await store.SaveAsync(scope.MerchantId!, body!, ct)).ToHttp(v => Results.Json(v, PaylinkJson.Output));
        }).WithName("PutAssistantSettings")
          .WithSummary("Replace the rules: enabled, disabledChannelAccounts, hours ('mon-fri 10:00-20:00; sat 11:00-18:00'), prepayment {kind none|fixed|percent|full, value}, cancellation, slot and payment limits.");
        g.MapGet("/decisions", async (string? conversation, int? limit, AssistantConversations q, CancellationToken ct) =>
                (await q.DecisionsAsync(conversation, limit, ct)).ToHttp(v => Results.Json(new { items = v }, PaylinkJson.Output)))
            .WithName("ListAssistantDecisions").WithSummary("What the assistant understood (intent, confidence, rules or llm) and did, newest first.");

        api.MapPost("/conversations/{id}/assistant", async (string id, HttpContext http, AssistantConversations q, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<ActiveBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await q.SetActiveAsync(id, body!.Active, ct)).ToHttp(c => Results.Json(ConversationView.From(c), PaylinkJson.Output));
        }).WithTags("Conversations").WithName("SetConversationAssistant")
          .WithSummary("active=false: a person takes over and the assistant stays quiet; active=true: hand the conversation back to the assistant.");
    }
}
