using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Receipts;

namespace Paylink.Core.Providers;

/// <summary>
/// Registers a self-employed (НПД, 422-FZ) merchant's incomes with the tax service and cancels them. One
/// instance serves all merchants; per-merchant settings and the cached session arrive in
/// <see cref="SelfEmployedContext"/>. Implementations: <c>moynalog</c> (the «Мой налог» cabinet's JSON API);
/// the official partner API (ПП НПД, FNS's async SOAP service) would be a second one with the same contract.
/// Every call is made from the <c>npd.sync</c> job, never from a payment path.
/// <para><b>Exactly once.</b> Callers never re-send a registration whose outcome is unknown: they call
/// <see cref="FindAsync"/> first, which recognises the income by <see cref="SelfEmployedIncome.Tag"/>
/// (carried in the service name) and its amount.</para>
/// </summary>
public interface ISelfEmployedReceipts : IConfigurableProvider
{
    /// <summary>The seller's ИНН these settings sign in as (it is part of every receipt link).</summary>
    string InnOf(JsonObject settings);

    /// <summary>Signs in (or refreshes the session) and returns the ИНН of the profile signed in to.</summary>
    Task<SelfEmployedOutcome<string>> TestAsync(SelfEmployedContext context, CancellationToken ct);

    /// <summary>Registers one income. <see cref="SelfEmployedFailureKind.Unknown"/> means the request may have been
    /// processed: the caller must call <see cref="FindAsync"/> before sending it again.</summary>
    Task<SelfEmployedOutcome<SelfEmployedRegistered>> RegisterAsync(SelfEmployedContext context, SelfEmployedIncome income, CancellationToken ct);

    /// <summary>The income registered for <paramref name="income"/> (matched by its tag and amount near its operation
    /// time), or null when the tax service has none.</summary>
    Task<SelfEmployedOutcome<SelfEmployedFound?>> FindAsync(SelfEmployedContext context, SelfEmployedIncome income, CancellationToken ct);

    /// <summary>Cancels (аннулирует) a registered receipt. Cancelling one already cancelled counts as success.</summary>
    Task<SelfEmployedOutcome<bool>> CancelAsync(SelfEmployedContext context, SelfEmployedCancel cancel, CancellationToken ct);

    /// <summary>The buyer's link to the receipt.</summary>
    string ReceiptUrl(string sellerInn, string receiptId);
}

/// <summary>A merchant's account and its decrypted settings; <see cref="Session"/> is the provider's cached sign-in
/// (tokens), which the provider may replace — the caller then stores it encrypted (<see cref="SessionChanged"/>).</summary>
public sealed class SelfEmployedContext(SelfEmployedAccount account, JsonObject settings, JsonObject? session)
{
    public SelfEmployedAccount Account { get; } = account;
    public JsonObject Settings { get; } = settings;
    public JsonObject? Session { get; private set; } = session;
    public bool SessionChanged { get; private set; }

    public void ReplaceSession(JsonObject? session)
    {
        Session = session;
        SessionChanged = true;
    }
}

/// <summary>Who paid: a person, or a company / sole trader with its ИНН and name (then the receipt names them).</summary>
public enum SelfEmployedClientType { Individual, LegalEntity }

public sealed record SelfEmployedService(string Name, long AmountMinor, int Quantity);

/// <summary>One income to register. <see cref="Tag"/> is our receipt id, written into the service name so a lookup
/// after an unknown outcome can recognise the income; <see cref="AmountMinor"/> is in kopecks (RUB only).</summary>
public sealed record SelfEmployedIncome(string Tag, DateTimeOffset OperationTime, IReadOnlyList<SelfEmployedService> Services, long AmountMinor,
    SelfEmployedClientType ClientType, string? ClientInn, string? ClientName);

public sealed record SelfEmployedRegistered(string ReceiptId);

public sealed record SelfEmployedFound(string ReceiptId, bool Cancelled);

public enum SelfEmployedCancelReason { Refund, Mistake }

public sealed record SelfEmployedCancel(string ReceiptId, DateTimeOffset OperationTime, SelfEmployedCancelReason Reason);

public enum SelfEmployedFailureKind
{
    /// <summary>Nothing was done (service down, 5xx before processing, rate limit, connect failure): retry later.</summary>
    Unavailable,
    /// <summary>The request was sent and no answer came (timeout, reset): it may have been processed.</summary>
    Unknown,
    /// <summary>Wrong ИНН/password, a revoked refresh token: a person must fix the connection.</summary>
    Credentials,
    /// <summary>The tax service refused this request (validation, limit exceeded, changed API): a person must look.</summary>
    Refused,
}

public sealed record SelfEmployedFailure(SelfEmployedFailureKind Kind, string Message, TimeSpan? RetryAfter = null);

/// <summary>A call's value or its <see cref="SelfEmployedFailure"/>.</summary>
public readonly struct SelfEmployedOutcome<T>
{
    private readonly T? _value;

    private SelfEmployedOutcome(T? value, SelfEmployedFailure? failure) { _value = value; Failure = failure; }

    public SelfEmployedFailure? Failure { get; }
    public bool IsSuccess => Failure is null;
    public T Value => Failure is null ? _value! : throw new InvalidOperationException($"Self-employed receipt call failed: {Failure.Message}");

    public static implicit operator SelfEmployedOutcome<T>(T value) => new(value, null);
    public static implicit operator SelfEmployedOutcome<T>(SelfEmployedFailure failure) => new(default, failure);
}
