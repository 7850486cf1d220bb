using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paylink.Core.Catalog;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Merchants;

/// <summary>
/// On an empty database, creates the demo merchant (a beauty salon with a small catalog) so a newcomer
/// can create and pay a link at once. Its API key is written to data/demo-api-key.txt (readable by
/// the owner only), since a key is otherwise shown only once. A dashboard owner with a random password
/// (printed once in the startup banner) lets the newcomer sign in to /dashboard.
/// </summary>
public sealed class DemoSeeder(AppDbContext db, CreateMerchant createMerchant, ImportCatalog importCatalog,
    IOptions<PaylinkOptions> options, Messaging.ChannelAccounts channels, Assistance.AssistantSettingsStore assistant,
    Dashboard.CreateDashboardUser createUser)
{
    public const string OwnerEmail = "owner@demo.paylink";

    public const string KeyFileName = "demo-api-key.txt";
    public const string DemoChatSlug = "demo";

    public static readonly CatalogEntry[] SalonCatalog =
    [
        new("manicure", "Маникюр с покрытием гель-лак", 250000, "RUB", ["маникюр", "маник", "ногти", "гель-лак", "manicure"], 90),
        new("pedicure", "Педикюр", 300000, "RUB", ["педикюр", "pedicure"], 90),
        new("haircut-women", "Стрижка женская", 220000, "RUB", ["стрижка", "подстричься", "стрижку женскую", "haircut"], 60),
        new("haircut-men", "Стрижка мужская", 150000, "RUB", ["мужская стрижка", "барбер", "men's haircut"], 45),
        new("coloring", "Окрашивание волос", 650000, "RUB", ["окрашивание", "покраска", "покрасить волосы", "coloring"], 180),
        new("brows", "Коррекция и окрашивание бровей", 120000, "RUB", ["брови", "бровки", "brows"], 40),
    ];

    /// <summary>The seeded merchant, its clear API key and the demo owner's sign-in (both shown once).</summary>
    public sealed record DemoSeed(string MerchantId, string ApiKey, string OwnerEmail, string OwnerPassword);

    /// <summary>Returns what was seeded, or null when the database already has merchants.</summary>
    public async Task<DemoSeed?> SeedIfEmptyAsync(CancellationToken ct)
    {
        if (await db.Merchants.AnyAsync(ct)) return null;
        var created = await createMerchant.HandleAsync(new CreateMerchantRequest("Салон «Лаванда»", "Europe/Moscow", "RUB",
            "ИП Лавандова А. А.", "770123456789"), ct);
        if (!created.IsSuccess) throw new InvalidOperationException("Demo merchant could not be created: " + created.Error!.Message);
        var imported = await importCatalog.HandleAsync(created.Value.Merchant.Id, SalonCatalog, ct);
        if (!imported.IsSuccess) throw new InvalidOperationException("Demo catalog could not be imported: " + imported.Error!.Message);
        // The web chat at /chat/demo is the README's first path: write, get an invoice card, pay.
        var chat = await channels.CreateAsync(created.Value.Merchant.Id, Messaging.ChannelAccounts.WebChat, "Чат на сайте",
            new System.Text.Json.Nodes.JsonObject { ["slug"] = DemoChatSlug, ["title"] = "Салон «Лаванда»" }, ct);
        if (chat.IsSuccess) await db.SaveChangesAsync(ct);
        // The assistant asks a 30 % prepayment, so the demo shows the whole loop: booking, chat invoice, payment.
        await assistant.SaveAsync(created.Value.Merchant.Id, Assistance.AssistantSettings.Default with { Prepayment = new("percent", 30) }, ct);
        var owner = await createUser.HandleAsync(new Dashboard.CreateDashboardUserRequest(created.Value.Merchant.Id, OwnerEmail, Dashboard.DashboardRoles.Owner), ct);
        if (!owner.IsSuccess) throw new InvalidOperationException("Demo owner could not be created: " + owner.Error!.Message);
        var path = Path.Combine(options.Value.DataDir, KeyFileName);
        Directory.CreateDirectory(options.Value.DataDir);
        await File.WriteAllTextAsync(path, created.Value.ApiKey + "\n", ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new DemoSeed(created.Value.Merchant.Id, created.Value.ApiKey, OwnerEmail, owner.Value.Password);
    }
}
