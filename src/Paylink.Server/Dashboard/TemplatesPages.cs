using Paylink.Core.Messaging;

namespace Paylink.Server.Dashboard;

/// <summary>/dashboard/templates: every event's text (ru/en), an editor with preview on sample data and the SMS segment count.</summary>
public static class TemplatesPages
{
    public static void Map(RouteGroupBuilder g)
    {
        g.MapGet("/templates", async (HttpContext http, MessageTemplates templates, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var rows = new List<(string Event, string Lang, string Text, bool Custom)>();
            foreach (var evt in TemplateEvents.Defaults.Keys)
                foreach (var lang in TemplateEvents.Languages)
                {
                    var (text, custom) = await templates.GetAsync(c.MerchantId, evt, lang, ct);
                    rows.Add((evt, lang, text, custom));
                }
            return c.Page(c.L("Шаблоны", "Templates"), h =>
            {
                h.El("h1", c.L("Шаблоны сообщений", "Message templates"));
                h.Raw("<div class=\"card\"><table id=\"templates\"><thead><tr><th scope=\"col\">").Text(c.L("Событие", "Event")).Raw("</th><th scope=\"col\">")
                    .Text(c.L("Язык", "Language")).Raw("</th><th scope=\"col\">").Text(c.L("Текст", "Text")).Raw("</th></tr></thead><tbody>\n");
                foreach (var (evt, lang, text, custom) in rows)
                    h.Raw("<tr><td>").Link($"/dashboard/templates/{evt}?tl={lang}", EventName(c, evt), id: $"tpl-{evt}-{lang}").Raw("</td><td>").Text(lang)
                        .Raw("</td><td>").Text(text).Raw(custom ? " <span class=\"badge\">" + c.L("свой", "custom") + "</span>" : "").Raw("</td></tr>\n");
                h.Raw("</tbody></table></div>\n");
            });
        });

        g.MapGet("/templates/{event}", async (string @event, string? tl, HttpContext http, MessageTemplates templates, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var lang = MessageTemplates.ParseLanguage(tl);
            if (!TemplateEvents.IsKnown(@event) || !lang.IsSuccess) return c.NotFound();
            var (text, custom) = await templates.GetAsync(c.MerchantId, @event, lang.Value, ct);
            return Editor(c, @event, lang.Value, text, custom, null, null);
        });

        g.MapPost("/templates/{event}", async (string @event, string? tl, HttpContext http, MessageTemplates templates, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var lang = MessageTemplates.ParseLanguage(tl);
            if (!TemplateEvents.IsKnown(@event) || !lang.IsSuccess) return c.NotFound();
            var form = await http.Request.ReadFormAsync(ct);
            var text = form["text"].ToString();
            var action = form["action"].ToString();
            if (action == "reset")
            {
                await templates.ResetAsync(c.MerchantId, @event, lang.Value, ct);
                c.Flash(c.L("Вернули стандартный текст.", "Back to the built-in text."));
                return DashContext.Redirect($"/dashboard/templates/{@event}?tl={lang.Value}");
            }
            var valid = MessageTemplates.Validate(text);
            if (http.Request.Headers["X-Preview"] == "1")   // the editor's live preview (script below), same checks as the form
            {
                if (!valid.IsSuccess) return Results.Json(new { error = valid.Error!.Message }, statusCode: StatusCodes.Status422UnprocessableEntity);
                var (rendered, sms) = MessageTemplates.Preview(c.Merchant!, text, lang.Value);
                return Results.Json(new { text = rendered, sms = SmsText(c, sms) });
            }
            if (!valid.IsSuccess) return Editor(c, @event, lang.Value, text, true, valid.Error!.Message, null, StatusCodes.Status422UnprocessableEntity);
            if (action == "preview") return Editor(c, @event, lang.Value, text, true, null, null);
            var saved = await templates.SaveAsync(c.MerchantId, @event, lang.Value, text, ct);
            if (!saved.IsSuccess) return Editor(c, @event, lang.Value, text, true, saved.Error!.Message, null, StatusCodes.Status422UnprocessableEntity);
            c.Flash(c.L("Шаблон сохранён.", "Template saved."));
            return DashContext.Redirect($"/dashboard/templates/{@event}?tl={lang.Value}");
        });
    }

    private static IResult Editor(DashContext c, string evt, string lang, string text, bool custom, string? error, string? notice, int status = StatusCodes.Status200OK) =>
        c.Page(EventName(c, evt), h =>
        {
            h.El("h1", EventName(c, evt) + " · " + lang).Notice(notice);
            h.Form($"/dashboard/templates/{evt}?tl={lang}", id: "template-form", cls: "card")
                .TextArea(c.L("Текст", "Text"), "text", text, 5, required: true, error: error,
                    hint: c.L("Подстановки: ", "Placeholders: ") + string.Join(" ", TemplateEvents.Placeholders.Select(p => "{{" + p + "}}")))
                .Raw("<div class=\"row\">").Button(c.L("Сохранить", "Save"), "template-save", name: "action", value: "save")
                .Button(c.L("Предпросмотр", "Preview"), "template-preview", "btn secondary", "action", "preview");
            if (custom) h.Button(c.L("Вернуть стандартный", "Reset to built-in"), "template-reset", "btn danger", "action", "reset");
            h.Raw("</div>").EndForm();
            // The preview is rendered by the server on "Preview" (works without script) and refreshed while typing by the
            // inline script, which posts the same form with X-Preview: 1.
            var preview = error is null ? MessageTemplates.Preview(c.Merchant!, text, lang) : ((string, SmsCount)?)null;
            h.Raw("<div class=\"card\" aria-live=\"polite\">").El("h2", c.L("Так увидит клиент (пример)", "What the client sees (sample)"))
                .El("p", "", "field-err", "live-error")
                .El("p", preview?.Item1 ?? "", "bubble", "template-rendered")
                .El("p", preview is { } p ? SmsText(c, p.Item2) : "", "muted", "sms-count")
                .Raw("</div>\n").Raw("<script>").Raw(LivePreview.Script).Raw("</script>\n");
        }, status);

    private static string SmsText(DashContext c, SmsCount sms) =>
        c.L($"SMS: {sms.Characters} симв., {sms.Segments} сегм. ({(sms.Encoding == SmsEncoding.Gsm7 ? "латиница GSM-7" : "кириллица UCS-2")}, до {sms.PerSegment} в сегменте)",
            $"SMS: {sms.Characters} chars, {sms.Segments} segment(s) ({(sms.Encoding == SmsEncoding.Gsm7 ? "GSM-7" : "UCS-2")}, {sms.PerSegment} per segment)");


    private static string EventName(DashContext c, string evt) => evt switch
    {
        TemplateEvents.BookingConfirmation => c.L("Подтверждение записи", "Booking confirmation"),
        TemplateEvents.PrepaymentOffer => c.L("Предложение предоплаты", "Prepayment offer"),
        TemplateEvents.Invoice => c.L("Счёт", "Invoice"),
        TemplateEvents.Reminder => c.L("Напоминание об оплате", "Payment reminder"),
        TemplateEvents.PaymentReceived => c.L("Оплата получена", "Payment received"),
        TemplateEvents.ReceiptLink => c.L("Ссылка на чек", "Receipt link"),
        TemplateEvents.VisitReminder => c.L("Напоминание о визите", "Visit reminder"),
        TemplateEvents.LinkExpired => c.L("Ссылка истекла", "Link expired"),
        TemplateEvents.RefundDone => c.L("Возврат выполнен", "Refund done"),
        TemplateEvents.OptOutConfirmation => c.L("Отписка", "Opt-out confirmation"),
        _ => evt,
    };
}
