using System.Globalization;
using Paylink.Core.Assistance;
using Paylink.Core.Common;
using Paylink.Core.Messaging;

namespace Paylink.Server.Dashboard;

/// <summary>
/// /dashboard/settings/assistant (owner): the chat assistant's rules — on/off overall and per channel account,
/// working hours, prepayment (none / fixed / percent / full), cancellation rule, booking limits — stored by
/// <see cref="AssistantSettingsStore"/> (the same as PUT /api/v1/assistant/settings).
/// </summary>
public static class AssistantPage
{
    public static void Map(RouteGroupBuilder settings)
    {
        settings.MapGet("/assistant", async (HttpContext http, AssistantSettingsStore store, ChannelAccounts channels, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            return await PageAsync(c, await store.GetAsync(c.MerchantId, ct), channels, null, null, ct);
        });

        settings.MapPost("/assistant", async (HttpContext http, AssistantSettingsStore store, ChannelAccounts channels, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var current = await store.GetAsync(c.MerchantId, ct);
            var accounts = await channels.ListAsync(ct);
            var kind = form["prepaymentKind"].ToString();
            var currency = c.Merchant!.DefaultCurrency;
            var errors = new ValidationErrors();
            long value = 0;
            if (kind == "fixed")
                value = DashForms.Amount(DashForms.Opt(form, "prepaymentValue"), currency) ?? Fail(errors, "prepayment.value", c.L("Сумма предоплаты: введите число, например 500.", "Prepayment amount: enter a number such as 500."));
            else if (kind == "percent")
                value = long.TryParse(DashForms.Opt(form, "prepaymentValue"), out var pct) ? pct : Fail(errors, "prepayment.value", c.L("Процент предоплаты: целое число от 1 до 100.", "Prepayment percent: a whole number 1–100."));
            var maxPayment = DashForms.Amount(DashForms.Opt(form, "maxPayment"), currency) ?? Fail(errors, "maxPaymentMinor", c.L("Наибольшая сумма: введите число.", "Largest amount: enter a number."));
            int Int(string name, string field) => int.TryParse(DashForms.Opt(form, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
                : (int)Fail(errors, field, c.L($"{field}: целое число.", $"{field}: a whole number."));
            var updated = current with
            {
                Enabled = form["enabled"] == "on",
                // A channel is listed as disabled when its box is unticked.
                DisabledChannelAccounts = accounts.Where(a => form["channel-" + a.Id] != "on").Select(a => a.Id).ToList(),
                Hours = form["hours"].ToString(),
                Prepayment = new PrepaymentSetting(kind, value),
                Cancellation = new CancellationSetting(Int("fullRefundHours", "cancellation.fullRefundHoursBefore"), form["keepDeposit"] == "on"),
                SlotStepMinutes = Int("slotStep", "slotStepMinutes"),
                DefaultDurationMinutes = Int("defaultDuration", "defaultDurationMinutes"),
                MinLeadMinutes = Int("minLead", "minLeadMinutes"),
                MaxPaymentMinor = maxPayment,
            };
            if (errors.Any) return await PageAsync(c, updated, channels, errors.ToError(), form, ct);
            var saved = await store.SaveAsync(c.MerchantId, updated, ct);
            if (!saved.IsSuccess) return await PageAsync(c, updated, channels, saved.Error, form, ct);
            c.Flash(c.L("Правила ассистента сохранены.", "Assistant rules saved."));
            return DashContext.Redirect("/dashboard/settings/assistant");
        });
    }

    private static long Fail(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return 0;
    }

    private static async Task<IResult> PageAsync(DashContext c, AssistantSettings s, ChannelAccounts channels, Error? error, IFormCollection? form, CancellationToken ct)
    {
        var accounts = await channels.ListAsync(ct);
        var currency = c.Merchant!.DefaultCurrency;
        string? E(string field) => error?.Fields is { } f && f.TryGetValue(field, out var m) ? string.Join(" ", m) : null;
        string V(string name, string fallback) => form is null ? fallback : form[name].ToString();
        var pre = s.Prepayment ?? new PrepaymentSetting();
        var cancel = s.Cancellation ?? new CancellationSetting();
        return c.Page(c.L("Ассистент", "Assistant"), h =>
        {
            h.El("h1", c.L("Ассистент в чатах", "Chat assistant"));
            h.Raw("<p>").Link("/dashboard/settings", c.L("← Настройки", "← Settings")).Raw("</p>");
            h.Error(error is null ? null : c.L("Проверьте поля: ", "Check the fields: ") + error.Message);
            h.Form("/dashboard/settings/assistant", id: "assistant-form", cls: "card");
            h.Checkbox(c.L("Ассистент отвечает клиентам", "The assistant answers clients"), "enabled", s.Enabled);
            h.Raw("<fieldset><legend>").Text(c.L("Каналы, где отвечает ассистент", "Channels where the assistant answers")).Raw("</legend>");
            foreach (var a in accounts)
                h.Checkbox($"{a.Name} ({a.Provider})", "channel-" + a.Id, !(s.DisabledChannelAccounts ?? []).Contains(a.Id));
            if (accounts.Count == 0) h.El("p", c.L("Каналов нет.", "No channels."), "muted");
            h.Raw("</fieldset>");
            h.Field(c.L("Часы работы", "Working hours"), "hours", V("hours", s.Hours), required: true, error: E("hours"),
                hint: c.L("Например: mon-fri 10:00-20:00; sat 11:00-18:00", "E.g. mon-fri 10:00-20:00; sat 11:00-18:00"));
            h.Raw("<div class=\"row\">").Select(c.L("Предоплата", "Prepayment"), "prepaymentKind",
                [("none", c.L("нет", "none")), ("fixed", c.L("фиксированная сумма", "fixed amount")), ("percent", c.L("процент", "percent")), ("full", c.L("полная", "full"))],
                V("prepaymentKind", pre.Kind), error: E("prepayment.kind"));
            h.Field(c.L("Сумма (₽) или процент", "Amount or percent"), "prepaymentValue",
                V("prepaymentValue", pre.Kind == "fixed" ? DashForms.Major(pre.Value, currency) : pre.Kind == "percent" ? pre.Value.ToString(CultureInfo.InvariantCulture) : ""),
                extra: "inputmode=\"decimal\"", error: E("prepayment.value")).Raw("</div>");
            h.Raw("<div class=\"row\">").Field(c.L("Полный возврат при отмене не позже чем за, часов", "Full refund when cancelled at least this many hours before"),
                "fullRefundHours", V("fullRefundHours", cancel.FullRefundHoursBefore.ToString(CultureInfo.InvariantCulture)), "number", error: E("cancellation.fullRefundHoursBefore")).Raw("</div>");
            h.Checkbox(c.L("При поздней отмене предоплата не возвращается", "Keep the prepayment when cancelled late"), "keepDeposit", cancel.KeepDepositWhenLate);
            h.Raw("<div class=\"row\">")
                .Field(c.L("Шаг слотов, минут", "Slot step, minutes"), "slotStep", V("slotStep", s.SlotStepMinutes.ToString(CultureInfo.InvariantCulture)), "number", error: E("slotStepMinutes"))
                .Field(c.L("Длительность по умолчанию, минут", "Default duration, minutes"), "defaultDuration", V("defaultDuration", s.DefaultDurationMinutes.ToString(CultureInfo.InvariantCulture)), "number", error: E("defaultDurationMinutes"))
                .Field(c.L("Запись не раньше чем через, минут", "Earliest booking, minutes from now"), "minLead", V("minLead", s.MinLeadMinutes.ToString(CultureInfo.InvariantCulture)), "number", error: E("minLeadMinutes"))
                .Field(c.L("Наибольшая сумма счёта, ₽", "Largest invoice"), "maxPayment", V("maxPayment", DashForms.Major(s.MaxPaymentMinor, currency)), extra: "inputmode=\"decimal\"", error: E("maxPaymentMinor"))
                .Raw("</div>");
            h.Button(c.L("Сохранить", "Save"), "assistant-save").EndForm();
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
