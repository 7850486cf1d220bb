using System.Globalization;
using Paylink.Core.Common;
using Paylink.Core.PersonalData;

namespace Paylink.Server.Dashboard;

/// <summary>
/// /dashboard/settings/personal-data (owner): data flows leaving the server (and which are active), the consent
/// document (new version on save), retention, a client's export / erasure / destruction act, and the audit log.
/// The same use cases as /api/v1/personal-data and /api/v1/customers/{id}/….
/// </summary>
public static class PersonalDataPage
{
    public static void Map(RouteGroupBuilder settings)
    {
        settings.MapGet("/personal-data", async (HttpContext http, PersonalDataPolicy policy, ClientPersonalData data, CancellationToken ct) =>
            await PageAsync(DashContext.For(http), policy, data, null, ct));

        settings.MapPost("/personal-data/consent", async (HttpContext http, PersonalDataPolicy policy, ClientPersonalData data, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var saved = await policy.SaveConsentAsync(c.MerchantId, form["text"].ToString(), Actor(http), ct);
            if (!saved.IsSuccess) return await PageAsync(c, policy, data, saved.Error!.Message, ct);
            c.Flash(c.L($"Сохранена версия {saved.Value} согласия.", $"Consent version {saved.Value} saved."));
            return DashContext.Redirect("/dashboard/settings/personal-data");
        });

        settings.MapPost("/personal-data/retention", async (HttpContext http, PersonalDataPolicy policy, ClientPersonalData data, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var raw = form["retentionDays"].ToString().Trim();
            int? days = null;
            if (raw.Length > 0)
            {
                if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d))
                    return await PageAsync(c, policy, data, c.L("Срок хранения: целое число дней.", "Retention: a whole number of days."), ct);
                days = d;
            }
            var current = await policy.GetSettingsAsync(c.MerchantId, ct);
            var saved = await policy.SaveSettingsAsync(c.MerchantId, current with { RetentionDays = days }, Actor(http), ct);
            if (!saved.IsSuccess)
                return await PageAsync(c, policy, data, c.L($"Срок хранения: от {PersonalDataSettings.MinDays} до {PersonalDataSettings.MaxDays} дней или пусто.",
                    $"Retention: {PersonalDataSettings.MinDays}–{PersonalDataSettings.MaxDays} days, or empty."), ct);
            c.Flash(c.L("Срок хранения сохранён.", "Retention saved."));
            return DashContext.Redirect("/dashboard/settings/personal-data");
        });

        settings.MapPost("/personal-data/consent-step", async (HttpContext http, PersonalDataPolicy policy, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var required = form["consentRequired"].ToString() is "on" or "true";
            var current = await policy.GetSettingsAsync(c.MerchantId, ct);
            await policy.SaveSettingsAsync(c.MerchantId, current with { ConsentRequired = required }, Actor(http), ct);
            c.Flash(required
                ? c.L("Согласие теперь спрашивается отдельным шагом: на странице оплаты и в чате до первого ответа.",
                    "Consent is now asked as a step of its own: on the pay page and in chat before the first answer.")
                : c.L("Согласие больше не спрашивается отдельным шагом.", "Consent is no longer asked as a separate step."));
            return DashContext.Redirect("/dashboard/settings/personal-data");
        });

        settings.MapPost("/personal-data/client", async (HttpContext http, PersonalDataPolicy policy, ClientPersonalData data, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var id = form["customerId"].ToString().Trim();
            switch (form["action"].ToString())
            {
                case "export":
                    var export = await data.ExportAsync(c.MerchantId, id, Actor(http), PersonalDataActions.Export, ct);
                    if (!export.IsSuccess) return await PageAsync(c, policy, data, c.L("Клиент не найден.", "Client not found."), ct);
                    return Results.Content(ClientPersonalData.ToHtml(export.Value, c.Lang), "text/html; charset=utf-8", System.Text.Encoding.UTF8);
                case "erase":
                    var erased = await data.EraseAsync(c.MerchantId, id, Actor(http), PersonalDataActions.Erase, ct);
                    if (!erased.IsSuccess) return await PageAsync(c, policy, data, c.L("Клиент не найден.", "Client not found."), ct);
                    c.Flash(c.L("Данные клиента обезличены; платежи и чеки сохранены.", "The client's data was anonymised; payments and receipts kept."));
                    return DashContext.Redirect("/dashboard/settings/personal-data");
                case "act":
                    var act = await data.DestructionActAsync(c.MerchantId, id, Actor(http), ct);
                    if (!act.IsSuccess)
                        return await PageAsync(c, policy, data, act.Error!.Kind == ErrorKind.NotFound ? c.L("Клиент не найден.", "Client not found.")
                            : c.L("Сначала обезличьте данные клиента.", "Erase the client's data first."), ct);
                    http.Response.Headers.ContentDisposition = $"attachment; filename=\"destruction-act-{id}.html\"";
                    return Results.Content(act.Value, "text/html; charset=utf-8", System.Text.Encoding.UTF8);
                default:
                    return await PageAsync(c, policy, data, c.L("Выберите действие.", "Choose an action."), ct);
            }
        });
    }

    private static string Actor(HttpContext http) =>
        http.RequestServices.GetRequiredService<MerchantScope>().Actor ?? "user:unknown";

    private static async Task<IResult> PageAsync(DashContext c, PersonalDataPolicy policy, ClientPersonalData data, string? error, CancellationToken ct)
    {
        var flows = await policy.FlowsAsync(c.MerchantId, ct);
        var (version, text, _) = await policy.CurrentConsentAsync(c.MerchantId, ct);
        var settings = await policy.GetSettingsAsync(c.MerchantId, ct);
        var audit = await data.AuditAsync(c.MerchantId, null, 50, ct);
        return c.Page(c.L("Персональные данные", "Personal data"), h =>
        {
            h.El("h1", c.L("Персональные данные (152-ФЗ)", "Personal data (152-FZ)"));
            h.Raw("<p>").Link("/dashboard/settings", c.L("← Настройки", "← Settings")).Raw("</p>");
            h.Error(error);
            h.El("h2", c.L("Передача данных за пределы сервера", "Data leaving the server"));
            h.Raw("<table id=\"flows\"><tr><th>").Text(c.L("Куда", "Where")).Raw("</th><th>").Text(c.L("Какие данные", "Data")).Raw("</th><th>")
                .Text(c.L("За рубеж", "Cross-border")).Raw("</th><th>").Text(c.L("Включено", "Active")).Raw("</th></tr>");
            foreach (var f in flows)
                h.Raw("<tr data-flow=\"").Text(f.Id).Raw("\"><td>").Text(f.Destination).Raw("</td><td>").Text(f.Data).Raw("</td><td>")
                    .Text(f.CrossBorder ? c.L("да", "yes") : c.L("нет", "no")).Raw("</td><td>").Text(f.Active ? c.L("да", "yes") : c.L("нет", "no")).Raw("</td></tr>");
            h.Raw("</table>");
            h.El("h2", c.L($"Согласие на обработку (версия {version})", $"Consent document (version {version})"));
            h.Form("/dashboard/settings/personal-data/consent", id: "consent-form", cls: "card");
            h.TextArea(c.L("Текст согласия", "Consent text"), "text", text, rows: 10, required: true);
            h.Button(c.L("Сохранить новую версию", "Save a new version")).EndForm();
            h.Form("/dashboard/settings/personal-data/consent-step", id: "consent-step-form", cls: "card");
            h.Checkbox(c.L("Спрашивать согласие отдельным шагом: на странице оплаты перед кнопкой «Оплатить» и в чате перед первым ответом ассистента",
                "Ask for consent as a step of its own: on the pay page before the pay button, and in chat before the assistant's first answer"),
                "consentRequired", settings.ConsentRequired);
            h.Raw("<p class=\"hint\">").Text(c.L("Согласие записывается с временем, каналом, IP-адресом и браузером (на странице оплаты) и номером версии текста. "
                + "Выключите, если вы берёте согласие иначе (договор, форма на сайте).",
                "Each consent is recorded with time, channel, IP address and browser (on the pay page) and the text version. "
                + "Turn this off if you collect consent another way (a contract, a form on your site).")).Raw("</p>");
            h.Button(c.L("Сохранить", "Save")).EndForm();
            h.El("h2", c.L("Срок хранения", "Retention"));
            h.Form("/dashboard/settings/personal-data/retention", id: "retention-form", cls: "card");
            h.Field(c.L("Дней без активности до обезличивания (пусто — не обезличивать)", "Days of inactivity before anonymising (empty: never)"), "retentionDays",
                settings.RetentionDays?.ToString(CultureInfo.InvariantCulture), type: "number");
            h.Button(c.L("Сохранить", "Save")).EndForm();
            h.El("h2", c.L("Запрос клиента", "Client request"));
            h.Form("/dashboard/settings/personal-data/client", id: "client-form", cls: "card");
            h.Field(c.L("Идентификатор клиента", "Client id"), "customerId", null, required: true);
            h.Select(c.L("Действие", "Action"), "action", [("export", c.L("Выгрузить данные", "Export data")), ("erase", c.L("Обезличить", "Erase")),
                ("act", c.L("Акт об уничтожении", "Destruction act"))], "export");
            h.Button(c.L("Выполнить", "Run")).EndForm();
            h.El("h2", c.L("Журнал доступа", "Access log"));
            h.Raw("<table id=\"audit\"><tr><th>").Text(c.L("Время", "Time")).Raw("</th><th>").Text(c.L("Действие", "Action")).Raw("</th><th>")
                .Text(c.L("Кто", "Who")).Raw("</th><th>").Text(c.L("Клиент", "Client")).Raw("</th></tr>");
            foreach (var e in audit)
                h.Raw("<tr><td>").Text(DateFormat.DateTime(e.At, c.Zone, c.Lang)).Raw("</td><td>").Text(e.Action).Raw("</td><td>").Text(e.Actor)
                    .Raw("</td><td>").Text(e.CustomerId).Raw("</td></tr>");
            h.Raw("</table>");
        });
    }
}
