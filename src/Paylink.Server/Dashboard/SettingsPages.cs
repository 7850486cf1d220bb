using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Providers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Crm;
using Paylink.Core.Dashboard;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.Core.Messaging;
using Paylink.Core.Payments;
using Paylink.Core.Webhooks;

namespace Paylink.Server.Dashboard;

/// <summary>/dashboard/settings (owner only): API keys, webhook endpoints, connections (masked settings, test buttons), reminder policy.</summary>
public static class SettingsPages
{
    public static void Map(RouteGroupBuilder g)
    {
        g.MapGet("", async (HttpContext http, AppDbContext db, GatewayAccounts gateways, ChannelAccounts channels, CrmAccounts crm,
            ManageWebhookEndpoints webhooks, ReminderPolicies policies, CancellationToken ct) =>
            await PageAsync(DashContext.For(http), db, gateways, channels, crm, webhooks, policies, null, ct));

        // One-time secrets are rendered in the answer to the POST itself (no redirect, so never in a cookie).
        g.MapPost("/api-keys", async (HttpContext http, CreateApiKey create, AppDbContext db, GatewayAccounts gateways, ChannelAccounts channels, CrmAccounts crm,
            ManageWebhookEndpoints webhooks, ReminderPolicies policies, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var r = await create.HandleAsync(c.MerchantId, DashForms.Opt(form, "name"), ct);
            if (!r.IsSuccess) return await PageAsync(c, db, gateways, channels, crm, webhooks, policies, r.Error!.Message, ct);
            c.ShowOnce(c.L("Новый ключ (показан один раз, сохраните его): ", "New key (shown once, keep it safe): ") + r.Value.ClearText);
            return await PageAsync(c, db, gateways, channels, crm, webhooks, policies, null, ct);
        });

        g.MapPost("/api-keys/{id}/revoke", async (string id, HttpContext http, RevokeApiKey revoke, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var r = await revoke.HandleAsync(id, ct);
            if (!r.IsSuccess && r.Error!.Kind == ErrorKind.NotFound) return c.NotFound();
            c.Flash(r, c.L("Ключ отозван.", "Key revoked."));
            return DashContext.Redirect("/dashboard/settings");
        });

        g.MapPost("/users", async (HttpContext http, CreateDashboardUser create, AppDbContext db, GatewayAccounts gateways, ChannelAccounts channels, CrmAccounts crm,
            ManageWebhookEndpoints webhooks, ReminderPolicies policies, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var r = await create.HandleAsync(new CreateDashboardUserRequest(c.MerchantId, form["email"].ToString(), DashForms.Opt(form, "role")), ct);
            if (!r.IsSuccess) return await PageAsync(c, db, gateways, channels, crm, webhooks, policies, r.Error!.Message, ct);
            c.ShowOnce(c.L($"Пользователь {r.Value.User.Email} добавлен. Пароль (показан один раз, передайте его лично): ", $"User {r.Value.User.Email} added. Password (shown once, hand it over in person): ") + r.Value.Password);
            return await PageAsync(c, db, gateways, channels, crm, webhooks, policies, null, ct);
        });

        g.MapPost("/users/{id}/delete", async (string id, HttpContext http, UserManager<DashboardUser> users) =>
        {
            var c = DashContext.For(http);
            var user = await users.FindByIdAsync(id);
            // Another merchant's user is not found; the owner cannot remove themselves (and lock the merchant out).
            if (user is null || user.MerchantId != c.MerchantId) return c.NotFound();
            if (user.Id == users.GetUserId(http.User))
            {
                c.Flash(c.L("Себя удалить нельзя.", "You cannot remove yourself."), error: true);
                return DashContext.Redirect("/dashboard/settings#users");
            }
            var r = await users.DeleteAsync(user);
            c.Flash(r.Succeeded ? c.L("Пользователь удалён.", "User removed.") : string.Join(" ", r.Errors.Select(e => e.Description)), !r.Succeeded);
            return DashContext.Redirect("/dashboard/settings#users");
        });

        g.MapPost("/webhooks", async (HttpContext http, CreateWebhookEndpoint create, AppDbContext db, GatewayAccounts gateways, ChannelAccounts channels, CrmAccounts crm,
            ManageWebhookEndpoints webhooks, ReminderPolicies policies, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var events = DashForms.Opt(form, "events")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var r = await create.HandleAsync(c.MerchantId, new CreateWebhookEndpointRequest(DashForms.Opt(form, "url"), events), ct);
            if (!r.IsSuccess) return await PageAsync(c, db, gateways, channels, crm, webhooks, policies, r.Error!.Message, ct);
            c.ShowOnce(c.L("Адрес добавлен. Секрет подписи (показан один раз): ", "Endpoint added. Signing secret (shown once): ") + r.Value.Secret);
            return await PageAsync(c, db, gateways, channels, crm, webhooks, policies, null, ct);
        });

        g.MapPost("/webhooks/{id}/delete", async (string id, HttpContext http, ManageWebhookEndpoints manage, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var r = await manage.DeleteAsync(id, ct);
            if (!r.IsSuccess && r.Error!.Kind == ErrorKind.NotFound) return c.NotFound();
            c.Flash(r, c.L("Адрес удалён.", "Endpoint deleted."));
            return DashContext.Redirect("/dashboard/settings");
        });

        g.MapPost("/test/{kind}/{id}", async (string kind, string id, HttpContext http, GatewayAccounts gateways, ChannelAccounts channels, CrmAccounts crm,
            CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            if (kind is not ("gateway" or "channel" or "crm")) return c.NotFound();
            Result<string>? r = kind switch
            {
                "gateway" => await gateways.TestAsync(id, ct),
                "channel" => await channels.TestAsync(id, ct),
                _ => await crm.TestAsync(id, ct),
            };
            if (r is null || (!r.Value.IsSuccess && r.Value.Error!.Kind == ErrorKind.NotFound)) return c.NotFound();
            c.Flash(r.Value.IsSuccess ? c.L("Проверка пройдена: ", "Test passed: ") + r.Value.Value : c.L("Проверка не прошла: ", "Test failed: ") + r.Value.Error!.Message,
                !r.Value.IsSuccess);
            return DashContext.Redirect("/dashboard/settings#connections");
        });

        g.MapPost("/connections", async (HttpContext http, AppDbContext db, GatewayAccounts gateways, ChannelAccounts channels, CrmAccounts crm,
            ManageWebhookEndpoints webhooks, ReminderPolicies policies, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var (kind, provider) = form["provider"].ToString().Split(':', 2) is [var k, var p] ? (k, p) : ("", "");
            JsonObject? settings;
            try { settings = JsonNode.Parse(DashForms.Opt(form, "settings") ?? "{}") as JsonObject; }
            catch (System.Text.Json.JsonException) { settings = null; }
            Error? error = settings is null ? Error.Validation("settings", c.L("Настройки: нужен JSON-объект, например {\"token\":\"…\"}.", "Settings: a JSON object is needed, e.g. {\"token\":\"…\"}.")) : null;
            var name = DashForms.Opt(form, "name");
            if (error is null)
            {
                // The same use cases as POST /api/v1/{gateway,channel,crm}-accounts: the provider validates its settings, they are stored encrypted.
                error = kind switch
                {
                    "gateway" => (await gateways.CreateAsync(c.MerchantId, provider, name, settings, ct)).Error,
                    "channel" => (await channels.CreateAsync(c.MerchantId, provider, name, settings, ct)).Error,
                    "crm" => (await crm.CreateAsync(c.MerchantId, provider, settings, ct)).Error,
                    _ => Error.Validation("provider", c.L("Выберите систему.", "Choose a system.")),
                };
                if (error is null && kind != "crm") await db.SaveChangesAsync(ct);
            }
            if (error is not null) return await PageAsync(c, db, gateways, channels, crm, webhooks, policies, error.Message, ct);
            c.Flash(c.L("Подключено. Нажмите «Проверить», чтобы убедиться, что настройки верны.", "Connected. Press Test to check the settings."));
            return DashContext.Redirect("/dashboard/settings#connections");
        });

        g.MapPost("/reminders", async (HttpContext http, AppDbContext db, GatewayAccounts gateways, ChannelAccounts channels, CrmAccounts crm,
            ManageWebhookEndpoints webhooks, ReminderPolicies policies, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var current = await policies.GetAsync(c.MerchantId, ct);
            var visitHours = new List<int>();
            foreach (var part in List(form["visitHours"]))
            {
                if (!int.TryParse(part, out var hours))
                    return await PageAsync(c, db, gateways, channels, crm, webhooks, policies, c.L("Напоминания о визите: часы через запятую, например 24, 2.", "Visit reminders: hours, comma-separated, e.g. 24, 2."), ct);
                visitHours.Add(hours);
            }
            // "30" = 30 minutes after sending, "11:00" = the next day at 11:00 local; ReminderPolicies validates the rest.
            var updated = current with
            {
                LinkRemindersEnabled = form["linkReminders"] == "on",
                LinkSteps = List(form["linkSteps"]).Select(x => int.TryParse(x, out var m) ? new ReminderStep(AfterMinutes: m) : new ReminderStep(NextDayAt: x)).ToList(),
                VisitRemindersEnabled = form["visitReminders"] == "on",
                VisitHoursBefore = visitHours,
                QuietFrom = form["quietFrom"].ToString(),
                QuietTo = form["quietTo"].ToString(),
                Escalation = List(form["escalation"]),
            };
            var r = await policies.SaveAsync(c.MerchantId, updated, ct);
            if (!r.IsSuccess) return await PageAsync(c, db, gateways, channels, crm, webhooks, policies, r.Error!.Message, ct);
            c.Flash(c.L("Правила напоминаний сохранены.", "Reminder policy saved."));
            return DashContext.Redirect("/dashboard/settings#reminders");
        });
        MapFallback(g);
    }

    /// <summary>POST /dashboard/settings/fallback: the merchant's channel fallback order (see docs/channels.md).</summary>
    private static void MapFallback(RouteGroupBuilder g) =>
        g.MapPost("/fallback", async (HttpContext http, AppDbContext db, GatewayAccounts gateways, ChannelAccounts channels, CrmAccounts crm,
            ManageWebhookEndpoints webhooks, ReminderPolicies policies, ChannelFallbackPolicies fallback, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            int? timeout = null;
            if (form["deliveryTimeoutMinutes"].ToString() is { Length: > 0 } t)
            {
                if (!int.TryParse(t, out var minutes))
                    return await PageAsync(c, db, gateways, channels, crm, webhooks, policies, c.L("Время доставки: число минут.", "Delivery time: a number of minutes."), ct);
                timeout = minutes;
            }
            var r = await fallback.SaveAsync(c.MerchantId, new ChannelFallbackPolicy(List(form["order"]), timeout), ct);
            if (!r.IsSuccess) return await PageAsync(c, db, gateways, channels, crm, webhooks, policies, r.Error!.Message, ct);
            c.Flash(c.L("Порядок каналов сохранён.", "Channel order saved."));
            return DashContext.Redirect("/dashboard/settings#fallback");
        });

    private static List<string> List(string? s) => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static async Task<IResult> PageAsync(DashContext c, AppDbContext db, GatewayAccounts gateways, ChannelAccounts channels, CrmAccounts crm,
        ManageWebhookEndpoints webhooks, ReminderPolicies policies, string? error, CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.RevokedAt == null).OrderBy(k => k.Id).ToListAsync(ct);
        var gw = (await gateways.ListAsync(ct)).Select(gateways.View).ToList();
        var ch = (await channels.ListAsync(ct)).Select(channels.View).ToList();
        var cr = (await crm.ListAsync(ct)).Select(crm.View).ToList();
        var hooks = await webhooks.ListAsync(ct);
        var people = await db.Users.AsNoTracking().Where(u => u.MerchantId == c.MerchantId).OrderBy(u => u.Email).ToListAsync(ct);
        var policy = await policies.GetAsync(c.MerchantId, ct);
        var sp = c.Http.RequestServices;
        var fallback = await sp.GetRequiredService<ChannelFallbackPolicies>().GetAsync(c.MerchantId, ct);
        var gatewayIds = sp.GetRequiredService<ProviderRegistry<IPaymentGateway>>().Ids.Order().ToList();
        var channelIds = sp.GetRequiredService<ProviderRegistry<IMessageChannel>>().Ids.Order().ToList();
        var crmIds = sp.GetRequiredService<ProviderRegistry<ICrmConnector>>().Ids.Order().ToList();
        return c.Page(c.L("Настройки", "Settings"), h =>
        {
            h.El("h1", c.L("Настройки", "Settings")).Error(error);
            h.Raw("<p>").Link("/dashboard/settings/assistant", c.L("Ассистент в чатах: часы, предоплата, отмена, каналы →", "Chat assistant: hours, prepayment, cancellation, channels →"), id: "assistant-link").Raw("</p>\n");
            h.Raw("<p>").Link("/dashboard/settings/requisites", c.L("Реквизиты для счетов и актов: ИНН, КПП, банк, подписант →",
                "Requisites for invoices and acts: INN, KPP, bank, signer →"), id: "requisites-link").Raw("</p>\n");
            h.Raw("<p>").Link("/dashboard/settings/personal-data", c.L("Персональные данные: согласие, срок хранения, выгрузка и удаление, передача данных →",
                "Personal data: consent, retention, export and erasure, data flows →"), id: "personal-data-link").Raw("</p>\n");
            h.Raw("<p>").Link("/dashboard/settings/self-employed", c.L("Налоговый режим и чеки самозанятого (НПД) в «Мой налог» →",
                "Tax regime and self-employed (НПД) receipts in «Мой налог» →"), id: "self-employed-link").Raw("</p>\n");

            h.Raw("<div class=\"card\" id=\"api-keys\">").El("h2", c.L("API-ключи", "API keys"));
            h.Raw("<table><tbody>");
            foreach (var k in keys)
            {
                h.Raw("<tr><td>").Text(k.Name).Raw("</td><td class=\"mono\">").Text(k.Hint).Raw("</td><td>").Text(DateFormat.DateTime(k.CreatedAt, c.Zone, c.Lang)).Raw("</td><td>");
                h.ActionButton($"/dashboard/settings/api-keys/{k.Id}/revoke", c.L("Отозвать", "Revoke"), "revoke-" + k.Id, "btn danger");
                h.Raw("</td></tr>\n");
            }
            h.Raw("</tbody></table>");
            h.Form("/dashboard/settings/api-keys", id: "api-key-form", cls: "row").Field(c.L("Название ключа", "Key name"), "name", null)
                .Button(c.L("Создать ключ", "Create key"), "create-key").EndForm().Raw("</div>\n");

            h.Raw("<div class=\"card\" id=\"users\">").El("h2", c.L("Пользователи кабинета", "Dashboard users"));
            h.Raw("<table><tbody>");
            foreach (var u in people)
            {
                h.Raw("<tr><td>").Text(u.Email).Raw("</td><td>").Text(u.Role == DashboardRoles.Owner ? c.L("владелец", "owner") : c.L("сотрудник", "staff"))
                    .Raw("</td><td>").Text(u.TwoFactorEnabled ? c.L("вход с кодом", "2FA on") : "").Raw("</td><td>");
                if (u.Id != c.Http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value) h.ActionButton($"/dashboard/settings/users/{u.Id}/delete", c.L("Удалить", "Remove"), "remove-user-" + u.Id, "btn danger");
                h.Raw("</td></tr>\n");
            }
            h.Raw("</tbody></table>");
            h.Form("/dashboard/settings/users", id: "user-form", cls: "row").Field("E-mail", "email", null, "email", required: true, idPrefix: "user")
                .Select(c.L("Роль", "Role"), "role", [(DashboardRoles.Staff, c.L("сотрудник", "staff")), (DashboardRoles.Owner, c.L("владелец", "owner"))], DashboardRoles.Staff, idPrefix: "user")
                .Button(c.L("Добавить", "Add"), "add-user").EndForm().Raw("</div>\n");

            h.Raw("<div class=\"card\" id=\"webhooks\">").El("h2", c.L("Вебхуки", "Webhook endpoints"));
            h.Raw("<table><tbody>");
            foreach (var w in hooks)
            {
                h.Raw("<tr><td class=\"mono\">").Text(w.Url).Raw("</td><td>");
                h.ActionButton($"/dashboard/settings/webhooks/{w.Id}/delete", c.L("Удалить", "Delete"), "delete-" + w.Id, "btn danger");
                h.Raw("</td></tr>\n");
            }
            h.Raw("</tbody></table>");
            h.Form("/dashboard/settings/webhooks", id: "webhook-form").Field("URL (https://…)", "url", null, "url", required: true)
                .Field(c.L("События через запятую (пусто — все)", "Events, comma-separated (empty: all)"), "events", null)
                .Button(c.L("Добавить", "Add"), "add-webhook").EndForm().Raw("</div>\n");

            h.Raw("<div class=\"card\" id=\"connections\">").El("h2", c.L("Подключения", "Connections"));
            void Account(string kind, string id, string title, System.Text.Json.Nodes.JsonObject settings)
            {
                h.Raw("<div style=\"margin:.5rem 0\"><b>").Text(title).Raw("</b> <span class=\"muted mono\">").Text(settings.ToJsonString()).Raw("</span> ");
                h.ActionButton($"/dashboard/settings/test/{kind}/{id}", c.L("Проверить", "Test"), $"test-{kind}-{id}");
                h.Raw("</div>\n");
            }
            h.El("h3", c.L("Платёжные системы", "Payment gateways"));
            foreach (var a in gw) Account("gateway", a.Id, $"{a.Name} ({a.Provider})", a.Settings);
            h.El("h3", c.L("Каналы", "Channels"));
            foreach (var a in ch) Account("channel", a.Id, $"{a.Name} ({a.Provider}){(a.Enabled ? "" : c.L(" — выключен", " — off"))}", a.Settings);
            h.El("h3", "CRM");
            foreach (var a in cr) Account("crm", a.Id, a.Provider, a.Settings);
            if (cr.Count == 0) h.El("p", c.L("Внешняя CRM не подключена: работает встроенная.", "No external CRM: the built-in one is used."), "muted");
            h.El("h3", c.L("Подключить", "Connect"));
            h.Form("/dashboard/settings/connections", id: "connect-form")
                .Select(c.L("Система", "System"), "provider",
                    gatewayIds.Select(p => ("gateway:" + p, c.L("Платёжная система: ", "Gateway: ") + p))
                        .Concat(channelIds.Select(p => ("channel:" + p, c.L("Канал: ", "Channel: ") + p)))
                        .Concat(crmIds.Select(p => ("crm:" + p, "CRM: " + p))), null)
                .Field(c.L("Название", "Name"), "name", null)
                .TextArea(c.L("Настройки (JSON)", "Settings (JSON)"), "settings", null, 4,
                    hint: c.L("Поля зависят от системы (docs/providers, docs/channels.md, docs/crm.md); секреты хранятся зашифрованными и показываются замаскированными.",
                        "Fields depend on the system (docs/providers, docs/channels.md, docs/crm.md); secrets are stored encrypted and shown masked."))
                .Button(c.L("Подключить", "Connect"), "connect").EndForm();
            h.Raw("</div>\n");

            h.Raw("<div class=\"card\" id=\"reminders\">").El("h2", c.L("Напоминания", "Reminders"));
            h.Form("/dashboard/settings/reminders", id: "reminder-form")
                .Checkbox(c.L("Напоминать о неоплаченных ссылках", "Remind about unpaid links"), "linkReminders", policy.LinkRemindersEnabled)
                .Field(c.L("Шаги: минуты после отправки или время следующего дня, через запятую", "Steps: minutes after sending or a next-day time, comma-separated"),
                    "linkSteps", string.Join(", ", policy.LinkSteps.Select(st => st.AfterMinutes is { } m ? m.ToString(System.Globalization.CultureInfo.InvariantCulture) : st.NextDayAt)))
                .Field(c.L("Канал шага (same — тот же; manager — задача менеджеру), через запятую", "Channel per step (same, a provider id, or manager), comma-separated"),
                    "escalation", string.Join(", ", policy.Escalation))
                .Checkbox(c.L("Напоминать о визитах", "Remind about visits"), "visitReminders", policy.VisitRemindersEnabled)
                .Field(c.L("За сколько часов до визита, через запятую", "Hours before the visit, comma-separated"), "visitHours",
                    string.Join(", ", policy.VisitHoursBefore))
                .Raw("<div class=\"row\">")
                .Field(c.L("Тихие часы с", "Quiet hours from"), "quietFrom", policy.QuietFrom, "time", required: true)
                .Field(c.L("до", "to"), "quietTo", policy.QuietTo, "time", required: true).Raw("</div>")
                .Button(c.L("Сохранить", "Save"), "save-reminders").EndForm().Raw("</div>\n");

            h.Raw("<div class=\"card\" id=\"fallback\">").El("h2", c.L("Порядок каналов", "Channel order"));
            h.Form("/dashboard/settings/fallback", id: "fallback-form")
                .Field(c.L($"Если канал не доставил сообщение — следующий, через запятую (пусто — выключено). Каналы: {string.Join(", ", channelIds)}",
                        $"When a channel cannot deliver, the next one, comma-separated (empty: off). Channels: {string.Join(", ", channelIds)}"),
                    "order", string.Join(", ", fallback.Order))
                .Field(c.L("Ждать доставки, минут (для каналов с отчётом о доставке; пусто — не ждать)", "Wait for delivery, minutes (channels with delivery reports; empty: do not wait)"),
                    "deliveryTimeoutMinutes", fallback.DeliveryTimeoutMinutes?.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Button(c.L("Сохранить", "Save"), "save-fallback").EndForm().Raw("</div>\n");
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
