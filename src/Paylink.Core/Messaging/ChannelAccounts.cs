using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Providers;

namespace Paylink.Core.Messaging;

/// <summary>A channel account as shown to its merchant: secrets masked, never in clear.</summary>
public sealed record ChannelAccountView(string Id, string Provider, string Name, bool Enabled, string? WebhookUrl, bool WebhookRegistered,
    JsonObject Settings, DateTimeOffset CreatedAt);

/// <summary>
/// Manages a merchant's channel accounts (create, list, update, delete, test, register webhook) and opens
/// their encrypted settings for a provider call. Mirrors <see cref="Payments.GatewayAccounts"/>.
/// </summary>
public sealed partial class ChannelAccounts(AppDbContext db, ProviderRegistry<IMessageChannel> channels, SecretProtector protector,
    PublicUrls urls, TimeProvider clock, OutboundSettings outbound)
{
    public const string WebChat = "webchat";

    private readonly ProviderAccountSettings<IMessageChannel> _settings = new(channels, protector, outbound, "channel");

    public async Task<Result<ChannelAccount>> CreateAsync(string merchantId, string? provider, string? name, JsonObject? settings, CancellationToken ct)
    {
        var channel = _settings.Resolve(provider);
        if (!channel.IsSuccess) return channel.Error!;
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > ChannelAccount.MaxName)
            return Error.Validation("name", $"name is required, at most {ChannelAccount.MaxName} characters.");
        var valid = await _settings.ValidateAsync(channel.Value, settings, ct);
        if (!valid.IsSuccess) return valid.Error!;
        var account = ChannelAccount.Create(merchantId, provider!, name, valid.Value.Protected, clock);
        var slug = await ApplySlugAsync(account, channel.Value, valid.Value.Clear, ct);
        if (!slug.IsSuccess) return slug.Error!;
        db.ChannelAccounts.Add(account);
        return account;
    }

    public async Task<List<ChannelAccount>> ListAsync(CancellationToken ct) =>
        (await db.ChannelAccounts.AsNoTracking().Where(a => a.DeletedAt == null).ToListAsync(ct)).OrderBy(a => a.Id, StringComparer.Ordinal).ToList();

    public async Task<Result<ChannelAccount>> FindAsync(string id, CancellationToken ct) =>
        await db.ChannelAccounts.FirstOrDefaultAsync(a => a.Id == id && a.DeletedAt == null, ct) is { } a ? a : Error.NotFound($"Channel account '{id}'");

    /// <summary>Partial update: name, enabled, and settings merged over the stored ones, validated again.</summary>
    public async Task<Result<ChannelAccount>> UpdateAsync(string id, string? name, bool? enabled, JsonObject? settings, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (!found.IsSuccess) return found;
        var account = found.Value;
        if (name is not null)
        {
            name = name.Trim();
            if (name.Length is 0 or > ChannelAccount.MaxName) return Error.Validation("name", $"name must be 1–{ChannelAccount.MaxName} characters.");
            account.Rename(name);
        }
        if (enabled is { } e) account.SetEnabled(e);
        if (settings is not null)
        {
            var opened = _settings.Open(account);
            if (!opened.IsSuccess) return opened.Error!;
            var valid = await _settings.MergeAsync(opened.Value.Provider, opened.Value.Settings, settings, ct);
            if (!valid.IsSuccess) return valid.Error!;
            var slug = await ApplySlugAsync(account, opened.Value.Provider, valid.Value.Clear, ct);
            if (!slug.IsSuccess) return slug.Error!;
            account.ReplaceSettings(valid.Value.Protected);
        }
        await db.SaveChangesAsync(ct);
        return account;
    }

    /// <summary>Soft delete: sends nothing more; its conversations and messages stay readable.</summary>
    public async Task<Result<ChannelAccount>> DeleteAsync(string id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (!found.IsSuccess) return found;
        found.Value.Delete(clock.GetUtcNow());
        found.Value.SetSlug(null);
        await db.SaveChangesAsync(ct);
        return found;
    }

    public async Task<Result<string>> TestAsync(string id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (!found.IsSuccess) return found.Error!;
        var opened = Open(found.Value);
        if (!opened.IsSuccess) return opened.Error!;
        if (opened.Value.Channel is not IChannelCredentialsCheck check) return $"The {found.Value.Provider} channel needs no credentials.";
        return await check.CheckCredentialsAsync(opened.Value.Context, ct);
    }

    /// <summary>Generates a fresh webhook secret and registers the account's webhook URL with it at the provider.
    /// The new secret is stored only once the provider accepted it, so a failed call keeps the old one working.</summary>
    public async Task<Result<string>> RegisterWebhookAsync(string id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (!found.IsSuccess) return found.Error!;
        var opened = Open(found.Value);
        if (!opened.IsSuccess) return opened.Error!;
        if (opened.Value.Channel is not IChannelWebhookRegistration registration)
            return Error.Conflict("no_webhook", $"The {found.Value.Provider} channel has no webhook to register.");
        var secret = Ids.NewSecret(32);
        var done = await registration.RegisterWebhookAsync(opened.Value.Context, secret, ct);
        if (!done.IsSuccess) return done.Error!;
        found.Value.SetWebhookSecret(protector.Protect(secret));
        await db.SaveChangesAsync(ct);
        return done;
    }

    /// <summary>Constant-time check of an inbound webhook's secret header against the stored one.</summary>
    public bool WebhookSecretMatches(ChannelAccount account, string? presented)
    {
        if (account.ProtectedWebhookSecret is null || string.IsNullOrEmpty(presented)) return false;
        var stored = protector.TryUnprotect(account.ProtectedWebhookSecret);
        return stored is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(stored), System.Text.Encoding.UTF8.GetBytes(presented));
    }

    public ChannelAccountView View(ChannelAccount a)
    {
        var masked = _settings.Masked(a);
        if (channels.TryGet(a.Provider, out var channel) && channel.Traits.IsSiteWidget) masked["widget"] = WidgetSnippet(a);
        return new ChannelAccountView(a.Id, a.Provider, a.Name, a.Enabled, WebhookUrl(a), a.ProtectedWebhookSecret is not null, masked, a.CreatedAt);
    }

    /// <summary>The HTML a merchant pastes into a site page to show the chat widget.</summary>
    public string WidgetSnippet(ChannelAccount a) =>
        $"""<script src="{urls.Base}/chat/widget.js" data-chat="{a.Slug ?? a.MerchantId}" async></script>""";

    public string? WebhookUrl(ChannelAccount a) =>
        channels.TryGet(a.Provider, out var channel) && channel.Traits.HasInboundWebhook ? urls.Webhook(a.Provider, a.Id) : null;

    public Result<(IMessageChannel Channel, ChannelContext Context)> Open(ChannelAccount account)
    {
        var opened = _settings.Open(account);
        if (!opened.IsSuccess) return opened.Error!;
        return (opened.Value.Provider, new ChannelContext(account.MerchantId, account.Id, opened.Value.Settings, WebhookUrl(account)));
    }

    /// <summary>The chat address (<c>settings.slug</c>) of a channel Paylink hosts on the merchant's site.</summary>
    private async Task<Result<bool>> ApplySlugAsync(ChannelAccount account, IMessageChannel channel, JsonObject settings, CancellationToken ct)
    {
        if (!channel.Traits.IsSiteWidget) return true;
        var slug = settings["slug"]?.GetValue<string>();
        if (slug is null) { account.SetSlug(null); return true; }
        if (!SlugPattern().IsMatch(slug)) return Error.Validation("settings.slug", "settings.slug must be 3–64 characters: lowercase latin letters, digits and '-'.");
        if (await db.ChannelAccounts.IgnoreQueryFilters().AnyAsync(a => a.Slug == slug && a.Id != account.Id, ct))
            return Error.Validation("settings.slug", $"The chat address '{slug}' is taken; choose another settings.slug.");
        account.SetSlug(slug);
        return true;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,63}$")]
    private static partial Regex SlugPattern();
}
