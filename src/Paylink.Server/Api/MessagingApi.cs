using System.Text.Json;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.Core.Messaging;

namespace Paylink.Server.Api;

/// <summary>Sending links to clients, messages, conversations, templates, reminders and the reminder policy.</summary>
public static class MessagingApi
{
    public sealed record SendBody(string? ChannelAccount, string? To, string? Template);
    public sealed record ReplyBody(string? Text);
    public sealed record TemplateBody(string? Text);
    public sealed record PreviewBody(string? Text, string? Channel);

    public sealed record ChannelOrderBody(IReadOnlyList<string>? Order);

    public static void MapMessagingApi(this RouteGroupBuilder api)
    {
        api.MapPost("/links/{id}/send", SendAsync).WithTags("Messages")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("SendLink").WithSummary("Queue the link's invoice (or another link template) for a client on a channel account → 202 {messageId, status}.");

        api.MapGet("/messages/{id}", async (string id, ConversationQueries q, CancellationToken ct) =>
                (await q.MessageAsync(id, ct)).ToHttp(m => Results.Json(m, PaylinkJson.Output)))
            .WithTags("Messages").Produces<MessageView>().WithName("GetMessage").WithSummary("A message with its status: queued → sent → delivered, or failed with the error.");

        api.MapGet("/links/{id}/reminders", async (string id, ConversationQueries q, CancellationToken ct) =>
                (await q.LinkRemindersAsync(id, ct)).ToHttp(r => Results.Json(new { items = r }, PaylinkJson.Output)))
            .WithTags("Reminders").WithName("ListLinkReminders").WithSummary("The link's planned, sent and cancelled reminders.");

        api.MapGet("/links/{id}/messages", async (string id, ConversationQueries q, CancellationToken ct) =>
                (await q.LinkMessagesAsync(id, ct)).ToHttp(r => Results.Json(new { items = r }, PaylinkJson.Output)))
            .WithTags("Messages").WithName("ListLinkMessages")
            .WithSummary("The link's messages in order, with channel, status and fallbackFromId: which channel reached the client.");

        var f = api.MapGroup("/channel-fallback").WithTags("Messages");
        f.MapGet("", async (MerchantScope scope, ChannelFallbackPolicies policies, CancellationToken ct) =>
            Results.Json(await policies.GetAsync(scope.MerchantId!, ct), PaylinkJson.Output)).WithName("GetChannelFallback")
            .WithSummary("The merchant's fallback order of channels (empty: off) and the delivery timeout.");
        f.MapPut("", async (HttpContext http, MerchantScope scope, ChannelFallbackPolicies policies, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<ChannelFallbackPolicy>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await policies.SaveAsync(scope.MerchantId!, body!, ct)).ToHttp(v => Results.Json(v, PaylinkJson.Output));
        }).WithName("PutChannelFallback").WithSummary("Replace the fallback order {order:[provider ids], deliveryTimeoutMinutes?}; errors name the field.");
        api.MapPut("/crm/contacts/{id}/channel-order", async (string id, HttpContext http, ChannelFallbackPolicies policies, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<ChannelOrderBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await policies.SetClientOrderAsync(id, body!.Order ?? [], ct))
                .ToHttp(c => Results.Json(new { id = c.Id, channelOrder = ChannelFallbackPolicies.ClientOrder(c) }, PaylinkJson.Output));
        }).WithTags("CRM").WithName("PutContactChannelOrder").WithSummary("The client's own fallback order (replaces the merchant's for them); [] clears it.");

        var c = api.MapGroup("/conversations").WithTags("Conversations");
        c.MapGet("", async (string? needsReply, string? channelAccount, string? limit, ConversationQueries q, CancellationToken ct) =>
        {
            bool? nr = null;
            if (needsReply is not null)
            {
                if (!bool.TryParse(needsReply, out var b)) return Problems.From(Error.Validation("needsReply", "needsReply must be true or false."));
                nr = b;
            }
            var n = 50;
            if (limit is not null && (!int.TryParse(limit, out n) || n is < 1 or > ConversationQueries.MaxPage))
                return Problems.From(Error.Validation("limit", $"limit must be an integer between 1 and {ConversationQueries.MaxPage}."));
            var list = await q.ListAsync(nr, channelAccount, n, ct);
            return Results.Json(new { items = list.Select(x => ConversationView.From(x)).ToList() }, PaylinkJson.Output);
        }).WithName("ListConversations").WithSummary("Newest first; ?needsReply=true is the manager's queue.");
        c.MapGet("/{id}", async (string id, ConversationQueries q, CancellationToken ct) =>
                (await q.GetAsync(id, ct)).ToHttp(v => Results.Json(v, PaylinkJson.Output)))
            .Produces<ConversationView>().WithName("GetConversation");
        c.MapPost("/{id}/messages", async (string id, HttpContext http, ReplyToConversation reply, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<ReplyBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await reply.HandleAsync(id, body!.Text, ct)).ToHttp(m =>
                Results.Json(new { messageId = m.Id, status = m.Status }, PaylinkJson.Output, statusCode: StatusCodes.Status202Accepted));
        }).WithName("ReplyInConversation").WithSummary("A manager's reply, sent through the message.send job.");

        var t = api.MapGroup("/templates").WithTags("Templates");
        t.MapGet("", async (string? lang, MerchantScope scope, MessageTemplates templates, CancellationToken ct) =>
        {
            var l = MessageTemplates.ParseLanguage(lang);
            if (!l.IsSuccess) return Problems.From(l.Error!);
            var items = new List<object>();
            foreach (var evt in TemplateEvents.Defaults.Keys)
            {
                var (text, custom) = await templates.GetAsync(scope.MerchantId!, evt, l.Value, ct);
                items.Add(new { @event = evt, lang = l.Value, text, custom });
            }
            return Results.Json(new { items, placeholders = TemplateEvents.Placeholders }, PaylinkJson.Output);
        }).WithName("ListTemplates");
        t.MapGet("/{event}", async (string @event, string? lang, MerchantScope scope, MessageTemplates templates, CancellationToken ct) =>
        {
            var check = Check(@event, lang);
            if (check is not null) return check;
            var l = MessageTemplates.ParseLanguage(lang).Value;
            var (text, custom) = await templates.GetAsync(scope.MerchantId!, @event, l, ct);
            return Results.Json(new { @event, lang = l, text, custom, placeholders = TemplateEvents.Placeholders }, PaylinkJson.Output);
        }).WithName("GetTemplate");
        t.MapPut("/{event}", async (string @event, string? lang, HttpContext http, MerchantScope scope, MessageTemplates templates, CancellationToken ct) =>
        {
            var check = Check(@event, lang);
            if (check is not null) return check;
            var (body, _, error) = await JsonBody.ReadAsync<TemplateBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            var l = MessageTemplates.ParseLanguage(lang).Value;
            return (await templates.SaveAsync(scope.MerchantId!, @event, l, body!.Text, ct))
                .ToHttp(text => Results.Json(new { @event, lang = l, text, custom = true }, PaylinkJson.Output));
        }).WithName("PutTemplate").WithSummary("Save the merchant's text; unknown {{placeholders}} → 422 naming them.");
        t.MapDelete("/{event}", async (string @event, string? lang, MerchantScope scope, MessageTemplates templates, CancellationToken ct) =>
        {
            var check = Check(@event, lang);
            if (check is not null) return check;
            await templates.ResetAsync(scope.MerchantId!, @event, MessageTemplates.ParseLanguage(lang).Value, ct);
            return Results.NoContent();
        }).WithName("ResetTemplate").WithSummary("Back to the built-in text.");
        t.MapPost("/{event}/preview", PreviewAsync).WithName("PreviewTemplate")
            .WithSummary("Render with sample data (the given text or the saved one); with channel=exolve also the SMS encoding and segments.");

        var p = api.MapGroup("/reminder-policy").WithTags("Reminders");
        p.MapGet("", async (MerchantScope scope, ReminderPolicies policies, CancellationToken ct) =>
            Results.Json(await policies.GetAsync(scope.MerchantId!, ct), PaylinkJson.Output)).WithName("GetReminderPolicy");
        p.MapPut("", async (HttpContext http, MerchantScope scope, ReminderPolicies policies, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<ReminderPolicy>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await policies.SaveAsync(scope.MerchantId!, body!, ct)).ToHttp(v => Results.Json(v, PaylinkJson.Output));
        }).WithName("PutReminderPolicy").WithSummary("Replace the policy (all fields); errors name the field.");
    }

    private static IResult? Check(string evt, string? lang)
    {
        if (!TemplateEvents.IsKnown(evt)) return Problems.From(Error.NotFound($"Template event '{evt}'"));
        var l = MessageTemplates.ParseLanguage(lang);
        return l.IsSuccess ? null : Problems.From(l.Error!);
    }

    private static async Task<IResult> PreviewAsync(string @event, string? lang, HttpContext http, MerchantScope scope, MessageTemplates templates,
        MerchantCache merchants, CancellationToken ct)
    {
        var check = Check(@event, lang);
        if (check is not null) return check;
        var l = MessageTemplates.ParseLanguage(lang).Value;
        var (body, _, error) = await JsonBody.ReadAsync<PreviewBody>(http.Request, ct);
        if (error is not null) return Problems.BadRequest(error);
        var text = body!.Text;
        if (text is null) text = (await templates.GetAsync(scope.MerchantId!, @event, l, ct)).Text;
        else
        {
            var valid = MessageTemplates.Validate(text);
            if (!valid.IsSuccess) return Problems.From(valid.Error!);
        }
        var merchant = await merchants.GetAsync(scope.MerchantId!, ct);
        var (rendered, count) = MessageTemplates.Preview(merchant!, text, l);
        object? sms = null;
        if (body.Channel is "exolve" or "sms")
        {
            sms = new { encoding = count.Encoding == SmsEncoding.Gsm7 ? "gsm7" : "ucs2", segments = count.Segments, characters = count.Characters, perSegment = count.PerSegment };
        }
        return Results.Json(new { @event, lang = l, text = rendered, sms }, PaylinkJson.Output);
    }

    private static async Task<IResult> SendAsync(string id, HttpContext http, MerchantScope scope, SendLinkMessage send, Idempotency idempotency,
        AppDbContext db, CancellationToken ct)
    {
        var (key, keyError) = Idempotency.KeyOf(http.Request);
        if (keyError is not null) return Problems.BadRequest(keyError);
        var (body, raw, error) = await JsonBody.ReadAsync<SendBody>(http.Request, ct);
        var merchantId = scope.MerchantId!;
        // The link id is part of the operation, so one key cannot replay a send of another link.
        var answer = await SendOnceAsync(idempotency, send, db, merchantId, key, id,
            body is null ? null : new SendLinkRequest(body.ChannelAccount, body.To, body.Template), raw, error, ct);
        if (answer.Status == StatusCodes.Status202Accepted)
            http.Response.Headers.Location = "/api/v1/messages/" + JsonDocument.Parse(answer.Json).RootElement.GetProperty("messageId").GetString();
        var contentType = answer.Status >= 400 ? "application/problem+json" : "application/json; charset=utf-8";
        return Results.Text(answer.Json, contentType, System.Text.Encoding.UTF8, answer.Status);
    }

    /// <summary>Queues the link's message once per (merchant, key) → 202 {messageId, status}; the API and the dashboard share it.</summary>
    internal static Task<Idempotency.Answer> SendOnceAsync(Idempotency idempotency, SendLinkMessage send, AppDbContext db, string merchantId, string? key,
        string linkId, SendLinkRequest? request, byte[] raw, Error? bodyError, CancellationToken ct) =>
        idempotency.RunAsync(merchantId, key, "links.send:" + linkId, raw, async () =>
        {
            if (bodyError is not null) return Idempotency.Answer.Problem(bodyError, StatusCodes.Status400BadRequest);
            var result = await send.HandleAsync(merchantId, linkId, request!, ct);
            if (!result.IsSuccess) return Idempotency.Answer.Problem(result.Error!);
            await db.SaveChangesAsync(ct);
            return new Idempotency.Answer(StatusCodes.Status202Accepted,
                JsonSerializer.Serialize(new { messageId = result.Value.Id, status = result.Value.Status }, PaylinkJson.Output));
        }, ct);
}
