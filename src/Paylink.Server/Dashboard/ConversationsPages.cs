using Paylink.Core.Assistance;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Data;
using Paylink.Core.Messaging;
using Paylink.Core.Providers;
using Microsoft.EntityFrameworkCore;

namespace Paylink.Server.Dashboard;

/// <summary>/dashboard/conversations: all or the hand-over inbox (needs a reply), a transcript, the manager's reply and the
/// client's own channel order (the same use case as PUT /api/v1/crm/contacts/{id}/channel-order).</summary>
public static class ConversationsPages
{
    public static void Map(RouteGroupBuilder g)
    {
        g.MapGet("/conversations", async (HttpContext http, string? inbox, ConversationQueries q, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var onlyInbox = inbox == "1";
            var list = await q.ListAsync(onlyInbox ? true : null, null, ConversationQueries.MaxPage, ct);
            return c.Page(c.L("Диалоги", "Conversations"), h =>
            {
                h.El("h1", onlyInbox ? c.L("Ждут ответа менеджера", "Waiting for a manager") : c.L("Диалоги", "Conversations"));
                h.Raw("<p class=\"row\">").Link("/dashboard/conversations", c.L("Все", "All"), id: "conv-all")
                    .Link("/dashboard/conversations?inbox=1", c.L("Ждут ответа", "Needs reply"), id: "conv-inbox").Raw("</p>\n");
                h.Raw("<div class=\"card\"><table id=\"conversations\"><tbody>");
                foreach (var x in list)
                    h.Raw("<tr><td>").Link("/dashboard/conversations/" + x.Id, x.DisplayName ?? x.Address).Raw("</td><td>").Text(Labels.Channel(c, x.Channel)).Raw("</td><td>")
                        .Text(DateFormat.DateTime(x.LastMessageAt, c.Zone, c.Lang)).Raw("</td><td>")
                        .Raw(x.NeedsReply ? "<span class=\"badge no_show\">" + c.L("ждёт ответа", "needs reply") + "</span>" : "").Raw("</td></tr>\n");
                if (list.Count == 0) h.Raw("<tr><td class=\"muted\">").Text(c.L("Диалогов нет.", "No conversations.")).Raw("</td></tr>");
                h.Raw("</tbody></table></div>\n");
            });
        });

        g.MapGet("/conversations/{id}", async (string id, HttpContext http, ConversationQueries q, CancellationToken ct) =>
            await TranscriptAsync(DashContext.For(http), id, q, null, ct));

        g.MapPost("/conversations/{id}/channel-order", async (string id, HttpContext http, ConversationQueries q, ChannelFallbackPolicies policies, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var conv = await q.GetAsync(id, ct);
            if (!conv.IsSuccess || conv.Value.CustomerId is not { } customerId) return c.NotFound();
            var form = await http.Request.ReadFormAsync(ct);
            // One select per position; empty positions are skipped, all empty clears the client's order.
            var order = form["order"].Select(o => (o ?? "").Trim()).Where(o => o.Length > 0).ToList();
            var r = await policies.SetClientOrderAsync(customerId, order, ct);
            if (!r.IsSuccess)
                return r.Error!.Kind == ErrorKind.NotFound ? c.NotFound() : await TranscriptAsync(c, id, q, null, ct, r.Error.Message);
            c.Flash(order.Count == 0 ? c.L("Свой порядок каналов клиента снят: действует порядок магазина.", "The client's own channel order is cleared: the merchant's applies.")
                : c.L("Порядок каналов клиента сохранён.", "The client's channel order is saved."));
            return DashContext.Redirect($"/dashboard/conversations/{id}#channel-order");
        });

        g.MapPost("/conversations/{id}/assistant", async (string id, HttpContext http, AssistantConversations assistant, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var active = (await http.Request.ReadFormAsync(ct))["active"] == "true";
            var r = await assistant.SetActiveAsync(id, active, ct);
            if (!r.IsSuccess && r.Error!.Kind == ErrorKind.NotFound) return c.NotFound();
            c.Flash(r, active ? c.L("Диалог возвращён ассистенту.", "Handed back to the assistant.") : c.L("Вы ведёте диалог: ассистент молчит.", "You took over: the assistant stays quiet."));
            return DashContext.Redirect("/dashboard/conversations/" + id);
        });

        g.MapPost("/conversations/{id}/reply", async (string id, HttpContext http, ReplyToConversation reply, ConversationQueries q, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var r = await reply.HandleAsync(id, form["text"].ToString(), ct);
            if (!r.IsSuccess)
                return r.Error!.Kind == ErrorKind.NotFound ? c.NotFound() : await TranscriptAsync(c, id, q, r.Error.Message, ct);
            c.Flash(c.L("Ответ отправляется.", "Reply is being sent."));
            return DashContext.Redirect("/dashboard/conversations/" + id);
        });
    }

    private static async Task<IResult> TranscriptAsync(DashContext c, string id, ConversationQueries q, string? error, CancellationToken ct, string? orderError = null)
    {
        var conv = await q.GetAsync(id, ct);
        if (!conv.IsSuccess) return c.NotFound();
        var v = conv.Value;
        IReadOnlyList<string> own = [];
        List<string> channelIds = [];
        if (v.CustomerId is not null)
        {
            var sp = c.Http.RequestServices;
            var customer = await sp.GetRequiredService<AppDbContext>().Customers.AsNoTracking().FirstOrDefaultAsync(x => x.Id == v.CustomerId, ct);
            if (customer is not null) own = ChannelFallbackPolicies.ClientOrder(customer);
            channelIds = sp.GetRequiredService<ProviderRegistry<IMessageChannel>>().Ids.Order(StringComparer.Ordinal).ToList();
        }
        return c.Page(v.DisplayName ?? v.Address, h =>
        {
            h.El("h1", v.DisplayName ?? v.Address).El("p", $"{v.Channel} · {v.Address}", "muted");
            h.Raw("<p id=\"assistant-state\">").Text(v.AssistantActive ? c.L("Отвечает ассистент. ", "The assistant answers. ") : c.L("Ведёт менеджер, ассистент молчит. ", "A manager leads; the assistant is quiet. "));
            h.ActionButton($"/dashboard/conversations/{v.Id}/assistant", v.AssistantActive ? c.L("Взять диалог на себя", "Take over") : c.L("Вернуть ассистенту", "Hand back"),
                "assistant-toggle", "btn secondary", ("active", v.AssistantActive ? "false" : "true"));
            h.Raw("</p>\n");
            h.Raw("<div class=\"card\" id=\"transcript\">");
            foreach (var m in v.Messages ?? [])
            {
                var outgoing = m.Direction == MessageDirections.Outbound;
                h.Raw("<div class=\"bubble").Raw(outgoing ? " out" : "").Raw("\"><small class=\"muted\">")
                    .Text(DateFormat.DateTime(m.CreatedAt, c.Zone, c.Lang) + (outgoing ? " · " + (m.Author == "manager" ? c.L("менеджер", "manager") : c.L("ассистент", "assistant")) + " · " + m.Status : ""))
                    .Raw("</small><div>").Text(m.Text).Raw("</div></div>\n");
            }
            h.Raw("</div>\n");
            h.Error(error).Form($"/dashboard/conversations/{v.Id}/reply", id: "reply-form", cls: "card")
                .TextArea(c.L("Ответ клиенту", "Reply to the client"), "text", null, 3, required: true)
                .Button(c.L("Отправить", "Send"), "reply").EndForm();
            if (v.CustomerId is null) return;
            h.Raw("<div class=\"card\" id=\"channel-order\">").El("h2", c.L("Порядок каналов клиента", "The client's channel order"))
                .El("p", c.L("Заменяет порядок магазина для этого клиента. Все поля пустые — действует порядок магазина.",
                    "Replaces the merchant's order for this client. All empty: the merchant's order applies."), "muted");
            h.Error(orderError).Form($"/dashboard/conversations/{v.Id}/channel-order", id: "channel-order-form");
            var options = new[] { ("", c.L("— нет —", "— none —")) }.Concat(channelIds.Select(p => (p, p))).ToList();
            for (var i = 0; i < Math.Min(channelIds.Count, ChannelFallbackPolicy.MaxChannels); i++)
                h.Select(c.L($"{i + 1}-й канал", $"Channel {i + 1}"), "order", options, i < own.Count ? own[i] : "", idPrefix: $"order{i + 1}");
            h.Button(c.L("Сохранить", "Save"), "save-channel-order").EndForm().Raw("</div>\n");
        }, error is null && orderError is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
