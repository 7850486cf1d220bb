using Paylink.Core.Common;

namespace Paylink.Core.Crm;

/// <summary>
/// A merchant's connection to an external CRM (at most one active). Settings (webhook URL with its
/// secret, application token, stage mapping) are stored only encrypted; the connector validates and masks them.
/// </summary>
public sealed class CrmAccount : IMerchantOwned, Providers.IProviderAccount
{
    private CrmAccount() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string Provider { get; private set; } = "";
    public string ProtectedSettings { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }
    /// <summary>Remote changes up to this time were reconciled (the next crm.deal.list asks from here).</summary>
    public DateTimeOffset ReconciledUntil { get; private set; }
    /// <summary>The last error that needs a person (expired webhook, unknown stage); cleared by a success.</summary>
    public string? LastError { get; private set; }
    public DateTimeOffset? LastErrorAt { get; private set; }

    public bool IsActive => DeletedAt is null;

    public static CrmAccount Create(string merchantId, string provider, string protectedSettings, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return new CrmAccount
        {
            Id = Ids.New("crm", clock), MerchantId = merchantId, Provider = provider, ProtectedSettings = protectedSettings,
            CreatedAt = now, ReconciledUntil = now,
        };
    }

    public void ReplaceSettings(string protectedSettings) => ProtectedSettings = protectedSettings;
    public void Delete(DateTimeOffset at) => DeletedAt ??= at;
    public void Reconciled(DateTimeOffset until) { if (until > ReconciledUntil) ReconciledUntil = until; }

    public void Failed(string error, DateTimeOffset at)
    {
        LastError = error.Length > 500 ? error[..500] : error;
        LastErrorAt = at;
    }

    public void Succeeded() => LastError = null;
}

/// <summary>
/// Our entity ↔ its id at the CRM (contact, deal, comment, task). The unique (account, type, local id)
/// index makes "check before create" safe: a row is claimed (remote id still null) before the remote
/// create, so a concurrent or retried job never creates the same thing twice.
/// </summary>
public sealed class CrmRemoteLink
{
    private CrmRemoteLink() { }

    public long Id { get; private set; }
    public string AccountId { get; private set; } = "";
    public string EntityType { get; private set; } = "";
    public string LocalId { get; private set; } = "";
    public string? RemoteId { get; private set; }
    /// <summary>For deals: the pipeline stage last pushed, so an unchanged stage is not sent again.</summary>
    public string? PushedStage { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>A push holds the deal's row until this time (a lease, so a crashed push does not block it for ever).</summary>
    public DateTimeOffset? LockedUntil { get; private set; }

    public static CrmRemoteLink Claim(string accountId, string entityType, string localId, DateTimeOffset at) => new()
    {
        AccountId = accountId, EntityType = entityType, LocalId = localId, CreatedAt = at,
    };

    public void Resolve(string remoteId) => RemoteId = remoteId;
    public void StagePushed(DealStage stage) => PushedStage = stage.ToWire();
}

/// <summary>One line of a CRM account's log, readable by the merchant (GET /api/v1/crm-accounts/{id}/log).</summary>
public sealed class CrmLogEntry : IMerchantOwned
{
    private CrmLogEntry() { }

    public long Id { get; private set; }
    public string MerchantId { get; private set; } = "";
    public string AccountId { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    /// <summary>info, retry (transient, will be retried) or error (needs a person).</summary>
    public string Level { get; private set; } = "";
    public string Operation { get; private set; } = "";
    public string Message { get; private set; } = "";
    public string? DealId { get; private set; }

    public static CrmLogEntry Create(CrmAccount account, string level, string operation, string message, string? dealId, DateTimeOffset at) => new()
    {
        MerchantId = account.MerchantId, AccountId = account.Id, Level = level, Operation = operation,
        Message = message.Length > 1000 ? message[..1000] : message, DealId = dealId, At = at,
    };
}
