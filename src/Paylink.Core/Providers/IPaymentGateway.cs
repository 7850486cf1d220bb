using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Payments;
using Paylink.Core.Receipts;

namespace Paylink.Core.Providers;

/// <summary>
/// An acquirer adapter. One instance serves all merchants; per-merchant credentials arrive in
/// <see cref="GatewayContext"/>. Implementations never let SDK types out of their folder. Optional
/// abilities (refunds, holds, saved methods, state queries, credential checks, closing receipts) are
/// separate interfaces below; callers test for them with <c>is</c> and answer a clear error otherwise.
/// </summary>
public interface IPaymentGateway : IConfigurableProvider
{
    /// <summary>Creates a checkout at the gateway. Called once per attempt; the attempt id is the
    /// idempotency key. Returns ProviderUnavailable for timeouts/5xx (the caller may fail over to the
    /// next account), ProviderDeclined for refusals.</summary>
    Task<Result<CheckoutSession>> CreateCheckoutAsync(GatewayContext context, CheckoutRequest request, CancellationToken ct);

    /// <summary>Verifies an inbound notification (signature, token, IP or re-fetch) and translates it.
    /// Must not trust amounts without verification; must not write anything.</summary>
    Task<Result<GatewayNotification>> VerifyNotificationAsync(GatewayContext context, InboundHttpRequest request, CancellationToken ct);

    /// <summary>The body to answer an accepted notification with (T-Bank wants "OK").</summary>
    string NotificationAck => "ok";

    /// <summary>Whether checkouts in this ISO 4217 currency are possible (T-Bank and YooKassa: RUB only).</summary>
    bool SupportsCurrency(string currency) => true;
}

/// <summary>Refunds of captured money. The refund id is the idempotency key at the gateway.</summary>
public interface IGatewayRefunds
{
    /// <summary>True when re-sending the same refund after an unknown outcome cannot refund twice
    /// (the gateway deduplicates on our key).</summary>
    bool RefundRetrySafe { get; }

    Task<Result<GatewayRefund>> RefundAsync(GatewayContext context, RefundRequest request, CancellationToken ct);
}

/// <summary>Two-stage payments: the checkout only holds the money; capture takes it, void releases it.</summary>
public interface IGatewayHolds
{
    Task<Result<GatewayPaymentState>> CaptureAsync(GatewayContext context, CaptureRequest request, CancellationToken ct);
    Task<Result<GatewayPaymentState>> VoidAsync(GatewayContext context, VoidRequest request, CancellationToken ct);
}

/// <summary>Charges a payment method the customer saved (with consent) during an earlier checkout.</summary>
public interface IGatewaySavedMethods
{
    Task<Result<GatewayPaymentState>> ChargeSavedMethodAsync(GatewayContext context, SavedMethodCharge request, CancellationToken ct);
}

/// <summary>Asks the gateway what it knows about one of our attempts (reconciliation, lost notifications).</summary>
public interface IGatewayStateQuery
{
    Task<Result<GatewayPaymentState>> GetStateAsync(GatewayContext context, StateQuery query, CancellationToken ct);
}

/// <summary>Checks that the account's credentials work with a harmless real call.</summary>
public interface IGatewayCredentialsCheck
{
    Task<Result<string>> CheckCredentialsAsync(GatewayContext context, CancellationToken ct);
}

/// <summary>Issues a settlement ("closing") receipt for a prepaid order at handover (54-FZ).</summary>
public interface IGatewayClosingReceipts
{
    Task<Result<string>> SendClosingReceiptAsync(GatewayContext context, ClosingReceiptRequest request, CancellationToken ct);
}

/// <summary>
/// SBP (Faster Payments System) on our own pay page instead of the gateway's: a dynamic QR for this one
/// payment, and on a phone the bank list with a link straight into the chosen bank's app. Notifications,
/// state queries and refunds of an SBP payment go through the gateway's usual members.
/// </summary>
public interface IGatewaySbp
{
    /// <summary>Whether the account can take SBP at all (settings may switch it off). Called for the pay page choice.</summary>
    bool SbpEnabled(GatewayContext context) => true;

    /// <summary>
    /// SBP autopay: whether an SBP payment made with <see cref="CheckoutRequest.SaveMethod"/> binds the payer's bank account
    /// for later merchant-initiated charges. A gateway answering true also implements <see cref="IGatewaySavedMethods"/> and
    /// charges a <see cref="SavedMethodCharge"/> of <see cref="PayMethod.Sbp"/> from the bound account; it reports the binding
    /// either as the payment's <see cref="GatewayNotification.SavedMethod"/> (YooKassa) or, when binding is a separate request
    /// at the bank, through <see cref="SbpSession.BindingKey"/> and later <see cref="GatewayNotification.Binding"/> reports
    /// (notifications, or <see cref="IGatewayStateQuery"/> with <see cref="StateQuery.BindingKey"/>) (T-Bank).
    /// </summary>
    bool SbpAutopay(GatewayContext context) => false;

    /// <summary>Creates the payment and its SBP QR. Called once per attempt, like <see cref="IPaymentGateway.CreateCheckoutAsync"/>
    /// (same errors, same idempotency); the session lives until <see cref="CheckoutRequest.ExpiresAt"/>.</summary>
    Task<Result<SbpSession>> CreateSbpAsync(GatewayContext context, CheckoutRequest request, CancellationToken ct);

    /// <summary>The banks whose apps can pay this QR on a phone. Empty when the gateway has no list: the payload link
    /// itself then opens the SBP bank chooser.</summary>
    Task<Result<IReadOnlyList<SbpBank>>> ListSbpBanksAsync(GatewayContext context, CancellationToken ct);

    /// <summary>A deep link into <paramref name="bankId"/>'s app for the payment <paramref name="externalId"/> (a bank from
    /// <see cref="ListSbpBanksAsync"/>).</summary>
    Task<Result<string>> SbpBankLinkAsync(GatewayContext context, string externalId, string payload, string bankId, CancellationToken ct);
}

/// <summary>An SBP payment at the gateway: its id and the payload the QR encodes (an https link, usually
/// https://qr.nspk.ru/…), valid until <see cref="ExpiresAt"/>.</summary>
public sealed record SbpSession(string ExternalId, string Payload, DateTimeOffset ExpiresAt, string? BindingKey = null);

/// <summary>Where the binding of the payer's SBP account stands at the bank: waiting for the payer, active (chargeable), or
/// inactive (refused, or later deactivated by the payer in the bank's app or by the bank).</summary>
public enum SbpBindingStatus { Pending, Active, Inactive }

/// <summary>The gateway's report on an SBP account binding: its request key (<see cref="SbpSession.BindingKey"/>), status, and once
/// active the token charges use (T-Bank AccountToken) and the payer's bank name.</summary>
public sealed record SbpBinding(string Key, SbpBindingStatus Status, string? AccountToken, string? BankName, string? RawStatus = null);

/// <summary>A bank of the SBP list: the gateway's id for it, its name, optionally its logo URL.</summary>
public sealed record SbpBank(string Id, string Name, string? LogoUrl = null);

public sealed record GatewayContext(GatewayAccount Account, JsonObject Settings, string WebhookUrl);

public enum CaptureMode { Automatic, Manual }

/// <summary>What a checkout asks for. <see cref="Receipt"/> is set when the merchant issues 54-FZ
/// receipts; <see cref="SaveMethod"/> only with the customer's recorded consent.</summary>
public sealed record CheckoutRequest(
    string AttemptId, string LinkId, Money Amount, string Description, string ReturnUrl, DateTimeOffset ExpiresAt,
    string? CustomerEmail, string? CustomerPhone,
    FiscalReceipt? Receipt = null, CaptureMode Capture = CaptureMode.Automatic, bool SaveMethod = false,
    string? CustomerId = null, string? Locale = null);

public sealed record CheckoutSession(string ExternalId, string RedirectUrl);

/// <summary>A raw inbound HTTP request as a provider needs it to verify: headers, exact body bytes, peer address.</summary>
public sealed record InboundHttpRequest(IReadOnlyDictionary<string, string> Headers, byte[] Body, string? RemoteIp);

/// <summary>
/// What the gateway says happened to a payment. Failed/Pending carry no money; Authorized = held
/// (two-stage), Succeeded = captured, Voided = hold released, Refunded = (part of) the captured money
/// returned — <see cref="GatewayNotification.RefundedTotal"/> then says how much in total.
/// </summary>
public enum NotificationKind { Succeeded, Failed, Pending, Authorized, Voided, Refunded }

/// <summary>A verified notification. <see cref="Reference"/> is our attempt id as echoed by the gateway;
/// <see cref="Amount"/> the payment's amount as the gateway reports it (authorized or captured);
/// <see cref="SavedMethod"/> the reusable token when the customer agreed to save the method; <see cref="Method"/> how the
/// customer paid, when the gateway says (on its hosted page a customer may pick SBP instead of a card).</summary>
public sealed record GatewayNotification(
    string EventId, string Reference, string? ExternalPaymentId, NotificationKind Kind, Money? Amount, string? FailureReason = null,
    SavedMethodInfo? SavedMethod = null, long? RefundedTotal = null, long? CapturedAmount = null, PayMethod? Method = null,
    SbpBinding? Binding = null);

/// <summary>A saved payment method as the gateway identifies it (RebillId, payment_method.id, Stripe customer+method).</summary>
public sealed record SavedMethodInfo(string Token, string? Title);

/// <summary>The gateway's view of one payment, from a query or an operation's answer.</summary>
public sealed record GatewayPaymentState(
    string? ExternalPaymentId, NotificationKind Kind, Money? Amount, string? RawStatus, string? FailureReason = null,
    SavedMethodInfo? SavedMethod = null, long? RefundedTotal = null, long? CapturedAmount = null, PayMethod? Method = null,
    SbpBinding? Binding = null);

/// <summary><see cref="BindingKey"/>: set when the attempt started an SBP account binding; the answer then also carries
/// <see cref="GatewayPaymentState.Binding"/>.</summary>
public sealed record StateQuery(string AttemptId, string? ExternalId, Money Expected, string? BindingKey = null);

public enum GatewayRefundStatus { Succeeded, Pending }

public sealed record GatewayRefund(string ExternalRefundId, GatewayRefundStatus Status);

/// <summary><see cref="Captured"/> is what was captured for the payment; <see cref="AlreadyRefunded"/> what
/// earlier refunds returned (some gateways need the remaining total).</summary>
public sealed record RefundRequest(string RefundId, string ExternalPaymentId, Money Amount, Money Captured, long AlreadyRefunded,
    FiscalReceipt? Receipt, string? Reason);

public sealed record CaptureRequest(string OperationId, string ExternalPaymentId, Money Amount, Money Authorized, FiscalReceipt? Receipt);

public sealed record VoidRequest(string OperationId, string ExternalPaymentId, Money Authorized);

/// <summary>A merchant-initiated charge of a saved method; <see cref="Method"/> says whether the token is a card's (RebillId,
/// payment_method.id) or a bound SBP account's (T-Bank AccountToken, YooKassa payment_method.id of type sbp). A gateway that
/// learns the binding is gone answers the error code <see cref="MethodRevokedCode"/>, and the method is revoked.</summary>
public sealed record SavedMethodCharge(string AttemptId, string MethodToken, Money Amount, string Description, FiscalReceipt? Receipt,
    string? CustomerEmail, string? CustomerPhone, string CustomerId, PayMethod Method = PayMethod.Card)
{
    public const string MethodRevokedCode = "method_revoked";
}

public sealed record ClosingReceiptRequest(string OperationId, string ExternalPaymentId, FiscalReceipt Receipt);
