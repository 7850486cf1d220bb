using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Paylink.Core.Assistance;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;

namespace Paylink.Core.PersonalData;

/// <summary>
/// A merchant's personal-data rules: clients with no activity for <c>RetentionDays</c> are anonymised by the daily job
/// (null: never); with <c>ConsentRequired</c>, the consent document is a step of its own before anything else — the
/// pay page shows it before the pay button, and the assistant asks for it before it answers a client's first message.
/// Off by default: a merchant that collects consent elsewhere (a contract, a site form) must not have it asked twice.
/// </summary>
public sealed record PersonalDataSettings(int? RetentionDays, bool ConsentRequired = false)
{
    public const string Kind = "personal-data";
    public const int MinDays = 30;
    public const int MaxDays = 3650;
    public static readonly PersonalDataSettings Default = new((int?)null);

    public Result<PersonalDataSettings> Validate() => RetentionDays is null or (>= MinDays and <= MaxDays)
        ? this : Error.Validation("retentionDays", $"retentionDays must be {MinDays}–{MaxDays} days, or null for no automatic erasure.");
}

/// <summary>One flow of personal data that leaves the server, and whether this merchant uses it.</summary>
public sealed record DataFlow(string Id, string Destination, bool CrossBorder, string Data, bool Active);

/// <summary>Consent documents (versioned, merchant-editable, Russian default), consent records, retention settings and data flows.</summary>
public sealed class PersonalDataPolicy(AppDbContext db, TimeProvider clock, IConfiguration config, IMemoryCache cache)
{
    public const int MaxConsentText = ConsentDocument.MaxText;
    /// <summary>How long an instance trusts its copy of a merchant's settings on the pay page and in chat (a change on
    /// this instance applies at once, on others within this).</summary>
    public static readonly TimeSpan SettingsCacheTtl = TimeSpan.FromSeconds(30);

    private static string SettingsCacheKey(string merchantId) => "pdn-settings:" + merchantId;

    /// <summary>The settings from a short cache: the pay page's hot path pays no query while consent is not required.</summary>
    public async Task<PersonalDataSettings> CachedSettingsAsync(string merchantId, CancellationToken ct) =>
        cache.TryGetValue(SettingsCacheKey(merchantId), out PersonalDataSettings? s) && s is not null
            ? s
            : cache.Set(SettingsCacheKey(merchantId), await GetSettingsAsync(merchantId, ct), SettingsCacheTtl);

    /// <summary>Whether a consent step must come first for this client: the merchant requires it and
    /// <see cref="HasConsentAsync"/> finds none.</summary>
    public async Task<bool> ConsentMissingAsync(string merchantId, string? customerId, string? conversationId, string? linkId, CancellationToken ct) =>
        (await CachedSettingsAsync(merchantId, ct)).ConsentRequired && !await HasConsentAsync(merchantId, customerId, conversationId, linkId, ct);

    public const string ConsentRequiredCode = "pdn_consent_required";

    /// <summary>The error a payment start answers while the client's consent is missing.</summary>
    public static Error ConsentRequiredError => new(ErrorKind.Validation, ConsentRequiredCode,
        "The merchant asks for consent to personal data processing before payment; the client has not given it yet.",
        new Dictionary<string, string[]> { ["pdnConsent"] = ["Consent to personal data processing is required first."] });

    /// <summary>The text of one version (0 is the built-in text), or null when there is no such version.</summary>
    public async Task<string?> ConsentTextAsync(string merchantId, int version, CancellationToken ct)
    {
        if (version == 0)
        {
            if (await db.ConsentDocuments.IgnoreQueryFilters().AnyAsync(d => d.MerchantId == merchantId, ct)) return null;
            return await MerchantNameAsync(merchantId, ct) is { } name ? DefaultText(name) : null;
        }
        return await db.ConsentDocuments.IgnoreQueryFilters().AsNoTracking().Where(d => d.MerchantId == merchantId && d.Version == version)
            .Select(d => d.Text).FirstOrDefaultAsync(ct);
    }

    /// <summary>The built-in consent text (version 0) until the merchant saves their own.</summary>
    public const string DefaultConsentText =
        "Согласие на обработку персональных данных\n\n" +
        "Я даю согласие {merchant} (далее — оператор) на обработку моих персональных данных: имени, номера телефона, " +
        "адреса электронной почты, переписки с оператором и сведений о заказах и оплатах — в целях записи на услуги, " +
        "выставления счетов, приёма оплаты, направления чеков и напоминаний. Обработка включает сбор, запись, " +
        "систематизацию, хранение, уточнение, использование, обезличивание и уничтожение, с использованием средств " +
        "автоматизации. Согласие действует до достижения целей обработки или до его отзыва; отозвать его можно, " +
        "написав оператору. Сведения о платежах хранятся в течение срока, установленного законодательством о бухгалтерском учёте.";

    public async Task<(int Version, string Text, DateTimeOffset? CreatedAt)> CurrentConsentAsync(string merchantId, CancellationToken ct)
    {
        var docs = await db.ConsentDocuments.IgnoreQueryFilters().AsNoTracking().Where(d => d.MerchantId == merchantId).ToListAsync(ct);
        var last = docs.MaxBy(d => d.Version);
        if (last is not null) return (last.Version, last.Text, last.CreatedAt);
        return (0, DefaultText(await MerchantNameAsync(merchantId, ct) ?? "оператор"), null);
    }

    private Task<string?> MerchantNameAsync(string merchantId, CancellationToken ct) =>
        db.Merchants.AsNoTracking().Where(m => m.Id == merchantId).Select(m => m.Name).FirstOrDefaultAsync(ct);

    private static string DefaultText(string merchantName) => DefaultConsentText.Replace("{merchant}", merchantName, StringComparison.Ordinal);

    /// <summary>Saves a new version (previous ones stay, consents name the version they accepted).</summary>
    public async Task<Result<int>> SaveConsentAsync(string merchantId, string? text, string actor, CancellationToken ct)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) return Error.Validation("text", "text is required.");
        if (text.Length > MaxConsentText) return Error.Validation("text", $"text must be at most {MaxConsentText} characters.");
        var version = 0;
        await db.UpsertAsync(async c =>
        {
            var max = await db.ConsentDocuments.IgnoreQueryFilters().Where(d => d.MerchantId == merchantId).MaxAsync(d => (int?)d.Version, c) ?? 0;
            version = max + 1;
            db.ConsentDocuments.Add(ConsentDocument.Create(merchantId, version, text, clock.GetUtcNow()));
            db.PersonalDataAudit.Add(PersonalDataAuditEntry.Create(merchantId, null, PersonalDataActions.ConsentDocument, actor, $"version={version}", clock));
        }, ct);
        return version;
    }

    /// <summary>Records a client's consent to the current version (or <paramref name="version"/> when it exists).</summary>
    public async Task<Result<ConsentRecord>> RecordConsentAsync(string merchantId, string? customerId, string? conversationId, string? linkId,
        string channel, int? version, string? ip, string? userAgent, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(channel) || channel.Length > 20) return Error.Validation("channel", "channel is required (at most 20 characters).");
        if (customerId is not null && !await db.Customers.IgnoreQueryFilters().AnyAsync(c => c.MerchantId == merchantId && c.Id == customerId, ct))
            return Error.NotFound($"Customer '{customerId}'");
        var current = (await CurrentConsentAsync(merchantId, ct)).Version;
        var v = version ?? current;
        if (v < 0 || v > current) return Error.Validation("version", $"version must be 0–{current} (an existing consent document version).");
        var record = ConsentRecord.Create(merchantId, customerId, conversationId, linkId, channel, v, ip, userAgent, clock);
        db.ConsentRecords.Add(record);
        await db.SaveChangesAsync(ct);
        return record;
    }

    /// <summary>Whether the client, the conversation or the link has a consent that is not withdrawn. A consent given in a
    /// chat before the client was known names the conversation; it counts for the client the conversation was later
    /// linked to (e.g. the link the assistant made for them).</summary>
    public Task<bool> HasConsentAsync(string merchantId, string? customerId, string? conversationId, string? linkId, CancellationToken ct) =>
        db.ConsentRecords.IgnoreQueryFilters().AnyAsync(r => r.MerchantId == merchantId && r.WithdrawnAt == null
            && ((customerId != null && r.CustomerId == customerId) || (conversationId != null && r.ConversationId == conversationId)
                || (linkId != null && r.LinkId == linkId)
                || (customerId != null && r.ConversationId != null && db.Conversations.IgnoreQueryFilters()
                    .Any(c => c.Id == r.ConversationId && c.MerchantId == merchantId && c.CustomerId == customerId))), ct);

    public async Task<PersonalDataSettings> GetSettingsAsync(string merchantId, CancellationToken ct)
    {
        var row = await db.MerchantSettings.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.MerchantId == merchantId && s.Kind == PersonalDataSettings.Kind, ct);
        return row is null ? PersonalDataSettings.Default : JsonSerializer.Deserialize<PersonalDataSettings>(row.Json, ClientPersonalData.Json) ?? PersonalDataSettings.Default;
    }

    public async Task<Result<PersonalDataSettings>> SaveSettingsAsync(string merchantId, PersonalDataSettings settings, string actor, CancellationToken ct)
    {
        var valid = settings.Validate();
        if (!valid.IsSuccess) return valid;
        var json = JsonSerializer.Serialize(settings, ClientPersonalData.Json);
        await db.UpsertAsync(async c =>
        {
            await MerchantSetting.PutAsync(db, merchantId, PersonalDataSettings.Kind, json, clock.GetUtcNow(), c);
            if (!db.ChangeTracker.Entries<PersonalDataAuditEntry>().Any(e => e.State == EntityState.Added))
                db.PersonalDataAudit.Add(PersonalDataAuditEntry.Create(merchantId, null, PersonalDataActions.Settings, actor,
                    $"retentionDays={settings.RetentionDays?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}, consentRequired={(settings.ConsentRequired ? "true" : "false")}", clock));
        }, ct);
        cache.Remove(SettingsCacheKey(merchantId));
        return valid;
    }

    /// <summary>
    /// Every flow of personal data that can leave the server, flagged cross-border where the receiver is abroad
    /// (art. 12: notify RKN first), and whether this merchant has it switched on.
    /// </summary>
    public async Task<IReadOnlyList<DataFlow>> FlowsAsync(string merchantId, CancellationToken ct)
    {
        var gateways = await db.GatewayAccounts.IgnoreQueryFilters().Where(a => a.MerchantId == merchantId && a.DeletedAt == null).Select(a => a.Provider).Distinct().ToListAsync(ct);
        var channels = await db.ChannelAccounts.IgnoreQueryFilters().Where(a => a.MerchantId == merchantId && a.DeletedAt == null).Select(a => a.Provider).Distinct().ToListAsync(ct);
        var crm = await db.CrmAccounts.IgnoreQueryFilters().Where(a => a.MerchantId == merchantId && a.DeletedAt == null).Select(a => a.Provider).Distinct().ToListAsync(ct);
        var npd = await db.SelfEmployedAccounts.IgnoreQueryFilters().AnyAsync(a => a.MerchantId == merchantId && a.DeletedAt == null, ct);
        var llm = config.GetValue<bool>("Assistant:Llm:Enabled");
        var llmUrl = config["Assistant:Llm:BaseUrl"];
        return
        [
            new("llm", "LLM endpoint " + (Uri.TryCreate(llmUrl, UriKind.Absolute, out var u) ? u.Host : "(not set)"), true, "chat message texts, service names", llm),
            new("stripe", "Stripe (USA/EU)", true, "e-mail, amounts, descriptions", gateways.Contains("stripe")),
            new("tbank", "T-Bank (Russia)", false, "phone or e-mail for receipts, amounts", gateways.Contains("tbank")),
            new("yookassa", "YooKassa (Russia)", false, "phone or e-mail for receipts, amounts", gateways.Contains("yookassa")),
            new("telegram", "Telegram (outside Russia)", true, "chat texts, names, invoices", channels.Contains("telegram")),
            new("exolve", "MTS Exolve SMS (Russia)", false, "phone numbers, message texts", channels.Contains("exolve")),
            new("email", "SMTP server set by the merchant", false, "e-mail addresses, message texts", channels.Contains("email")),
            new("bitrix24", "Bitrix24 portal", false, "names, phones, e-mails, deals, notes", crm.Contains("bitrix24")),
            new("moynalog", "«Мой налог» (FNS, Russia)", false, "amounts, service names; a company buyer's ИНН and name", npd),
        ];
    }
}

/// <summary>
/// Periodic task <c>pdn.retention</c> (daily): anonymises clients of merchants with a retention period whose last
/// activity (created, last invoice, last message, last visit) is older than it. Bounded per run; the next run continues.
/// </summary>
public sealed class AnonymiseExpiredClients(AppDbContext db, ClientPersonalData data, TimeProvider clock) : IPeriodicTask
{
    public const string Name = "pdn.retention";
    public const int BatchSize = 200;

    public async Task RunAsync(CancellationToken ct)
    {
        var rows = await db.MerchantSettings.IgnoreQueryFilters().AsNoTracking().Where(s => s.Kind == PersonalDataSettings.Kind).ToListAsync(ct);
        var done = 0;
        foreach (var row in rows)
        {
            var days = JsonSerializer.Deserialize<PersonalDataSettings>(row.Json, ClientPersonalData.Json)?.RetentionDays;
            if (days is null) continue;
            var cutoff = clock.GetUtcNow().AddDays(-days.Value);
            var m = row.MerchantId;
            var due = await db.Customers.IgnoreQueryFilters()
                .Where(c => c.MerchantId == m && c.ErasedAt == null && c.MergedIntoId == null && c.CreatedAt < cutoff
                    && !db.PaymentLinks.IgnoreQueryFilters().Any(l => l.MerchantId == m && l.CustomerId == c.Id && l.CreatedAt >= cutoff)
                    && !db.Conversations.IgnoreQueryFilters().Any(v => v.MerchantId == m && v.CustomerId == c.Id && v.LastMessageAt >= cutoff)
                    && !db.Bookings.IgnoreQueryFilters().Any(b => b.MerchantId == m && b.CustomerId == c.Id && b.StartAt >= cutoff))
                .Select(c => c.Id).Take(BatchSize - done).ToListAsync(ct);
            foreach (var id in due)
            {
                await data.EraseAsync(m, id, "system:retention", PersonalDataActions.RetentionErase, ct);
                db.ChangeTracker.Clear();
            }
            done += due.Count;
            if (done >= BatchSize) return;
        }
    }
}
