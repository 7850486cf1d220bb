using System.Globalization;
using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Merchants;
using Paylink.Core.Receipts;

namespace Paylink.Server.Dashboard;

/// <summary>
/// /dashboard/settings/self-employed (owner): the tax regime, the «Мой налог» connection (ИНН + password, or a refresh
/// token + device id for Госуслуги accounts), a warning when the connection needs the merchant, the receipts waiting,
/// and the year's income against the 2.4 mn ₽ НПД limit. The same use cases as /api/v1/fiscal-settings and
/// /api/v1/self-employed. <see cref="OverviewCardAsync"/> is the overview's card.
/// </summary>
public static class SelfEmployedPage
{
    private const string Path = "/dashboard/settings/self-employed";

    public static void Map(RouteGroupBuilder settings)
    {
        settings.MapGet("/self-employed", async (HttpContext http, CancellationToken ct) => await PageAsync(DashContext.For(http), null, ct));

        settings.MapPost("/self-employed/regime", async (HttpContext http, UpdateFiscalSettings fiscal, MerchantCache cache, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var current = c.Merchant!.Fiscal;
            var tax = form["taxSystem"].ToString();
            var npd = tax == FiscalCodes.SelfEmployed;
            var saved = await fiscal.HandleAsync(c.MerchantId, new FiscalSettingsInput(!npd && current.ReceiptsEnabled, tax, current.DefaultVat, current.PaymentMethod,
                current.DefaultPaymentObject, current.DefaultMeasure, current.FfdVersion), ct);
            if (!saved.IsSuccess) return await PageAsync(c, c.L("Выберите налоговый режим из списка.", "Choose a tax regime from the list."), ct);
            cache.Evict(c.MerchantId);
            c.Flash(npd
                ? c.L("Режим НПД: чеки 54-ФЗ не отправляются, каждый доход регистрируется в «Мой налог».",
                    "НПД: no 54-FZ receipts are sent; every income is registered in «Мой налог».")
                : c.L("Налоговый режим сохранён.", "Tax regime saved."));
            return DashContext.Redirect(Path);
        });

        settings.MapPost("/self-employed/connect", async (HttpContext http, SelfEmployedAccounts accounts, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var s = new JsonObject { ["inn"] = form["inn"].ToString().Trim() };
            if (form["mode"].ToString() == "token")
            {
                s["refreshToken"] = form["refreshToken"].ToString().Trim();
                s["deviceId"] = form["deviceId"].ToString().Trim();
            }
            else s["password"] = form["password"].ToString();
            var connected = await accounts.ConnectAsync(c.MerchantId, null, s, ct);
            if (!connected.IsSuccess) return await PageAsync(c, Explain(c, connected.Error!), ct);
            c.Flash(connected.Value.LastError is null
                ? c.L("«Мой налог» подключён; ожидающие чеки отправляются.", "«Мой налог» connected; waiting receipts are being sent.")
                : c.L("Сохранено, но «Мой налог» сейчас недоступен: проверим позже.", "Saved, but «Мой налог» is unreachable now: it will be checked later."),
                connected.Value.LastError is not null);
            return DashContext.Redirect(Path);
        });

        settings.MapPost("/self-employed/disconnect", async (HttpContext http, SelfEmployedAccounts accounts, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            await accounts.DisconnectAsync(ct);
            c.Flash(c.L("«Мой налог» отключён. Новые чеки будут ждать подключения.", "«Мой налог» disconnected. New receipts will wait for a connection."));
            return DashContext.Redirect(Path);
        });
    }

    private static string Explain(DashContext c, Error e)
    {
        if (e.Fields is null) return e.Message;
        if (e.Fields.Count == 1 && e.Fields.ContainsKey("settings") && e.Message.Contains("refused these credentials", StringComparison.Ordinal))
            return c.L("«Мой налог» не принял вход: проверьте ИНН и пароль (или refresh-токен и id устройства) и попробуйте снова.",
                "«Мой налог» refused the sign-in: check the ИНН and password (or the refresh token and device id) and try again.");
        var text = string.Join(" ", e.Fields.SelectMany(f => f.Value));
        return c.L("Не удалось подключить: ", "Could not connect: ") + text;
    }

    private static async Task<IResult> PageAsync(DashContext c, string? error, CancellationToken ct)
    {
        var sp = c.Http.RequestServices;
        var accounts = sp.GetRequiredService<SelfEmployedAccounts>();
        var overview = sp.GetRequiredService<SelfEmployedOverview>();
        var found = await accounts.FindAsync(ct);
        var view = found.IsSuccess ? accounts.View(found.Value) : null;
        var year = await overview.YearAsync(c.Zone, ct);
        var waiting = await overview.WaitingAsync(100, ct);
        var fiscal = c.Merchant!.Fiscal;
        return c.Page(c.L("Самозанятость (НПД)", "Self-employed (НПД)"), h =>
        {
            h.El("h1", c.L("Чеки самозанятого в «Мой налог»", "Self-employed receipts in «Мой налог»"));
            h.Raw("<p>").Link("/dashboard/settings", c.L("← Настройки", "← Settings")).Raw("</p>");
            h.Error(error);
            Warning(c, h, view);

            h.Raw("<div class=\"card\" id=\"npd-regime\">").El("h2", c.L("Налоговый режим", "Tax regime"));
            h.Form(Path + "/regime", id: "regime-form");
            h.Select(c.L("Режим", "Regime"), "taxSystem",
            [
                ("osn", c.L("ОСН", "General (ОСН)")), ("usn_income", c.L("УСН «доходы»", "Simplified, income (УСН)")),
                ("usn_income_outcome", c.L("УСН «доходы минус расходы»", "Simplified, income minus expenses")), ("esn", c.L("ЕСХН", "Agricultural (ЕСХН)")),
                ("patent", c.L("Патент", "Patent")), (FiscalCodes.SelfEmployed, c.L("НПД (самозанятый)", "НПД (self-employed)")),
            ], fiscal.TaxSystem);
            h.Raw("<p class=\"hint\">").Text(c.L("Самозанятые не выдают чеки 54-ФЗ: каждый доход регистрируется в «Мой налог» в момент оплаты, "
                + "а ссылка на чек уходит покупателю. Paylink делает это сам после каждой оплаты, аннулирует чек при возврате "
                + "и выдаёт новый на оставшуюся сумму при частичном возврате.",
                "The self-employed issue no 54-FZ receipts: each income is registered in «Мой налог» at the moment of payment and the buyer "
                + "gets the receipt link. Paylink does it after every payment, cancels the receipt on a refund and issues a new one for what is "
                + "left after a partial refund.")).Raw("</p>");
            h.Button(c.L("Сохранить режим", "Save regime")).EndForm().Raw("</div>\n");

            h.Raw("<div class=\"card\" id=\"npd-connection\">").El("h2", c.L("Подключение «Мой налог»", "«Мой налог» connection"));
            if (view is not null)
            {
                h.Raw("<p id=\"npd-connected\">").Text(c.L("Подключено: ИНН ", "Connected: ИНН ")).Text(view.Inn).Text(" · ")
                    .Text(view.Settings["mode"]?.GetValue<string>() == "refreshToken" ? c.L("вход через Госуслуги (токен)", "Госуслуги sign-in (token)")
                        : c.L("вход по ИНН и паролю", "ИНН and password")).Raw("</p>");
                h.ActionButton(Path + "/disconnect", c.L("Отключить", "Disconnect"), "npd-disconnect", "btn danger");
            }
            h.Form(Path + "/connect", id: "npd-connect-form");
            h.Select(c.L("Способ входа", "Sign-in"), "mode",
                [("password", c.L("ИНН и пароль от «Мой налог»", "ИНН and «Мой налог» password")), ("token", c.L("Госуслуги: refresh-токен и id устройства", "Госуслуги: refresh token and device id"))],
                view?.Settings["mode"]?.GetValue<string>() == "refreshToken" ? "token" : "password");
            h.Field(c.L("ИНН (12 цифр)", "ИНН (12 digits)"), "inn", view?.Inn, required: true, extra: "inputmode=\"numeric\" autocomplete=\"off\"");
            h.Field(c.L("Пароль", "Password"), "password", null, type: "password", extra: "autocomplete=\"off\"",
                hint: c.L("Пароль от личного кабинета lknpd.nalog.ru. Хранится зашифрованным и никому не показывается.",
                    "The lknpd.nalog.ru cabinet password. Stored encrypted, never shown."));
            h.Field(c.L("Refresh-токен", "Refresh token"), "refreshToken", null, extra: "autocomplete=\"off\"",
                hint: c.L("Если вы входите только через Госуслуги, пароля нет: войдите на lknpd.nalog.ru в браузере, откройте инструменты разработчика, "
                    + "вкладку «Приложение» → Local Storage, и скопируйте refreshToken и sourceDeviceId.",
                    "If you sign in only through Госуслуги there is no password: sign in at lknpd.nalog.ru in a browser, open the developer tools, "
                    + "Application → Local Storage, and copy refreshToken and sourceDeviceId."));
            h.Field(c.L("Id устройства (sourceDeviceId)", "Device id (sourceDeviceId)"), "deviceId", view?.Settings["deviceId"]?.GetValue<string>(), extra: "autocomplete=\"off\"",
                hint: c.L("Токен привязан к устройству, на котором выдан: нужен именно этот id.", "The token is bound to the device it was issued to: this exact id is needed."));
            h.Button(view is null ? c.L("Подключить", "Connect") : c.L("Переподключить", "Reconnect"), "npd-connect").EndForm().Raw("</div>\n");

            h.Raw("<div class=\"card\" id=\"npd-year\">").El("h2", c.L($"Доход за {year.Year} год", $"Income in {year.Year}"));
            YearLine(c, h, year);
            h.Raw("</div>\n");

            h.Raw("<div class=\"card\" id=\"npd-waiting\">").El("h2", c.L("Чеки в ожидании", "Receipts waiting"));
            if (waiting.Count == 0) h.El("p", c.L("Нет: все чеки зарегистрированы.", "None: every receipt is registered."));
            else
            {
                h.Raw("<table><tr><th>").Text(c.L("Чек", "Receipt")).Raw("</th><th>").Text(c.L("Сумма", "Amount")).Raw("</th><th>")
                    .Text(c.L("Статус", "Status")).Raw("</th><th>").Text(c.L("Причина", "Reason")).Raw("</th></tr>");
                foreach (var r in waiting)
                    h.Raw("<tr data-receipt=\"").Text(r.Id).Raw("\"><td>").Link("/dashboard/links/" + r.LinkId, r.Id).Raw("</td><td>")
                        .Text(MoneyFormat.Format(new Money(r.Amount, r.Currency), c.Lang)).Raw("</td><td>").Text(Status(c, r.Status)).Raw("</td><td>")
                        .Text(r.LastError).Raw("</td></tr>");
                h.Raw("</table>");
            }
            h.Raw("</div>\n");
        });
    }

    private static string Status(DashContext c, string status) => status switch
    {
        "queued" => c.L("ждёт отправки", "waiting to be sent"),
        "sending" => c.L("отправлен, ответ не получен — будет проверен", "sent, no answer yet — will be looked up"),
        "cancelling" => c.L("аннулируется", "being cancelled"),
        "failed" => c.L("отклонён — нужна проверка", "refused — needs a look"),
        _ => status,
    };

    private static void Warning(DashContext c, Html h, SelfEmployedAccountView? view)
    {
        if (view?.LastErrorKind is "credentials")
            h.Raw("<p class=\"alert err\" role=\"alert\" id=\"npd-warning\">").Text(c.L("«Мой налог» не принимает вход: ", "«Мой налог» refuses the sign-in: "))
                .Text(view.LastError).Text(c.L(". Чеки ждут и не потеряются — переподключите кабинет.", ". Receipts wait and are not lost — reconnect the cabinet.")).Raw("</p>\n");
        else if (view?.LastErrorKind is "refused")
            h.Raw("<p class=\"alert err\" role=\"alert\" id=\"npd-warning\">").Text(c.L("«Мой налог» отклонил чек: ", "«Мой налог» refused a receipt: "))
                .Text(view.LastError).Raw("</p>\n");
    }

    private static void YearLine(DashContext c, Html h, SelfEmployedYear year)
    {
        var total = new Money(year.RegisteredMinor + year.WaitingMinor, "RUB");
        // The share of the year's limit in the page's language («66,7 %»), from the amounts rather than the whole-number level figure.
        var percent = NumberFormat.Percent(year.LimitMinor <= 0 ? null : (double)total.Minor / year.LimitMinor, c.Lang);
        h.Raw("<p id=\"npd-year-total\">").Text(MoneyFormat.Short(total, c.Lang)).Text(c.L(" из ", " of ")).Text(MoneyFormat.Short(new Money(year.LimitMinor, "RUB"), c.Lang))
            .Text($" ({percent})").Raw("</p>");
        if (year.WaitingMinor > 0)
            h.Raw("<p class=\"hint\">").Text(c.L("Из них ждут регистрации: ", "Of which waiting to be registered: ")).Text(MoneyFormat.Short(new Money(year.WaitingMinor, "RUB"), c.Lang)).Raw("</p>");
        if (year.Level == "over")
            h.Raw("<p class=\"alert err\" role=\"alert\" id=\"npd-limit\">").Text(c.L("Лимит НПД 2,4 млн ₽ за год превышен: с дохода сверх лимита НПД не применяется, "
                + "сообщите в налоговую о смене режима в течение 20 дней.",
                "The 2.4 mn ₽ НПД limit for the year is exceeded: НПД no longer applies to income above it; tell the tax office about the change of regime within 20 days.")).Raw("</p>");
        else if (year.Level == "near")
            h.Raw("<p class=\"alert err\" role=\"alert\" id=\"npd-limit\">").Text(c.L($"Доход приближается к лимиту НПД 2,4 млн ₽ ({percent}). Подумайте о смене режима заранее.",
                $"Income is nearing the 2.4 mn ₽ НПД limit ({percent}). Consider changing the regime in good time.")).Raw("</p>");
    }

    public sealed record OverviewData(bool Connected, SelfEmployedAccountView? Account, SelfEmployedYear Year, int Waiting);

    /// <summary>What the overview's card shows; null for a merchant that is not self-employed.</summary>
    public static async Task<OverviewData?> LoadOverviewAsync(DashContext c, CancellationToken ct)
    {
        if (c.Merchant?.Fiscal.IsSelfEmployed != true) return null;
        var sp = c.Http.RequestServices;
        var accounts = sp.GetRequiredService<SelfEmployedAccounts>();
        var overview = sp.GetRequiredService<SelfEmployedOverview>();
        var found = await accounts.FindAsync(ct);
        return new OverviewData(found.IsSuccess, found.IsSuccess ? accounts.View(found.Value) : null, await overview.YearAsync(c.Zone, ct),
            (await overview.WaitingAsync(500, ct)).Count);
    }

    /// <summary>The overview's card for a self-employed merchant: the year against the limit, receipts waiting, a connection warning.</summary>
    public static void OverviewCard(DashContext c, Html h, OverviewData? d)
    {
        if (d is null) return;
        h.Raw("<div class=\"card\" id=\"npd-overview\">").El("h2", c.L($"НПД: доход за {d.Year.Year} год", $"НПД: income in {d.Year.Year}"));
        if (!d.Connected)
            h.Raw("<p class=\"alert err\" role=\"alert\" id=\"npd-warning\">").Text(c.L("«Мой налог» не подключён: чеки ждут подключения.",
                "«Мой налог» is not connected: receipts wait for a connection.")).Raw("</p>\n");
        else Warning(c, h, d.Account);
        YearLine(c, h, d.Year);
        if (d.Waiting > 0) h.Raw("<p id=\"npd-waiting-count\">").Text(c.L($"Чеков в ожидании: {d.Waiting}", $"Receipts waiting: {d.Waiting}")).Raw("</p>");
        h.Raw("<p>").Link(Path, c.L("Чеки «Мой налог» →", "«Мой налог» receipts →")).Raw("</p></div>\n");
    }
}
