using Paylink.Core.Common;

namespace Paylink.Core.Messaging;

/// <summary>
/// A merchant's connection to a messaging channel (a Telegram bot, an Exolve sender, an SMTP mailbox, the
/// web chat). Settings are stored only encrypted; the provider validates and masks them. Telegram accounts
/// also hold the webhook secret Paylink generated (encrypted) that every inbound update must carry.
/// </summary>
public sealed class ChannelAccount : IMerchantOwned, Providers.IProviderAccount
{
    public const int MaxName = 100;

    private ChannelAccount() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string Provider { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string ProtectedSettings { get; private set; } = "";
    /// <summary>A disabled account sends nothing and rejects inbound updates without processing them.</summary>
    public bool Enabled { get; private set; } = true;
    /// <summary>Encrypted secret expected in X-Telegram-Bot-Api-Secret-Token; null until registered.</summary>
    public string? ProtectedWebhookSecret { get; private set; }
    /// <summary>Public name of a web-chat account in /chat/{slug} (lowercase letters, digits, '-'), unique.</summary>
    public string? Slug { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }

    public bool IsActive => DeletedAt is null;
    public bool CanSend => DeletedAt is null && Enabled;

    public void Rename(string name) => Name = name;
    public void ReplaceSettings(string protectedSettings) => ProtectedSettings = protectedSettings;
    public void SetEnabled(bool enabled) => Enabled = enabled;
    public void SetWebhookSecret(string protectedSecret) => ProtectedWebhookSecret = protectedSecret;
    public void SetSlug(string? slug) => Slug = slug;
    public void Delete(DateTimeOffset at) => DeletedAt ??= at;

    public static ChannelAccount Create(string merchantId, string provider, string name, string protectedSettings, TimeProvider clock) => new()
    {
        Id = Ids.New("cha", clock), MerchantId = merchantId, Provider = provider, Name = name,
        ProtectedSettings = protectedSettings, CreatedAt = clock.GetUtcNow(),
    };
}
