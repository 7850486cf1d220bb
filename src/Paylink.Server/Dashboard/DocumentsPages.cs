using Paylink.Core.Common;
using Paylink.Core.Documents;
using Paylink.Server.Api;

namespace Paylink.Server.Dashboard;

/// <summary>
/// B2B documents in the dashboard. /dashboard/settings/requisites (owner): the merchant's details printed on a счёт and an
/// акт, stored by <see cref="RequisitesStore"/> (the same as PUT /api/v1/requisites). /dashboard/invoices: the счета,
/// a form to issue one (the same use case as POST /api/v1/invoices, double submits replayed by the form's nonce), the PDF
/// and cancelling.
/// </summary>
public static class DocumentsPages
{
    public static void MapSettings(RouteGroupBuilder settings)
    {
        settings.MapGet("/requisites", async (HttpContext http, RequisitesStore store, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            return RequisitesPage(c, await store.GetAsync(c.MerchantId, ct) ?? new Requisites(), null);
        });
        settings.MapPost("/requisites", async (HttpContext http, RequisitesStore store, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            string? F(string name) => DashForms.Opt(form, name);
            int? due = null;
            var dueText = F("dueDays");
            if (dueText is not null)
            {
                if (!int.TryParse(dueText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var d))
                    return RequisitesPage(c, new Requisites(), Error.Validation("dueDays", c.L("Срок оплаты: целое число дней.", "Due in: a whole number of days.")));
                due = d;
            }
            var r = new Requisites(F("name"), F("inn"), F("kpp"), F("ogrn"), F("address"), F("bankName"), F("bic"), F("correspondentAccount"),
                F("account"), F("signerName"), F("signerPosition"), F("vat"), due);
            var saved = await store.SaveAsync(c.MerchantId, r, ct);
            if (!saved.IsSuccess) return RequisitesPage(c, r, saved.Error);
            c.Flash(c.L("Реквизиты сохранены.", "Requisites saved."));
            return DashContext.Redirect("/dashboard/settings/requisites");
        });
    }

    private const int FormLines = 5;

    public static void MapInvoices(RouteGroupBuilder g)
    {
        g.MapGet("/invoices", async (HttpContext http, string? status, string? cursor, InvoiceQueries q, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var page = await q.ListAsync(string.IsNullOrEmpty(status) ? null : status, 50, cursor, ct);
            return c.Page(c.L("Счета", "Invoices"), h =>
            {
                h.Raw("<div class=\"row\" style=\"justify-content:space-between\">").El("h1", c.L("Счета для компаний", "Invoices for companies"))
                    .Link("/dashboard/invoices/new", c.L("Выставить счёт", "New invoice"), "btn", "new-invoice")
                    .Link("/dashboard/invoices/statements", c.L("Загрузить выписку", "Upload statement"), "btn secondary", "statements").Raw("</div>\n");
                if (!page.IsSuccess) { h.Error(page.Error!.Message); return; }
                h.Raw("<div class=\"card\">").Scroll(c.L("Счета", "Invoices")).Raw("<table id=\"invoices-table\"><thead><tr><th scope=\"col\">№</th><th scope=\"col\">").Text(c.L("Дата", "Date"))
                    .Raw("</th><th scope=\"col\">").Text(c.L("Покупатель", "Buyer")).Raw("</th><th scope=\"col\" class=\"num\">").Text(c.L("Сумма", "Amount"))
                    .Raw("</th><th scope=\"col\">").Text(c.L("Статус", "Status")).Raw("</th></tr></thead><tbody>\n");
                foreach (var i in page.Value.Items)
                    h.Raw("<tr><td>").Link("/dashboard/invoices/" + i.Id, i.NumberText).Raw("</td><td>").Text(InvoicePdf.Date(i.IssueDate)).Raw("</td><td>")
                        .Text($"{i.BuyerName} (ИНН {i.BuyerInn})").Raw("</td><td class=\"num\">").Text(RussianMoney.Amount(i.AmountMinor) + " ₽")
                        .Raw("</td><td>").Text(StatusText(c, i.Status)).Raw("</td></tr>\n");
                if (page.Value.Items.Count == 0) h.Raw("<tr><td colspan=\"5\" class=\"muted\">").Text(c.L("Счетов пока нет.", "No invoices yet.")).Raw("</td></tr>");
                h.Raw("</tbody></table></div>");
                if (page.Value.NextCursor is { } next) h.Raw("<p>").Link($"/dashboard/invoices?cursor={Uri.EscapeDataString(next)}", c.L("Дальше →", "More →")).Raw("</p>");
                h.Raw("</div>");
            });
        });

        g.MapGet("/invoices/new", (HttpContext http) => NewInvoicePage(DashContext.For(http), null, null));

        g.MapGet("/invoices/statements", async (HttpContext http, StatementReview review, CancellationToken ct) =>
            await StatementsPageAsync(DashContext.For(http), review, null, null, ct));

        g.MapPost("/invoices/statements", async (HttpContext http, ImportStatement import, StatementReview review, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var file = form.Files.GetFile("file");
            if (file is null || file.Length == 0)
                return await StatementsPageAsync(c, review, c.L("Выберите файл выписки (1C, .txt).", "Choose a statement file (1C, .txt)."), null, ct);
            if (file.Length > ImportStatement.MaxBytes)
                return await StatementsPageAsync(c, review, c.L("Файл больше 5 МБ.", "The file is over 5 MB."), null, ct);
            using var ms = new MemoryStream();
            await file.CopyToAsync(ms, ct);
            var r = await import.HandleAsync(c.MerchantId, ms.ToArray(), ct);
            if (!r.IsSuccess) return await StatementsPageAsync(c, review, r.Error!.Message, null, ct);
            var v = r.Value;
            return await StatementsPageAsync(c, review, null, c.L(
                $"Документов в файле: {v.Documents}, поступлений: {v.Incoming}. Оплачено счетов: {v.Matched}, на проверку: {v.Review}, уже загружены раньше: {v.AlreadyImported}.",
                $"Documents: {v.Documents}, incoming: {v.Incoming}. Invoices paid: {v.Matched}, to review: {v.Review}, imported before: {v.AlreadyImported}."), ct);
        });

        g.MapPost("/invoices/statements/{id}/dismiss", async (string id, HttpContext http, StatementReview review, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            c.Flash(await review.DismissAsync(id, ct), c.L("Поступление убрано из списка.", "Transfer dismissed."));
            return DashContext.Redirect("/dashboard/invoices/statements");
        });

        g.MapPost("/invoices/statements/{id}/match", async (string id, HttpContext http, StatementReview review, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            c.Flash(await review.MatchAsync(id, DashForms.Opt(form, "invoiceId"), ct), c.L("Счёт отмечен оплаченным.", "Invoice marked paid."));
            return DashContext.Redirect("/dashboard/invoices/statements");
        });

        g.MapPost("/invoices", async (HttpContext http, CreateInvoice create, Idempotency idempotency, PublicUrls urls, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var items = new List<InvoiceLineInput>();
            for (var i = 0; i < FormLines; i++)
            {
                var name = DashForms.Opt(form, $"item{i}.name");
                var priceText = DashForms.Opt(form, $"item{i}.price");
                if (name is null && priceText is null) continue;
                var price = DashForms.Amount(priceText, "RUB");
                if (priceText is not null && price is null)
                    return NewInvoicePage(c, form, c.L($"Строка {i + 1}: цена — число, например 15000 или 15000,50.", $"Line {i + 1}: the price is a number such as 15000."));
                var qtyText = DashForms.Opt(form, $"item{i}.quantity");
                var qty = qtyText is null ? 1m : ParseQuantity(qtyText);
                if (qty is null)
                    return NewInvoicePage(c, form, c.L($"Строка {i + 1}: количество — число, например 2, 1,5 или 0,25.", $"Line {i + 1}: the quantity is a number such as 2, 1.5 or 0.25."));
                items.Add(new InvoiceLineInput(name, qty, DashForms.Opt(form, $"item{i}.unit"), price, DashForms.Opt(form, $"item{i}.vat")));
            }
            DateOnly? due = null;
            if (DashForms.Opt(form, "dueDate") is { } dueText)
            {
                if (!DateOnly.TryParseExact(dueText, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d))
                    return NewInvoicePage(c, form, c.L("Срок оплаты: дата в виде ГГГГ-ММ-ДД.", "Due date: a date as YYYY-MM-DD."));
                due = d;
            }
            var request = new CreateInvoiceRequest(new InvoiceBuyerInput(DashForms.Opt(form, "buyerName"), DashForms.Opt(form, "buyerInn"),
                DashForms.Opt(form, "buyerKpp"), DashForms.Opt(form, "buyerAddress"), DashForms.Opt(form, "buyerEmail")), items, due, DashForms.Opt(form, "comment"));
            var answer = await InvoicesApi.CreateOnceAsync(idempotency, create, urls, c.MerchantId, DashForms.KeyOf(form), request, DashForms.Canonical(form), null, ct);
            if (answer.Status != StatusCodes.Status201Created) return NewInvoicePage(c, form, DashForms.Message(answer));
            using var doc = System.Text.Json.JsonDocument.Parse(answer.Json);
            c.Flash(c.L("Счёт выставлен.", "Invoice issued."));
            return DashContext.Redirect("/dashboard/invoices/" + doc.RootElement.GetProperty("id").GetString());
        });

        g.MapGet("/invoices/{id}", async (string id, HttpContext http, InvoiceQueries q, PublicUrls urls, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var r = await q.GetAsync(id, ct);
            if (!r.IsSuccess) return c.NotFound();
            var i = r.Value;
            var act = await q.ActAsync(id, ct);
            return c.Page(c.L("Счёт", "Invoice") + " № " + i.NumberText, h =>
            {
                h.Raw("<p>").Link("/dashboard/invoices", c.L("← Счета", "← Invoices")).Raw("</p>");
                h.El("h1", $"{c.L("Счёт", "Invoice")} № {i.NumberText} {c.L("от", "of")} {InvoicePdf.Date(i.IssueDate)}");
                h.Raw("<div class=\"card\" id=\"invoice\">");
                h.El("p", $"{c.L("Покупатель", "Buyer")}: {InvoicePdf.Party(i.BuyerName, i.BuyerInn, i.BuyerKpp, i.BuyerAddress)}");
                h.El("p", $"{c.L("Сумма", "Amount")}: {RussianMoney.Amount(i.AmountMinor)} ₽ — {RussianMoney.InWords(i.AmountMinor)}");
                h.El("p", $"{c.L("Оплатить до", "Due")}: {InvoicePdf.Date(i.DueDate)}. {c.L("Статус", "Status")}: {StatusText(c, i.Status)}", id: "invoice-status");
                h.El("p", $"{c.L("Назначение платежа", "Payment purpose")}: {i.Purpose}");
                h.Raw("<p>").Text(c.L("Оплата картой или СБП: ", "Card or SBP: ")).Link(urls.PayPage(i.LinkCode), urls.PayPage(i.LinkCode)).Raw("</p>");
                h.Raw("<p>").Link($"/dashboard/invoices/{i.Id}/pdf", c.L("Скачать PDF", "Download PDF"), "btn", "invoice-pdf").Raw("</p>");
                if (i.Status != InvoiceStatus.Cancelled)
                {
                    // Send to the buyer: e-mail (PDF attached, to the buyer's e-mail unless another is given) or a chat.
                    h.Form($"/dashboard/invoices/{i.Id}/send", id: "invoice-send-form", cls: "row");
                    h.Select(c.L("Канал", "Channel"), "channel", [("email", "E-mail"), ("telegram", "Telegram"), ("max", "MAX"), ("vk", "VK"), ("exolve", "SMS")], "email");
                    h.Field(c.L("Кому", "To"), "to", i.BuyerEmail, hint: c.L("E-mail, chat id или телефон; пусто — e-mail покупателя", "E-mail, chat id or phone; empty: the buyer's e-mail"));
                    h.Button(c.L("Отправить счёт", "Send invoice"), "invoice-send").EndForm();
                }
                if (i.Status == InvoiceStatus.Open)
                    h.ActionButton($"/dashboard/invoices/{i.Id}/cancel", c.L("Отменить счёт", "Cancel invoice"), "invoice-cancel", "btn danger");
                if (act.IsSuccess)
                    h.Raw("<p>").Link($"/dashboard/invoices/{i.Id}/act/pdf", $"{ActPdf.Title(act.Value.Act)} — PDF", "btn secondary", "act-pdf").Raw("</p>");
                else if (i.Status != InvoiceStatus.Cancelled)
                    h.ActionButton($"/dashboard/invoices/{i.Id}/act", c.L("Услуга оказана — сформировать акт", "Service done: issue the act"), "act-issue");
                h.Raw("</div>");
            });
        });

        g.MapPost("/invoices/{id}/send", async (string id, HttpContext http, SendInvoice send, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var r = await send.HandleAsync(c.MerchantId, id, new SendInvoiceRequest(DashForms.Opt(form, "channel"), DashForms.Opt(form, "to")), ct);
            if (!r.IsSuccess && r.Error!.Kind == ErrorKind.NotFound && r.Error.Fields is null) return c.NotFound();
            // A double click answers the first message: the owner sees that it was already sent, nothing goes twice.
            c.Flash(r, r.IsSuccess && r.Value.AlreadySent ? c.L("Счёт уже отправлен этому получателю.", "The invoice was already sent to this recipient.")
                : c.L("Счёт поставлен в отправку.", "Invoice queued for sending."));
            return DashContext.Redirect("/dashboard/invoices/" + id);
        });

        g.MapPost("/invoices/{id}/act", async (string id, HttpContext http, IssueAct issue, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var r = await issue.HandleAsync(id, ct);
            if (!r.IsSuccess && r.Error!.Kind == ErrorKind.NotFound) return c.NotFound();
            c.Flash(r, c.L("Акт сформирован.", "Act issued."));
            return DashContext.Redirect("/dashboard/invoices/" + id);
        });

        g.MapGet("/invoices/{id}/act/pdf", async (string id, HttpContext http, InvoiceQueries q, CancellationToken ct) =>
        {
            var r = await q.ActAsync(id, ct);
            if (!r.IsSuccess) return DashContext.For(http).NotFound();
            return Results.File(ActPdf.Render(r.Value.Act, r.Value.Invoice), "application/pdf", $"akt-{r.Value.Act.Year}-{r.Value.Act.NumberText}.pdf");
        });

        g.MapGet("/invoices/{id}/pdf", async (string id, HttpContext http, InvoiceQueries q, PublicUrls urls, CancellationToken ct) =>
        {
            var r = await q.GetAsync(id, ct);
            if (!r.IsSuccess) return DashContext.For(http).NotFound();
            return Results.File(InvoicePdf.Render(r.Value, urls.PayPage(r.Value.LinkCode)), "application/pdf", $"schet-{r.Value.Year}-{r.Value.NumberText}.pdf");
        });

        g.MapPost("/invoices/{id}/cancel", async (string id, HttpContext http, InvoiceQueries q, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var r = await q.CancelAsync(id, ct);
            if (!r.IsSuccess && r.Error!.Kind == ErrorKind.NotFound) return c.NotFound();
            c.Flash(r, c.L("Счёт отменён.", "Invoice cancelled."));
            return DashContext.Redirect("/dashboard/invoices/" + id);
        });
    }

    private static string ReasonText(DashContext c, string? reason) => reason switch
    {
        "partial" => c.L("оплачено меньше суммы счёта", "less than the invoice"),
        "overpaid" => c.L("оплачено больше суммы счёта", "more than the invoice"),
        "no_invoice" => c.L("счёт с таким номером и ИНН не найден", "no invoice with this number and INN"),
        "no_invoice_number" => c.L("в назначении нет номера счёта", "no invoice number in the purpose"),
        "no_payer_inn" => c.L("нет ИНН плательщика", "no payer INN"),
        "ambiguous" => c.L("подходит несколько счетов", "several invoices fit"),
        "already_paid" => c.L("счёт уже оплачен — возможна двойная оплата", "invoice already paid: possibly paid twice"),
        "cancelled" => c.L("счёт отменён", "invoice cancelled"),
        _ => reason ?? "",
    };

    private static async Task<IResult> StatementsPageAsync(DashContext c, StatementReview review, string? error, string? notice, CancellationToken ct)
    {
        var lines = await review.ListAsync("review", ct);
        return c.Page(c.L("Выписка", "Statement"), h =>
        {
            h.Raw("<p>").Link("/dashboard/invoices", c.L("← Счета", "← Invoices")).Raw("</p>");
            h.El("h1", c.L("Выписка из банка", "Bank statement"));
            h.Error(error).Notice(notice);
            h.Form("/dashboard/invoices/statements", id: "statement-form", cls: "card", enctype: "multipart/form-data");
            h.El("p", c.L("Выгрузите выписку из интернет-банка в формате 1С («Клиент-банк», файл kl_to_1c.txt). Поступления сверяются со счетами по ИНН плательщика, " +
                          "сумме и номеру счёта в назначении платежа; точные совпадения отмечаются оплаченными, остальные попадают в список ниже. Повторная загрузка того же файла ничего не меняет.",
                "Export the statement in the 1C «Client-bank» format. Transfers are matched by payer INN, amount and the invoice number in the purpose; " +
                "exact matches are marked paid, the rest are listed below. Uploading the same file again changes nothing."), "muted");
            h.Field(c.L("Файл выписки", "Statement file"), "file", null, "file", required: true, extra: "accept=\".txt,text/plain\"");
            h.Button(c.L("Загрузить", "Upload"), "statement-upload").EndForm();
            h.Raw("<div class=\"card\"><h2>").Text(c.L("На проверку", "To review")).Raw("</h2>").Scroll(c.L("На проверку", "To review")).Raw("<table id=\"review-table\"><thead><tr><th scope=\"col\">")
                .Text(c.L("Дата", "Date")).Raw("</th><th scope=\"col\">").Text(c.L("Плательщик", "Payer")).Raw("</th><th scope=\"col\" class=\"num\">")
                .Text(c.L("Сумма", "Amount")).Raw("</th><th scope=\"col\">").Text(c.L("Назначение", "Purpose")).Raw("</th><th scope=\"col\">")
                .Text(c.L("Причина", "Reason")).Raw("</th><th scope=\"col\">").Text(c.L("Действие", "Action")).Raw("</th></tr></thead><tbody>\n");
            foreach (var l in lines)
            {
                h.Raw("<tr><td>").Text(l.Date.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture)).Raw("</td><td>")
                    .Text($"{l.PayerName} (ИНН {l.PayerInn})").Raw("</td><td class=\"num\">").Text(RussianMoney.Amount(l.AmountMinor) + " ₽").Raw("</td><td>")
                    .Text(l.Purpose).Raw("</td><td>").Text(ReasonText(c, l.Reason)).Raw("</td><td>");
                h.Form($"/dashboard/invoices/statements/{l.Id}/match", id: "match-" + l.Id)
                    .Field(c.L("Id счёта", "Invoice id"), "invoiceId", l.InvoiceId, idPrefix: l.Id)
                    .Button(c.L("Отметить оплаченным", "Mark paid"), "match-btn-" + l.Id, "btn secondary").EndForm();
                h.ActionButton($"/dashboard/invoices/statements/{l.Id}/dismiss", c.L("Убрать", "Dismiss"), "dismiss-" + l.Id);
                h.Raw("</td></tr>\n");
            }
            if (lines.Count == 0) h.Raw("<tr><td colspan=\"6\" class=\"muted\">").Text(c.L("Всё сверено.", "Nothing to review.")).Raw("</td></tr>");
            h.Raw("</tbody></table></div></div>");
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    private static string StatusText(DashContext c, InvoiceStatus s) => s switch
    {
        InvoiceStatus.Paid => c.L("оплачен", "paid"),
        InvoiceStatus.Cancelled => c.L("отменён", "cancelled"),
        _ => c.L("ждёт оплаты", "awaiting payment"),
    };

    private static IResult NewInvoicePage(DashContext c, IFormCollection? form, string? error)
    {
        string? V(string name) => form?[name].ToString();
        return c.Page(c.L("Новый счёт", "New invoice"), h =>
        {
            h.Raw("<p>").Link("/dashboard/invoices", c.L("← Счета", "← Invoices")).Raw("</p>");
            h.El("h1", c.L("Выставить счёт компании", "Issue an invoice to a company"));
            h.El("p", c.L("Нужны заполненные реквизиты (Настройки → Реквизиты). Счёт можно оплатить переводом по реквизитам или картой/СБП по ссылке.",
                "Requisites must be filled in (Settings → Requisites). The invoice is payable by bank transfer or by card/SBP via its link."), "muted");
            h.Error(error);
            h.Form("/dashboard/invoices", id: "invoice-form", cls: "card").Hidden(DashForms.NonceField, DashForms.NewNonce());
            h.Field(c.L("Покупатель", "Buyer"), "buyerName", V("buyerName"), required: true, hint: c.L("Например: ООО «Вектор»", "E.g. OOO Vektor"));
            h.Raw("<div class=\"row\">")
                .Field(c.L("ИНН покупателя", "Buyer's INN"), "buyerInn", V("buyerInn"), required: true, extra: "inputmode=\"numeric\"")
                .Field(c.L("КПП покупателя", "Buyer's KPP"), "buyerKpp", V("buyerKpp"), hint: c.L("Только у организаций", "Companies only"))
                .Field(c.L("E-mail покупателя", "Buyer's e-mail"), "buyerEmail", V("buyerEmail"), "email")
                .Raw("</div>");
            h.Field(c.L("Адрес покупателя", "Buyer's address"), "buyerAddress", V("buyerAddress"));
            for (var i = 0; i < FormLines; i++)
            {
                h.Raw("<fieldset class=\"row\"><legend>").Text(c.L($"Позиция {i + 1}", $"Line {i + 1}")).Raw("</legend>");
                h.Field(c.L("Наименование", "Name"), $"item{i}.name", V($"item{i}.name"), required: i == 0)
                    .Field(c.L("Кол-во", "Qty"), $"item{i}.quantity", V($"item{i}.quantity") is { Length: > 0 } qv ? qv : "1",
                        extra: "inputmode=\"decimal\"", hint: c.L("Можно дробное: 1,5", "May be fractional: 1.5"))
                    .Field(c.L("Ед.", "Unit"), $"item{i}.unit", V($"item{i}.unit") is { Length: > 0 } uv ? uv : "усл.")
                    .Field(c.L("Цена, ₽ (с НДС)", "Price (VAT incl.)"), $"item{i}.price", V($"item{i}.price"), extra: "inputmode=\"decimal\"", required: i == 0)
                    .Select(c.L("НДС", "VAT"), $"item{i}.vat", [("", c.L("как в реквизитах", "as in requisites")), ("none", c.L("Без НДС", "No VAT")),
                        ("vat0", "0 %"), ("vat5", "5 %"), ("vat7", "7 %"), ("vat10", "10 %"), ("vat22", "22 %")], V($"item{i}.vat"));
                h.Raw("</fieldset>");
            }
            h.Field(c.L("Оплатить до", "Due date"), "dueDate", V("dueDate"), "date", hint: c.L("Пусто — срок из реквизитов", "Empty: the requisites' term"));
            h.TextArea(c.L("Комментарий в счёте", "Comment on the invoice"), "comment", V("comment"), 2);
            h.Button(c.L("Выставить счёт", "Issue invoice"), "invoice-create").EndForm();
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>«1,5», «1.5», «0,25», «2»: the decimal comma Russian users type, or a dot; range and decimals are checked by CreateInvoice.</summary>
    internal static decimal? ParseQuantity(string text) =>
        decimal.TryParse(text.Replace(" ", "", StringComparison.Ordinal).Replace('\u00a0', ' ').Trim().Replace(',', '.'),
            System.Globalization.NumberStyles.AllowDecimalPoint | System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out var q) ? q : null;

    private static IResult RequisitesPage(DashContext c, Requisites r, Error? error)
    {
        string? E(string field) => error?.Fields is { } f && f.TryGetValue(field, out var m) ? string.Join(" ", m) : null;
        return c.Page(c.L("Реквизиты", "Requisites"), h =>
        {
            h.El("h1", c.L("Реквизиты для счетов и актов", "Requisites for invoices and acts"));
            h.Raw("<p>").Link("/dashboard/settings", c.L("← Настройки", "← Settings")).Raw("</p>");
            h.El("p", c.L("Эти данные печатаются в счёте, акте и QR-коде для оплаты из банковского приложения. ИНН, ОГРН и счета проверяются по контрольным цифрам.",
                "These details are printed on invoices, acts and the payment QR for bank apps. INN, OGRN and accounts are checked by their check digits."), "muted");
            h.Error(error is null ? null : c.L("Проверьте поля: ", "Check the fields: ") + error.Message);
            h.Form("/dashboard/settings/requisites", id: "requisites-form", cls: "card");
            h.Field(c.L("Наименование", "Legal name"), "name", r.Name, required: true, error: E("name"),
                hint: c.L("Как в ЕГРЮЛ/ЕГРИП, например: ООО «Ромашка» или ИП Иванов Иван Иванович", "As registered, e.g. OOO Romashka"));
            h.Raw("<div class=\"row\">")
                .Field(c.L("ИНН", "INN"), "inn", r.Inn, required: true, error: E("inn"), extra: "inputmode=\"numeric\"",
                    hint: c.L("10 цифр у организации, 12 у ИП", "10 digits for a company, 12 for a sole trader"))
                .Field(c.L("КПП", "KPP"), "kpp", r.Kpp, error: E("kpp"), hint: c.L("Только у организаций", "Companies only"))
                .Field(c.L("ОГРН / ОГРНИП", "OGRN"), "ogrn", r.Ogrn, error: E("ogrn"), extra: "inputmode=\"numeric\"")
                .Raw("</div>");
            h.Field(c.L("Юридический адрес", "Legal address"), "address", r.Address, required: true, error: E("address"));
            h.Field(c.L("Банк", "Bank"), "bankName", r.BankName, required: true, error: E("bankName"), hint: c.L("Например: ПАО Сбербанк", "E.g. PAO Sberbank"));
            h.Raw("<div class=\"row\">")
                .Field(c.L("БИК", "BIC"), "bic", r.Bic, required: true, error: E("bic"), extra: "inputmode=\"numeric\"")
                .Field(c.L("Корреспондентский счёт", "Correspondent account"), "correspondentAccount", r.CorrespondentAccount, required: true,
                    error: E("correspondentAccount"), extra: "inputmode=\"numeric\"", hint: c.L("20 цифр, начинается с 30101", "20 digits starting with 30101"))
                .Field(c.L("Расчётный счёт", "Settlement account"), "account", r.Account, required: true, error: E("account"), extra: "inputmode=\"numeric\"",
                    hint: c.L("20 цифр: 40702… у организации, 40802… у ИП", "20 digits: 40702… company, 40802… sole trader"))
                .Raw("</div>");
            h.Raw("<div class=\"row\">")
                .Field(c.L("Подписант (ФИО)", "Signer (full name)"), "signerName", r.SignerName, required: true, error: E("signerName"))
                .Field(c.L("Должность подписанта", "Signer's position"), "signerPosition", r.SignerPosition, error: E("signerPosition"),
                    hint: c.L("Например: Генеральный директор; у ИП можно не указывать", "E.g. General director"))
                .Raw("</div>");
            h.Raw("<div class=\"row\">").Select(c.L("НДС по умолчанию", "Default VAT"), "vat",
                    [("none", c.L("Без НДС", "No VAT")), ("vat0", "0 %"), ("vat5", "5 %"), ("vat7", "7 %"), ("vat10", "10 %"), ("vat22", "22 %")],
                    r.DefaultVat)
                .Field(c.L("Срок оплаты счёта, дней", "Invoice due in, days"), "dueDays",
                    (r.DueDays ?? Requisites.DefaultDueDays).ToString(System.Globalization.CultureInfo.InvariantCulture), "number", error: E("dueDays"))
                .Raw("</div>");
            h.El("p", c.L("Без НДС — для УСН без НДС и самозанятых: в счёте будет «Без НДС», закрывающий документ — УПД со статусом 2.",
                "No VAT: the invoice says «Без НДС» and the closing document is a UPD with status 2."), "muted");
            h.Button(c.L("Сохранить", "Save"), "requisites-save").EndForm();
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
