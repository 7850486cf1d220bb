using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Paylink.Core.Common;
using Paylink.Core.Payments;
using Paylink.Core.Providers;

namespace Paylink.Providers.Gateways.YooKassa;

/// <summary>
/// YooKassa API v3. Settings: <c>shopId</c>, <c>secretKey</c> (secret), optional <c>baseUrl</c>. Our ids go
/// into <c>metadata</c> and into every Idempotence-Key. Notifications are not signed: they are accepted only
/// from the configured networks, and the payment is always re-fetched — only the re-fetched object is trusted.
/// SBP on our own page: <c>payment_method_data.type = sbp</c> with a <c>qr</c> confirmation, whose
/// <c>confirmation_data</c> is the payload the QR encodes (on a phone the same link opens the SBP bank chooser).
/// </summary>
public sealed class YooKassaGateway(IHttpClientFactory http, IOptions<YooKassaOptions> options)
    : IPaymentGateway, IGatewayRefunds, IGatewayHolds, IGatewaySavedMethods, IGatewayStateQuery, IGatewayCredentialsCheck, IGatewayClosingReceipts,
      IGatewaySbp
{
    public const string AttemptKey = "paylink_attempt";
    public const string LinkKey = "paylink_link";

    public string Id => "yookassa";
    public bool RefundRetrySafe => true;
    public bool SupportsCurrency(string currency) => currency == "RUB";

    public Result<JsonObject> ValidateSettings(JsonObject settings)
    {
        var e = new ValidationErrors();
        GatewayHttp.RejectUnknown(settings, e, "YooKassa", "shopId", "secretKey", "baseUrl");
        var shop = GatewayHttp.Required(settings, "shopId", e, 20, "the shop's numeric id");
        if (shop is not null && !shop.All(char.IsAsciiDigit)) e.Add("settings.shopId", "shopId must be digits.");
        var key = GatewayHttp.Required(settings, "secretKey", e, 200, "live_… or test_…");
        var baseUrl = GatewayHttp.BaseUrl(settings, e);
        if (e.Any) return e.ToError();
        var o = new JsonObject { ["shopId"] = shop, ["secretKey"] = key };
        if (baseUrl is not null) o["baseUrl"] = baseUrl;
        return o;
    }

    public JsonObject MaskSettings(JsonObject s)
    {
        var o = new JsonObject { ["shopId"] = GatewayHttp.Setting(s, "shopId"), ["secretKey"] = Masking.Secret(GatewayHttp.Setting(s, "secretKey")) };
        if (s["baseUrl"] is not null) o["baseUrl"] = GatewayHttp.Setting(s, "baseUrl");
        return o;
    }

    private YooKassaApi Api(GatewayContext c) => new(http.CreateClient(YooKassaApi.ClientName),
        c.Settings["baseUrl"]?.GetValue<string>() ?? YooKassaApi.DefaultBaseUrl, GatewayHttp.Setting(c.Settings, "shopId"), GatewayHttp.Setting(c.Settings, "secretKey"));

    private static JsonObject Amount(Money m) => new() { ["value"] = MoneyFormat.Decimal(m.Minor), ["currency"] = m.Currency };

    private static JsonObject PaymentBody(CheckoutRequest r, JsonObject confirmation)
    {
        var body = new JsonObject
        {
            ["amount"] = Amount(r.Amount),
            ["capture"] = r.Capture == CaptureMode.Automatic,
            ["confirmation"] = confirmation,
            ["description"] = GatewayHttp.Truncate(r.Description, 128),
            ["metadata"] = new JsonObject { [AttemptKey] = r.AttemptId, [LinkKey] = r.LinkId },
        };
        if (r.SaveMethod) body["save_payment_method"] = true;
        if (r.CustomerId is not null) body["merchant_customer_id"] = r.CustomerId;
        if (r.Receipt is not null) body["receipt"] = YooKassaReceipt.ToJson(r.Receipt);
        return body;
    }

    /// <summary>An SBP payment (one-stage only: YooKassa cannot hold SBP money) with a QR confirmation. YooKassa keeps an SBP
    /// payment payable for an hour, so the session ends at the earlier of that and the request's expiry.</summary>
    public async Task<Result<SbpSession>> CreateSbpAsync(GatewayContext context, CheckoutRequest r, CancellationToken ct)
    {
        // SBP autopay: save_payment_method with the customer's consent binds the SBP account; the succeeded payment's
        // payment_method (type sbp, saved true) is then charged later with payment_method_id, like a card.
        var body = PaymentBody(r with { Capture = CaptureMode.Automatic, SaveMethod = r.SaveMethod && r.CustomerId is not null }, new JsonObject { ["type"] = "qr" });
        body["payment_method_data"] = new JsonObject { ["type"] = "sbp" };
        var created = await Api(context).SendAsync(HttpMethod.Post, "payments", body, r.AttemptId, ct);
        if (!created.IsSuccess) return created.Error!;
        var p = created.Value;
        var id = YooKassaApi.Str(p, "id");
        var payload = p.TryGetProperty("confirmation", out var conf) ? YooKassaApi.Str(conf, "confirmation_data") : null;
        if (id is null || string.IsNullOrEmpty(payload)) return Error.Unavailable("YooKassa created an SBP payment without id or confirmation.confirmation_data.");
        var expires = p.TryGetProperty("expires_at", out var ex) && ex.ValueKind == JsonValueKind.String && ex.TryGetDateTimeOffset(out var at) && at < r.ExpiresAt
            ? at : r.ExpiresAt;
        return new SbpSession(id, payload, expires);
    }

    /// <summary>The shop must have autopayments enabled by its YooKassa manager (off by default outside the test shop); without it
    /// YooKassa refuses save_payment_method and the SBP step is refused.</summary>
    public bool SbpAutopay(GatewayContext context) => true;

    /// <summary>YooKassa's API has no bank list for a payment: the payload link opens the SBP bank chooser on a phone.</summary>
    public Task<Result<IReadOnlyList<SbpBank>>> ListSbpBanksAsync(GatewayContext context, CancellationToken ct) =>
        Task.FromResult<Result<IReadOnlyList<SbpBank>>>(Array.Empty<SbpBank>());

    public Task<Result<string>> SbpBankLinkAsync(GatewayContext context, string externalId, string payload, string bankId, CancellationToken ct) =>
        Task.FromResult<Result<string>>(payload);

    public async Task<Result<CheckoutSession>> CreateCheckoutAsync(GatewayContext context, CheckoutRequest r, CancellationToken ct)
    {
        var body = PaymentBody(r, new JsonObject { ["type"] = "redirect", ["return_url"] = r.ReturnUrl });
        var created = await Api(context).SendAsync(HttpMethod.Post, "payments", body, r.AttemptId, ct);
        if (!created.IsSuccess) return created.Error!;
        var p = created.Value;
        var id = YooKassaApi.Str(p, "id");
        var url = p.TryGetProperty("confirmation", out var conf) ? YooKassaApi.Str(conf, "confirmation_url") : null;
        if (id is null || url is null) return Error.Unavailable("YooKassa created a payment without id or confirmation_url.");
        return new CheckoutSession(id, url);
    }

    public async Task<Result<GatewayNotification>> VerifyNotificationAsync(GatewayContext context, InboundHttpRequest request, CancellationToken ct)
    {
        if (!options.Value.IsAllowed(request.RemoteIp))
            return new Error(ErrorKind.Unauthorized, "address_not_allowed", $"YooKassa notification rejected: {request.RemoteIp ?? "unknown address"} is not in Gateways:YooKassa:AllowedNetworks.");
        string? evt, objectId;
        try
        {
            using var doc = JsonDocument.Parse(request.Body);
            evt = YooKassaApi.Str(doc.RootElement, "event");
            objectId = doc.RootElement.TryGetProperty("object", out var obj) ? YooKassaApi.Str(obj, "id") : null;
        }
        catch (JsonException) { return Error.Validation("body", "YooKassa notification is not valid JSON."); }
        if (evt is null || objectId is null) return Error.Validation("body", "YooKassa notification lacks event or object.id.");

        // Never trust the body: re-fetch the object with our credentials and use only that.
        var api = Api(context);
        var paymentId = objectId;
        if (evt.StartsWith("refund.", StringComparison.Ordinal))
        {
            var refund = await api.SendAsync(HttpMethod.Get, $"refunds/{Uri.EscapeDataString(objectId)}", null, null, ct);
            if (!refund.IsSuccess) return Refetch(refund.Error!);
            paymentId = YooKassaApi.Str(refund.Value, "payment_id");
            if (paymentId is null) return Error.Validation("body", "The refund YooKassa returned has no payment_id.");
        }
        else if (!evt.StartsWith("payment.", StringComparison.Ordinal))
        {
            return new GatewayNotification($"yookassa:{evt}:{objectId}", "", null, NotificationKind.Pending, null);
        }
        var fetched = await api.SendAsync(HttpMethod.Get, $"payments/{Uri.EscapeDataString(paymentId)}", null, null, ct);
        if (!fetched.IsSuccess) return Refetch(fetched.Error!);
        var state = Map(fetched.Value);
        var reference = fetched.Value.TryGetProperty("metadata", out var md) ? YooKassaApi.Str(md, AttemptKey) ?? "" : "";
        // The event id names what the re-fetched payment says, so a later, different state is a new event.
        var eventId = $"yookassa:{paymentId}:{state.RawStatus}:{state.RefundedTotal ?? 0}:{state.Amount?.Minor}";
        return new GatewayNotification(eventId, reference, paymentId, state.Kind, state.Amount, state.FailureReason, state.SavedMethod,
            state.RefundedTotal, state.CapturedAmount, state.Method);
    }

    private static Error Refetch(Error e) => e.Kind == ErrorKind.ProviderUnavailable ? e
        : new Error(ErrorKind.Unauthorized, "refetch_failed", "YooKassa notification rejected: the object could not be re-fetched (" + e.Message + ").");

    /// <summary>A YooKassa payment object → Paylink kind. A succeeded payment with refunded_amount &gt; 0 is reported as Refunded.</summary>
    internal static GatewayPaymentState Map(JsonElement p)
    {
        // A status that is not a token is not one of YooKassa's; it becomes "?" (Pending) and is never stored as is.
        var status = RemoteText.CodeOrMark(YooKassaApi.Str(p, "status"));
        var id = YooKassaApi.Str(p, "id");
        Money? amount = null;
        if (p.TryGetProperty("amount", out var a) && MoneyFormat.ParseDecimal(YooKassaApi.Str(a, "value")) is { } minor && YooKassaApi.Str(a, "currency") is { } cur)
            amount = new Money(minor, cur);
        SavedMethodInfo? saved = null;
        if (p.TryGetProperty("payment_method", out var pm) && pm.TryGetProperty("saved", out var sv) && sv.ValueKind == JsonValueKind.True
            && YooKassaApi.Str(pm, "id") is { } pmId)
            saved = new SavedMethodInfo(pmId, YooKassaApi.Str(pm, "title"));
        long? refunded = p.TryGetProperty("refunded_amount", out var ra) ? MoneyFormat.ParseDecimal(YooKassaApi.Str(ra, "value")) : null;
        PayMethod? method = YooKassaApi.Str(pm, "type") switch
        {
            null or "" => null,
            "bank_card" => PayMethod.Card,
            "sbp" => PayMethod.Sbp,
            _ => PayMethod.Other,
        };
        return status switch
        {
            "waiting_for_capture" => new(id, NotificationKind.Authorized, amount, status, SavedMethod: saved, Method: method),
            "succeeded" when refunded is > 0 => new(id, NotificationKind.Refunded, amount, status, RefundedTotal: refunded),
            "succeeded" => new(id, NotificationKind.Succeeded, amount, status, SavedMethod: saved, Method: method),
            "canceled" => new(id, NotificationKind.Voided, amount, status,
                p.TryGetProperty("cancellation_details", out var cd) ? $"YooKassa: {RemoteText.CodeOrMark(YooKassaApi.Str(cd, "party"))}/{RemoteText.CodeOrMark(YooKassaApi.Str(cd, "reason"))}" : "YooKassa: canceled"),
            _ => new(id, NotificationKind.Pending, null, status),
        };
    }

    public async Task<Result<GatewayPaymentState>> GetStateAsync(GatewayContext context, StateQuery q, CancellationToken ct)
    {
        if (q.ExternalId is null) return Error.Unavailable("No YooKassa payment id is known for this attempt (the create answer was lost).");
        var p = await Api(context).SendAsync(HttpMethod.Get, $"payments/{Uri.EscapeDataString(q.ExternalId)}", null, null, ct);
        return p.IsSuccess ? Map(p.Value) : p.Error!;
    }

    public async Task<Result<GatewayRefund>> RefundAsync(GatewayContext context, RefundRequest r, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["payment_id"] = r.ExternalPaymentId, ["amount"] = Amount(r.Amount),
            ["metadata"] = new JsonObject { ["paylink_refund"] = r.RefundId },
        };
        if (r.Reason is not null) body["description"] = GatewayHttp.Truncate(r.Reason, 250);
        if (r.Receipt is not null) body["receipt"] = YooKassaReceipt.ToJson(r.Receipt);
        var refund = await Api(context).SendAsync(HttpMethod.Post, "refunds", body, r.RefundId, ct);
        if (!refund.IsSuccess) return refund.Error!;
        var id = YooKassaApi.Str(refund.Value, "id") ?? r.RefundId;
        return YooKassaApi.Str(refund.Value, "status") switch
        {
            "succeeded" => new GatewayRefund(id, GatewayRefundStatus.Succeeded),
            "pending" => new GatewayRefund(id, GatewayRefundStatus.Pending),
            var s => Error.Declined($"YooKassa refund ended {RemoteText.CodeOrMark(s)}."),
        };
    }

    public async Task<Result<GatewayPaymentState>> CaptureAsync(GatewayContext context, CaptureRequest r, CancellationToken ct)
    {
        var body = new JsonObject { ["amount"] = Amount(r.Amount) };
        if (r.Receipt is not null) body["receipt"] = YooKassaReceipt.ToJson(r.Receipt);
        var p = await Api(context).SendAsync(HttpMethod.Post, $"payments/{Uri.EscapeDataString(r.ExternalPaymentId)}/capture", body, r.OperationId, ct);
        if (!p.IsSuccess) return p.Error!;
        var s = Map(p.Value);
        return s.Kind == NotificationKind.Succeeded ? s with { Amount = r.Authorized, CapturedAmount = s.Amount?.Minor ?? r.Amount.Minor } : s;
    }

    public async Task<Result<GatewayPaymentState>> VoidAsync(GatewayContext context, VoidRequest r, CancellationToken ct)
    {
        var p = await Api(context).SendAsync(HttpMethod.Post, $"payments/{Uri.EscapeDataString(r.ExternalPaymentId)}/cancel", new JsonObject(), r.OperationId, ct);
        return p.IsSuccess ? Map(p.Value) : p.Error!;
    }

    public async Task<Result<GatewayPaymentState>> ChargeSavedMethodAsync(GatewayContext context, SavedMethodCharge r, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["amount"] = Amount(r.Amount), ["capture"] = true, ["payment_method_id"] = r.MethodToken,
            ["description"] = GatewayHttp.Truncate(r.Description, 128),
            ["metadata"] = new JsonObject { [AttemptKey] = r.AttemptId },
            ["merchant_customer_id"] = r.CustomerId,
        };
        if (r.Receipt is not null) body["receipt"] = YooKassaReceipt.ToJson(r.Receipt);
        var p = await Api(context).SendAsync(HttpMethod.Post, "payments", body, r.AttemptId, ct);
        if (!p.IsSuccess) return p.Error!;
        var s = Map(p.Value);
        if (s.Kind != NotificationKind.Voided) return s;
        // permission_revoked: the payer withdrew the autopay permission (for SBP, in the bank's app): the method is gone.
        return s.FailureReason?.EndsWith("/permission_revoked", StringComparison.Ordinal) == true
            ? new Error(ErrorKind.ProviderDeclined, SavedMethodCharge.MethodRevokedCode, "YooKassa: the customer revoked the permission for autopayments (permission_revoked).")
            : Error.Declined(s.FailureReason ?? "YooKassa declined the charge.");
    }

    public async Task<Result<string>> CheckCredentialsAsync(GatewayContext context, CancellationToken ct)
    {
        var r = await Api(context).SendAsync(HttpMethod.Get, "payments?limit=1", null, null, ct);
        if (r.IsSuccess) return "YooKassa accepted the shop id and secret key.";
        if (r.Error!.Kind == ErrorKind.ProviderUnavailable) return r.Error;
        return new Error(ErrorKind.Validation, "credentials_rejected", "YooKassa rejected the credentials: " + r.Error.Message,
            new Dictionary<string, string[]> { ["settings"] = ["YooKassa rejected the shop id or secret key: " + r.Error.Message] });
    }

    /// <summary>Closing receipt ("чек зачёта предоплаты") via POST /v3/receipts with a prepayment settlement
    /// (endpoint per YooKassa's 54-FZ docs; exact settlement fields UNCONFIRMED in our stored sources).</summary>
    public async Task<Result<string>> SendClosingReceiptAsync(GatewayContext context, ClosingReceiptRequest r, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["type"] = "payment", ["payment_id"] = r.ExternalPaymentId, ["send"] = true,
            ["customer"] = YooKassaReceipt.Customer(r.Receipt), ["tax_system_code"] = YooKassaReceipt.TaxSystemCode(r.Receipt.TaxSystem),
            ["items"] = YooKassaReceipt.Items(r.Receipt, "RUB"),
            ["settlements"] = new JsonArray(new JsonObject { ["type"] = "prepayment", ["amount"] = Amount(new Money(r.Receipt.Total, "RUB")) }),
        };
        var sent = await Api(context).SendAsync(HttpMethod.Post, "receipts", body, r.OperationId, ct);
        return sent.IsSuccess ? YooKassaApi.Str(sent.Value, "id") ?? "sent" : sent.Error!;
    }
}
