using Paylink.Core.Common;

namespace Paylink.Core.Receipts;

/// <summary>
/// A self-employed (НПД) merchant's connection to the tax service that registers its incomes (at most one
/// active). Settings (ИНН + password, or refresh token + device id) and the cached session (access token)
/// are stored only encrypted; the provider validates and masks them. <see cref="Inn"/> is kept in clear:
/// it is printed on every receipt and is part of the buyer's receipt link.
/// </summary>
public sealed class SelfEmployedAccount : IMerchantOwned, Providers.IProviderAccount
{
    private SelfEmployedAccount() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string Provider { get; private set; } = "";
    public string Inn { get; private set; } = "";
    public string ProtectedSettings { get; private set; } = "";
    /// <summary>The provider's session (access token, its expiry, the current refresh token), encrypted; null before the first sign-in.</summary>
    public string? ProtectedSession { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }
    /// <summary>The last error that needs a person (wrong password, revoked token, a refused receipt); cleared by a success.</summary>
    public string? LastError { get; private set; }
    /// <summary><c>credentials</c> or <c>refused</c> (see <see cref="Providers.SelfEmployedFailureKind"/>), with <see cref="LastError"/>.</summary>
    public string? LastErrorKind { get; private set; }
    public DateTimeOffset? LastErrorAt { get; private set; }

    public bool IsActive => DeletedAt is null;

    public static SelfEmployedAccount Create(string merchantId, string provider, string inn, string protectedSettings, TimeProvider clock) => new()
    {
        Id = Ids.New("npd", clock), MerchantId = merchantId, Provider = provider, Inn = inn, ProtectedSettings = protectedSettings,
        CreatedAt = clock.GetUtcNow(),
    };

    /// <summary>New credentials: the old session belongs to the old ones, and the old error no longer applies.</summary>
    public void ReplaceSettings(string inn, string protectedSettings)
    {
        Inn = inn;
        ProtectedSettings = protectedSettings;
        ProtectedSession = null;
        Succeeded();
    }

    public void ReplaceSession(string? protectedSession) => ProtectedSession = protectedSession;

    public void Delete(DateTimeOffset at) => DeletedAt ??= at;

    public void Failed(string kind, string error, DateTimeOffset at)
    {
        LastErrorKind = kind;
        LastError = error.Length > 500 ? error[..500] : error;
        LastErrorAt = at;
    }

    public void Succeeded()
    {
        LastError = null;
        LastErrorKind = null;
        LastErrorAt = null;
    }
}
