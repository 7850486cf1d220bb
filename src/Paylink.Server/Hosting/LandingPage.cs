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
        h.El("h1", c.L("Paylink работает", "Paylink is running"));
        h.El("p", c.L("Клиент пишет в чат — ассистент записывает его и присылает ссылку на оплату; оплата отмечается один раз, с чеком и записью в CRM.",
            "A client writes in a chat; the assistant books them and sends a pay link; the payment is recorded once, with a receipt and a CRM entry."));
        h.Raw("<div class=\"grid\" id=\"start\">");
        if (demoChat)
            Tile(h, "/chat/demo", c.L("Написать как клиент", "Write as a client"),
                c.L("Демо-чат салона: например, «хочу на маникюр завтра в 15:00», затем «да» — и оплата в песочнице.",
                    "The demo salon's chat: e.g. “manicure tomorrow at 3 pm”, then “yes”, then pay in the sandbox."), "go-chat");
        Tile(h, "/dashboard", c.L("Кабинет владельца", "Owner dashboard"),
            c.L("Оплаты, записи, диалоги, ссылки и настройки. Пароль демо-владельца печатается при первом запуске.",
                "Payments, bookings, conversations, links and settings. The demo owner's password is printed at the first start."), "go-dashboard");
        Tile(h, "/openapi/v1.json", c.L("API для разработчиков", "API for developers"),
            c.L("Описание OpenAPI; ключ — в заголовке Authorization: Bearer.", "The OpenAPI document; the key goes in Authorization: Bearer."), "go-api");
        Tile(h, "/readyz", c.L("Состояние", "Health"),
            c.L("База данных и очередь задач отвечают.", "The database and the job queue answer."), "go-health");
        h.Raw("</div>\n");
        h.Raw("<div class=\"card\" id=\"runs\">").El("h2", c.L("Что здесь запущено", "What runs here"));
        h.Raw("<table><tbody>");
        Row(h, c.L("База данных", "Database"), sqlite ? c.L("SQLite (встроенная, один файл)", "SQLite (embedded, one file)") : "PostgreSQL");
        Row(h, c.L("Платёжные шлюзы", "Payment gateways"), string.Join(", ", gateways.Select(g => Gateway(c, g))));
        Row(h, c.L("Каналы", "Channels"), string.Join(", ", channels.Select(ch => Labels.Channel(c, ch))));
        h.Raw("</tbody></table></div>\n");
    }

    private static void Tile(Html h, string href, string title, string text, string id) =>
        h.Raw("<div class=\"kpi\"><b style=\"font-size:1.1rem\">").Link(href, title, id: id).Raw("</b><span>").Text(text).Raw("</span></div>");

    private static string Gateway(DashContext c, string id) => id switch
    {
        "sandbox" => c.L("песочница (демо)", "sandbox (demo)"),
        "tbank" => c.L("Т-Банк", "T-Bank"),
        "yookassa" => c.L("ЮKassa", "YooKassa"),
        "stripe" => "Stripe",
        _ => id,
    };

    private static void Row(Html h, string label, string value) =>
        h.Raw("<tr><th scope=\"row\">").Text(label).Raw("</th><td>").Text(value).Raw("</td></tr>");
}
