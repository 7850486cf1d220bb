using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Crm;

namespace Paylink.Core.Providers;

/// <summary>
/// An external CRM that mirrors Paylink's built-in pipeline (provider <c>builtin</c>, always on: Paylink's
/// own contacts, deals, timeline and tasks). One instance serves all merchants; per-merchant settings
/// arrive in <see cref="CrmContext"/>. Every call is made from a job (<c>crm.push</c>, <c>crm.inbound</c>),
/// never from a payment path. Failures say whether retrying can help (<see cref="CrmFailure.Transient"/>).
/// </summary>
public interface ICrmConnector : IConfigurableProvider
{
    /// <summary>A harmless real call that proves the connection works and the configured stages exist.</summary>
    Task<CrmOutcome<string>> TestAsync(CrmContext context, CancellationToken ct);

    /// <summary>Finds the contact by phone/e-mail at the CRM or creates it; returns its remote id. Never creates a duplicate of a contact the CRM already has.</summary>
    Task<CrmOutcome<string>> EnsureContactAsync(CrmContext context, CrmContactData contact, CancellationToken ct);

    /// <summary>The remote deal (or lead) that carries our deal id as its origin, when an earlier attempt created it.</summary>
    Task<CrmOutcome<string?>> FindDealAsync(CrmContext context, string localDealId, CancellationToken ct);

    /// <summary>Creates the deal (or lead, per settings) with our deal id as origin; returns its remote id.</summary>
    Task<CrmOutcome<string>> CreateDealAsync(CrmContext context, CrmDealData deal, string remoteContactId, CancellationToken ct);

    /// <summary>Moves the remote deal to the stage mapped for <paramref name="stage"/> (when mapped) and adds the
    /// comments to its timeline, in as few calls as the CRM allows. Returns the remote comment ids in order.</summary>
    Task<CrmOutcome<IReadOnlyList<string>>> UpdateDealAsync(CrmContext context, string remoteDealId, DealStage? stage,
        IReadOnlyList<string> comments, CancellationToken ct);

    /// <summary>Adds a task for the responsible manager about the remote deal; returns its remote id.</summary>
    Task<CrmOutcome<string>> AddTaskAsync(CrmContext context, string remoteDealId, string title, string text, CancellationToken ct);

    /// <summary>Reads a remote deal with its contact and product rows (for links issued from the CRM).</summary>
    Task<CrmOutcome<CrmRemoteDeal>> GetDealAsync(CrmContext context, string remoteDealId, CancellationToken ct);

    /// <summary>Remote deals modified after <paramref name="since"/> that sit in the configured "issue invoice" stage.</summary>
    Task<CrmOutcome<IReadOnlyList<string>>> ListDealsToInvoiceAsync(CrmContext context, DateTimeOffset since, CancellationToken ct);

    /// <summary>Checks an inbound event (form fields) against the settings (constant-time token compare) and
    /// returns the remote deal id it is about, or an Unauthorized/Validation error.</summary>
    Result<CrmInboundEvent> VerifyEvent(CrmContext context, IReadOnlyDictionary<string, string> form);
}

public sealed record CrmContext(CrmAccount Account, JsonObject Settings);

public sealed record CrmContactData(string LocalId, string? Name, string? Phone, string? Email);

public sealed record CrmDealData(string LocalId, string Title, Money Amount, string? ServiceName, DealStage Stage);

/// <summary>A remote deal as Paylink needs it to issue a link: amount, currency, products, stage and contact.</summary>
public sealed record CrmRemoteDeal(string Id, string Title, string? Stage, Money Amount, IReadOnlyList<CrmProductRow> Products,
    string? ContactId, string? ContactName, IReadOnlyList<string> Phones, IReadOnlyList<string> Emails);

public sealed record CrmProductRow(string Name, long PriceMinor, int Quantity);

/// <summary>A verified inbound event: its type, the remote deal id and a key that identifies this delivery.</summary>
public sealed record CrmInboundEvent(string Type, string RemoteDealId, string EventKey);

/// <summary>Why a CRM call failed. Transient: retry later (rate limit, 5xx, timeouts), after <see cref="RetryAfter"/> when known.
/// Otherwise retrying cannot help (expired webhook, deleted deal, unknown stage) and a person must act.</summary>
public sealed record CrmFailure(bool Transient, string Code, string Message, TimeSpan? RetryAfter = null);

/// <summary>A CRM call's value or its <see cref="CrmFailure"/>.</summary>
public readonly struct CrmOutcome<T>
{
    private readonly T? _value;

    private CrmOutcome(T? value, CrmFailure? failure) { _value = value; Failure = failure; }

    public CrmFailure? Failure { get; }
    public bool IsSuccess => Failure is null;
    public T Value => Failure is null ? _value! : throw new InvalidOperationException($"CRM call failed: {Failure.Message}");

    public static implicit operator CrmOutcome<T>(T value) => new(value, null);
    public static implicit operator CrmOutcome<T>(CrmFailure failure) => new(default, failure);
}
