using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paylink.Core.Catalog;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Merchants;

/// <summary>
/// On an empty database, creates the demo merchant (a beauty salon with a small catalog) so a newcomer
/// can create and pay a link at once. Its API key is written to data/demo-api-key.txt (readable by
/// the owner only), since a key is otherwise shown only once.
/// </summary>
public sealed class DemoSeeder(AppDbContext db, CreateMerchant createMerchant, ImportCatalog importCatalog,
    IOptions<PaylinkOptions> options, Messaging.ChannelAccounts channels, Assistance.AssistantSettingsStore assistant)
{
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

    /// <summary>Returns the new merchant's id and clear API key, or null when the database already has merchants.</summary>
    public async Task<(string MerchantId, string ApiKey)?> SeedIfEmptyAsync(CancellationToken ct)
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
        var path = Path.Combine(options.Value.DataDir, KeyFileName);
        Directory.CreateDirectory(options.Value.DataDir);
        await File.WriteAllTextAsync(path, created.Value.ApiKey + "\n", ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (created.Value.Merchant.Id, created.Value.ApiKey);
    }
}
