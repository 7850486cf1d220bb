using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.Core.Messaging;
using Paylink.Core.Providers;
using Paylink.Server.Dashboard;

namespace Paylink.Server.Hosting;

/// <summary>
/// <c>/</c>: what runs here and where to go, for a newcomer who opened the address the startup banner printed —
/// the demo chat (when the demo merchant is seeded), the dashboard, the API document and the health checks.
/// Public and free of merchant data: it names no merchant, key or account.
/// </summary>
public static class LandingPage
{
    public static void MapLanding(this IEndpointRouteBuilder app) =>
        app.MapGet("/", async (HttpContext http, AppDbContext db, ProviderRegistry<IPaymentGateway> gateways, ProviderRegistry<IMessageChannel> channels,
            CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var demoChat = await db.ChannelAccounts.IgnoreQueryFilters().AsNoTracking()
                .AnyAsync(a => a.Provider == ChannelAccounts.WebChat && a.Slug == DemoSeeder.DemoChatSlug && a.DeletedAt == null && a.Enabled, ct);
            http.Response.Headers.CacheControl = "no-store";
            return c.Page("Paylink", h => Render(c, h, demoChat, db.IsSqlite, gateways.Ids.Order(StringComparer.Ordinal), channels.Ids.Order(StringComparer.Ordinal)));
        }).ExcludeFromDescription();

    private static void Render(DashContext c, Html h, bool demoChat, bool sqlite, IEnumerable<string> gateways, IEnumerable<string> channels)
    {
        h.El("h1", c.T["Paylink работает"]);
        h.El("p", c.T["Клиент пишет в чат — ассистент записывает его и присылает ссылку на оплату; оплата отмечается один раз, с чеком и записью в CRM."]);
        h.Raw("<div class=\"grid\" id=\"start\">");
        if (demoChat)
            Tile(h, "/chat/demo", c.T["Написать как клиент"],
                c.T["Демо-чат салона: например, «хочу на маникюр завтра в 15:00», затем «да» — и оплата в песочнице."], "go-chat");
        Tile(h, "/dashboard", c.T["Кабинет владельца"],
            c.T["Оплаты, записи, диалоги, ссылки и настройки. Пароль демо-владельца печатается при первом запуске."], "go-dashboard");
        Tile(h, "/openapi/v1.json", c.T["API для разработчиков"],
            c.T["Описание OpenAPI; ключ — в заголовке Authorization: Bearer."], "go-api");
        Tile(h, "/readyz", c.T["Состояние"],
            c.T["База данных и очередь задач отвечают."], "go-health");
        h.Raw("</div>\n");
        h.Raw("<div class=\"card\" id=\"runs\">").El("h2", c.T["Что здесь запущено"]);
        h.Raw("<table><tbody>");
        Row(h, c.T["База данных"], sqlite ? c.T["SQLite (встроенная, один файл)"] : "PostgreSQL");
        Row(h, c.T["Платёжные шлюзы"], string.Join(", ", gateways.Select(g => Gateway(c, g))));
        Row(h, c.T["Каналы"], string.Join(", ", channels.Select(ch => Labels.Channel(c, ch))));
        h.Raw("</tbody></table></div>\n");
    }

    private static void Tile(Html h, string href, string title, string text, string id) =>
        h.Raw("<div class=\"kpi\"><b style=\"font-size:1.1rem\">").Link(href, title, id: id).Raw("</b><span>").Text(text).Raw("</span></div>");

    private static string Gateway(DashContext c, string id) => id switch
    {
        "sandbox" => c.T["песочница (демо)"],
        "tbank" => c.T["Т-Банк"],
        "yookassa" => c.T["ЮKassa"],
        "stripe" => "Stripe",
        _ => id,
    };

    private static void Row(Html h, string label, string value) =>
        h.Raw("<tr><th scope=\"row\">").Text(label).Raw("</th><td>").Text(value).Raw("</td></tr>");
}
