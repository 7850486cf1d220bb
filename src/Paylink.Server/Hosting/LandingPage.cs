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
            return c.Page<LandingView>(new
            {
                DemoChat = demoChat, Sqlite = db.IsSqlite,
                Gateways = gateways.Ids.Order(StringComparer.Ordinal).ToList(), Channels = channels.Ids.Order(StringComparer.Ordinal).ToList(),
            });
        }).ExcludeFromDescription();
}
