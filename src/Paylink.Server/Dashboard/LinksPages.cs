using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Messaging;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Refunds;
using Paylink.Server.Api;

namespace Paylink.Server.Dashboard;

/// <summary>/dashboard/links: list with search and status, create (catalog picker), link page (QR, timeline), send, cancel, refund.</summary>
public static class LinksPages
{
    private static readonly string[] Statuses = ["open", "paid", "expired", "cancelled", "refunded", "partially_refunded", "authorized", "voided"];

    public static void Map(RouteGroupBuilder g)
    {
        g.MapGet("/links", async (HttpContext http, string? q, string? status, string? cursor, ListPaymentLinks list, TimeProvider clock, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var page = await list.HandleAsync(new ListPaymentLinksRequest(string.IsNullOrEmpty(status) ? null : status, 50, cursor, q), ct);
            var now = clock.GetUtcNow();
            return c.Page(c.L("Ссылки", "Links"), h =>
            {
                h.Raw("<div class=\"row\" style=\"justify-content:space-between\">").El("h1", c.L("Ссылки на оплату", "Payment links"))
                    .Link("/dashboard/links/new", c.L("Новая ссылка", "New link"), "btn", "new-link").Raw("</div>\n");
                h.Form("/dashboard/links", "get", "links-filter", "row card")
                    .Field(c.L("Поиск (описание, код, id, заказ)", "Search (description, code, id, order)"), "q", q, "search")
                    .Select(c.L("Статус", "Status"), "status", new[] { ("", c.L("все", "all")) }.Concat(Statuses.Select(s => (s, StatusText(c, s)))), status)
                    .Button(c.L("Найти", "Search"), "links-search", "btn secondary").EndForm();
                if (!page.IsSuccess) { h.Error(page.Error!.Message); return; }
                h.Raw("<div class=\"card\">").Scroll(c.L("Ссылки", "Links")).Raw("<table id=\"links-table\"><thead><tr><th scope=\"col\">").Text(c.L("Создана", "Created")).Raw("</th><th scope=\"col\">")
                    .Text(c.L("Описание", "Description")).Raw("</th><th scope=\"col\" class=\"num\">").Text(c.L("Сумма", "Amount")).Raw("</th><th scope=\"col\">")
                    .Text(c.L("Статус", "Status")).Raw("</th></tr></thead><tbody>\n");
                foreach (var l in page.Value.Items)
                {
                    var st = l.StatusAt(now).ToWire();
                    h.Raw("<tr><td>").Text(DateFormat.DateTime(l.CreatedAt, c.Zone, c.Lang)).Raw("</td><td>")
                        .Link("/dashboard/links/" + l.Id, l.Description).Raw("</td><td class=\"num\">").Text(MoneyFormat.Format(l.Amount, c.Lang))
                        .Raw("</td><td>").Raw("<span class=\"badge ").Raw(st).Raw("\">").Text(StatusText(c, st)).Raw("</span></td></tr>\n");
                }
                if (page.Value.Items.Count == 0) h.Raw("<tr><td colspan=\"4\" class=\"muted\">").Text(c.L("Ничего не найдено.", "Nothing found.")).Raw("</td></tr>");
                h.Raw("</tbody></table></div>");
                if (page.Value.NextCursor is { } next)
                    h.Raw("<p>").Link($"/dashboard/links?q={Uri.EscapeDataString(q ?? "")}&status={Uri.EscapeDataString(status ?? "")}&cursor={next}", c.L("Дальше →", "Next →"), id: "links-next").Raw("</p>");
                h.Raw("</div>\n");
            });
        });

        g.MapGet("/links/new", async (HttpContext http, AppDbContext db, CancellationToken ct) =>
            await NewFormAsync(DashContext.For(http), db, null, null, ct));

        g.MapPost("/links", async (HttpContext http, AppDbContext db, CreatePaymentLink create, Idempotency idempotency, PublicUrls urls,
            TimeProvider clock, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var currency = c.Merchant!.DefaultCurrency;
            var serviceId = DashForms.Opt(form, "service");
            var description = DashForms.Opt(form, "description");
            var amountText = DashForms.Opt(form, "amount");
            List<LinkItemInput>? items = null;
            var service = serviceId is null ? null : await db.CatalogServices.AsNoTracking().FirstOrDefaultAsync(s => s.Id == serviceId, ct);
            if (serviceId is not null && service is null) return await NewFormAsync(c, db, form, c.L("Услуга не найдена в каталоге.", "The service is not in the catalog."), ct);
            // The amount is read in the currency it will be charged in: the service's when one is chosen.
            if (service is not null) currency = service.Currency;
            var amount = DashForms.Amount(amountText, currency);
            if (amountText is not null && amount is null)
                return await NewFormAsync(c, db, form, c.L("Сумма: введите число, например 2500 или 2500,50.", "Amount: enter a number such as 2500 or 2500.50."), ct);
            if (service is not null)
            {
                items = [new LinkItemInput(service.Name, 1, amount ?? service.PriceMinor, service.Id)];
                description ??= service.Name;
            }
            var phone = DashForms.Opt(form, "phone");
            var email = DashForms.Opt(form, "email");
            var name = DashForms.Opt(form, "name");
            var request = new CreatePaymentLinkRequest(items is null ? amount : null, currency, description,
                phone is null && email is null && name is null ? null : new CustomerInput(name, phone, email), items);
            var (answer, id) = await PaymentLinksApi.CreateOnceAsync(idempotency, create, urls, clock, c.MerchantId, DashForms.KeyOf(form), request,
                DashForms.Canonical(form), null, ct);
            if (id is null) return await NewFormAsync(c, db, form, DashForms.Message(answer), ct);
            c.Flash(c.L("Ссылка создана.", "Link created."));
            return DashContext.Redirect("/dashboard/links/" + id);
        });

        g.MapGet("/links/{id}", async (string id, HttpContext http, GetPaymentLink get, AppDbContext db, ChannelAccounts channels, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var link = await get.HandleAsync(id, ct);
            if (!link.IsSuccess) return c.NotFound();
            return await LinkPageAsync(c, link.Value, db, channels, null, StatusCodes.Status200OK, ct);
        });

        g.MapPost("/links/{id}/cancel", async (string id, HttpContext http, CancelPaymentLink cancel, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var r = await cancel.HandleAsync(id, ct);
            if (!r.IsSuccess && r.Error!.Kind == ErrorKind.NotFound) return c.NotFound();
            c.Flash(r, c.L("Ссылка отменена.", "Link cancelled."));
            return DashContext.Redirect("/dashboard/links/" + id);
        });

        g.MapPost("/links/{id}/refund", async (string id, HttpContext http, GetPaymentLink get, RefundPayment refunds, Idempotency idempotency,
            AppDbContext db, ChannelAccounts channels, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var link = await get.HandleAsync(id, ct);
            if (!link.IsSuccess) return c.NotFound();
            var form = await http.Request.ReadFormAsync(ct);
            var amountText = DashForms.Opt(form, "amount");
            var amount = DashForms.Amount(amountText, link.Value.Currency);
            if (amountText is not null && amount is null)
                return await LinkPageAsync(c, link.Value, db, channels, c.L("Сумма возврата: введите число.", "Refund amount: enter a number."), StatusCodes.Status422UnprocessableEntity, ct);
            var (refused, sent) = await MoneyApi.RefundOnceAsync(idempotency, refunds, c.MerchantId, DashForms.KeyOf(form), id,
                new RefundLinkRequest(amount, DashForms.Opt(form, "reason")), DashForms.Canonical(form), ct);
            var message = refused is not null ? DashForms.Message(refused)
                : !sent.IsSuccess ? sent.Error!.Message
                : sent.Value.Status switch
                {
                    RefundStatus.Succeeded => c.L("Возврат выполнен.", "Refund done."),
                    RefundStatus.Pending => c.L("Возврат отправлен, ждём ответа платёжной системы.", "Refund sent; waiting for the gateway."),
                    _ => c.L("Платёжная система отклонила возврат: ", "The gateway refused the refund: ") + sent.Value.FailureReason,
                };
            c.Flash(message, refused is not null || !sent.IsSuccess || sent.Value.Status == RefundStatus.Failed);
            return DashContext.Redirect("/dashboard/links/" + id);
        });

        g.MapPost("/links/{id}/send", async (string id, HttpContext http, SendLinkMessage send, Idempotency idempotency, AppDbContext db,
            CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var answer = await MessagingApi.SendOnceAsync(idempotency, send, db, c.MerchantId, DashForms.KeyOf(form), id,
                new SendLinkRequest(DashForms.Opt(form, "channelAccount"), DashForms.Opt(form, "to"), null),
                DashForms.Canonical(form), null, ct);
            if (answer.Status == StatusCodes.Status404NotFound) return c.NotFound();
            var queued = answer.Status == StatusCodes.Status202Accepted;
            c.Flash(queued ? c.L("Сообщение поставлено в очередь на отправку.", "Message queued for sending.") : DashForms.Message(answer), !queued);
            return DashContext.Redirect("/dashboard/links/" + id);
        });
    }

    private static async Task<IResult> NewFormAsync(DashContext c, AppDbContext db, IFormCollection? form, string? error, CancellationToken ct)
    {
        var services = await db.CatalogServices.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        string? V(string n) => form?[n].ToString();
        return c.Page(c.L("Новая ссылка", "New link"), h =>
        {
            h.El("h1", c.L("Новая ссылка на оплату", "New payment link")).Error(error);
            h.Form("/dashboard/links", id: "new-link-form", cls: "card").Hidden(DashForms.NonceField, form?[DashForms.NonceField].ToString() is { Length: > 0 } n ? n : DashForms.NewNonce());
            h.Select(c.L("Услуга из каталога", "Catalog service"), "service",
                new[] { ("", c.L("— без услуги —", "— none —")) }.Concat(services.Select(s => (s.Id, $"{s.Name} · {MoneyFormat.Short(s.Price, c.Lang)}"))), V("service"));
            h.Field(c.L("Описание", "Description"), "description", V("description"), hint: c.L("Если выбрана услуга, можно оставить пустым.", "May be empty when a service is chosen."));
            var symbol = Currencies.TryGet(c.Merchant!.DefaultCurrency, out var cur) ? cur.Symbol : c.Merchant!.DefaultCurrency;
            h.Field(c.L("Сумма, ", "Amount, ") + symbol, "amount", V("amount"), extra: "inputmode=\"decimal\"", hint: c.L("Пусто — цена услуги.", "Empty: the service's price."));
            h.Field(c.L("Имя клиента", "Client name"), "name", V("name"));
            h.Field(c.L("Телефон клиента", "Client phone"), "phone", V("phone"), "tel");
            h.Field(c.L("E-mail клиента", "Client e-mail"), "email", V("email"), "email");
            h.Button(c.L("Создать ссылку", "Create link"), "create-link").EndForm();
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> LinkPageAsync(DashContext c, LinkView link, AppDbContext db, ChannelAccounts channels, string? error, int status, CancellationToken ct)
    {
        var events = await db.LinkEvents.AsNoTracking().Where(e => e.LinkId == link.Id).OrderBy(e => e.Id).ToListAsync(ct);
        var messages = await db.ChannelMessages.AsNoTracking().Where(m => m.LinkId == link.Id).OrderBy(m => m.Id).ToListAsync(ct);
        var accounts = (await channels.ListAsync(ct)).Where(a => a.CanSend).ToList();
        return c.Page(link.Description, h =>
        {
            h.El("h1", link.Description).Error(error);
            h.Raw("<div class=\"card\"><p><b id=\"link-amount\">").Text(MoneyFormat.Format(new Money(link.Amount, link.Currency), c.Lang)).Raw("</b> · <span class=\"badge ")
                .Raw(link.Status).Raw("\" id=\"link-status\">").Text(StatusText(c, link.Status)).Raw("</span></p>");
            h.Raw("<p>").Link(link.Url, link.Url, "mono", "link-url").Raw("</p>");
            h.Raw("<p class=\"muted\">").Text(c.L("Действует до ", "Valid until ") + DateFormat.DateTime(link.ExpiresAt, c.Zone, c.Lang)).Raw(" · id ")
                .Raw("<span class=\"mono\">").Text(link.Id).Raw("</span></p>");
            if (link.Status == "open") h.Raw("<div role=\"img\" aria-label=\"QR\" style=\"width:160px\">").Raw(AuthPages.QrSvg(link.Url)).Raw("</div>");
            h.Raw("</div>\n");

            if (link.Status == "open")
            {
                h.Raw("<div class=\"card\">").El("h2", c.L("Отправить клиенту", "Send to the client"));
                if (accounts.Count == 0) h.El("p", c.L("Нет подключённых каналов.", "No channels connected."), "muted");
                else
                    h.Form($"/dashboard/links/{link.Id}/send", id: "send-form").Hidden(DashForms.NonceField, DashForms.NewNonce())
                        .Select(c.L("Канал", "Channel"), "channelAccount", accounts.Select(a => (a.Id, $"{a.Name} ({a.Provider})")), null)
                        .Field(c.L("Кому: телефон, e-mail или id чата — как требует канал", "To: phone, e-mail or chat id, as the channel needs"), "to", null, required: true)
                        .Button(c.L("Отправить", "Send"), "send-link").EndForm();
                h.ActionButton($"/dashboard/links/{link.Id}/cancel", c.L("Отменить ссылку", "Cancel link"), "cancel-link", "btn danger");
                h.Raw("</div>\n");
            }

            if (link.Payments.Count > 0)
            {
                h.Raw("<div class=\"card\">").El("h2", c.L("Платежи", "Payments"));
                h.Raw("<table id=\"payments\"><tbody>");
                foreach (var p in link.Payments)
                    h.Raw("<tr><td>").Text(DateFormat.DateTime(p.PaidAt, c.Zone, c.Lang)).Raw("</td><td>").Text(p.Provider).Raw("</td><td class=\"pay-method\">")
                        .Text(Labels.Method(c, p.Method)).Raw("</td><td class=\"num\">")
                        .Text(MoneyFormat.Format(new Money(p.Captured, p.Currency), c.Lang)).Raw("</td><td>").Text(c.L("возвращено ", "refunded ") + MoneyFormat.Format(new Money(p.Refunded, p.Currency), c.Lang))
                        .Raw("</td></tr>");
                h.Raw("</tbody></table>");
                foreach (var r in link.Refunds)
                    h.Raw("<p class=\"muted\">").Text($"{c.L("Возврат", "Refund")} {MoneyFormat.Format(new Money(r.Amount, r.Currency), c.Lang)} · {r.Status}{(r.FailureReason is null ? "" : " · " + r.FailureReason)}").Raw("</p>");
                if (link.Status is "paid" or "partially_refunded")
                    h.Form($"/dashboard/links/{link.Id}/refund", id: "refund-form").Hidden(DashForms.NonceField, DashForms.NewNonce())
                        .Field(c.L("Сумма возврата (пусто — всё)", "Refund amount (empty: all)"), "amount", null, extra: "inputmode=\"decimal\"")
                        .Field(c.L("Причина", "Reason"), "reason", null)
                        .Button(c.L("Вернуть деньги", "Refund"), "refund", "btn danger").EndForm();
                h.Raw("</div>\n");
            }

            if (messages.Count > 0)
            {
                // Which channel reached whom: each message of the link, and the channel it fell back from.
                var byId = messages.ToDictionary(m => m.Id, StringComparer.Ordinal);
                h.Raw("<div class=\"card\">").El("h2", c.L("Сообщения", "Messages"));
                h.Raw("<table id=\"link-messages\"><tbody>");
                foreach (var m in messages)
                {
                    var from = m.FallbackFromId is not null && byId.TryGetValue(m.FallbackFromId, out var f) ? f.Channel : null;
                    h.Raw("<tr><td>").Text(DateFormat.DateTime(m.CreatedAt, c.Zone, c.Lang)).Raw("</td><td>").Text(Labels.Channel(c, m.Channel))
                        .Text(from is null ? "" : c.L($" (вместо {from})", $" (instead of {from})")).Raw("</td><td class=\"mono\">").Text(MaskAddress(m.To))
                        .Raw("</td><td>").Text(m.Template ?? "").Raw("</td><td>").Text(MessageStatusText(c, m.Status)).Raw("</td></tr>");
                }
                h.Raw("</tbody></table></div>\n");
            }

            h.Raw("<div class=\"card\">").El("h2", c.L("История", "Timeline"));
            h.Raw("<ol id=\"timeline\">");
            foreach (var e in events)
            {
                var channel = e.Type == LinkEventTypes.Sent && e.DataJson is not null ? LinkEvent.ChannelOf(e.DataJson) : null;
                h.Raw("<li>").Text(DateFormat.DateTime(e.At, c.Zone, c.Lang)).Raw(" — ").Text(EventText(c, e.Type)).Text(channel is null ? "" : $" ({channel})").Raw("</li>");
            }
            h.Raw("</ol></div>\n");
        }, status);
    }

    /// <summary>A recipient as the dashboard shows it: phones and e-mails masked, chat ids as they are.</summary>
    private static string MaskAddress(string to) =>
        to.StartsWith('+') ? Masking.Phone(to) : to.Contains('@', StringComparison.Ordinal) ? Masking.Email(to) : to;

    private static string MessageStatusText(DashContext c, string s) => s switch
    {
        "queued" => c.L("в очереди", "queued"),
        "sent" => c.L("отправлено", "sent"),
        "delivered" => c.L("доставлено", "delivered"),
        "failed" => c.L("не доставлено", "failed"),
        _ => s,
    };

    internal static string StatusText(DashContext c, string s) => s switch
    {
        "open" => c.L("ожидает оплаты", "open"),
        "paid" => c.L("оплачена", "paid"),
        "expired" => c.L("истекла", "expired"),
        "cancelled" => c.L("отменена", "cancelled"),
        "refunded" => c.L("возвращена", "refunded"),
        "partially_refunded" => c.L("частично возвращена", "partially refunded"),
        "authorized" => c.L("деньги заблокированы", "authorized"),
        "voided" => c.L("блокировка снята", "voided"),
        _ => s,
    };

    private static string EventText(DashContext c, string type) => type switch
    {
        LinkEventTypes.Created => c.L("создана", "created"),
        LinkEventTypes.Sent => c.L("отправлена клиенту", "sent to the client"),
        LinkEventTypes.Opened => c.L("открыта", "opened"),
        LinkEventTypes.CheckoutStarted => c.L("начата оплата", "checkout started"),
        LinkEventTypes.CheckoutFailed => c.L("оплата не началась", "checkout failed"),
        LinkEventTypes.Paid => c.L("оплачена", "paid"),
        LinkEventTypes.Expired => c.L("истекла", "expired"),
        LinkEventTypes.Cancelled => c.L("отменена", "cancelled"),
        _ => type,
    };
}
