using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Providers;

namespace Paylink.Providers.Gateways.TBank;

/// <summary>
/// T-Bank (Tinkoff) Internet Acquiring v2. Settings: <c>terminalKey</c>, <c>password</c> (secret; only signs,
/// never sent), optional <c>baseUrl</c>. OrderId = our attempt id; notifications are verified by Token and
/// answered "OK". Manual capture sends PayType "T" (the terminal must allow two-stage payments); saving
/// the method sends Recurrent "Y" + CustomerKey and later charges go Init → Charge(RebillId).
/// </summary>
public sealed class TBankGateway(IHttpClientFactory http, TimeProvider clock)
    : IPaymentGateway, IGatewayRefunds, IGatewayHolds, IGatewaySavedMethods, IGatewayStateQuery, IGatewayCredentialsCheck, IGatewayClosingReceipts
{
    public string Id => "tbank";
    public string NotificationAck => "OK";
    public bool RefundRetrySafe => false;   // whether ExternalRequestId deduplicates Cancel is UNCONFIRMED

    public bool SupportsCurrency(string currency) => currency == "RUB";

    public Result<JsonObject> ValidateSettings(JsonObject settings)
    {
        var e = new ValidationErrors();
        GatewayHttp.RejectUnknown(settings, e, "T-Bank", "terminalKey", "password", "baseUrl");
        var key = GatewayHttp.Required(settings, "terminalKey", e, 20, "from the merchant cabinet, ≤20 characters");
        var password = GatewayHttp.Required(settings, "password", e, 100, "the terminal password from the merchant cabinet");
        var baseUrl = GatewayHttp.BaseUrl(settings, e);
        if (e.Any) return e.ToError();
        var o = new JsonObject { ["terminalKey"] = key, ["password"] = password };
        if (baseUrl is not null) o["baseUrl"] = baseUrl;
        return o;
    }

    public JsonObject MaskSettings(JsonObject s)
    {
        var o = new JsonObject { ["terminalKey"] = GatewayHttp.Setting(s, "terminalKey"), ["password"] = Masking.Secret(GatewayHttp.Setting(s, "password")) };
        if (s["baseUrl"] is not null) o["baseUrl"] = GatewayHttp.Setting(s, "baseUrl");
        return o;
    }

    private TBankApi Api(GatewayContext c) => new(http.CreateClient(TBankApi.ClientName),
        c.Settings["baseUrl"]?.GetValue<string>() ?? TBankApi.DefaultBaseUrl, GatewayHttp.Setting(c.Settings, "terminalKey"), GatewayHttp.Setting(c.Settings, "password"));

    public async Task<Result<CheckoutSession>> CreateCheckoutAsync(GatewayContext context, CheckoutRequest r, CancellationToken ct)
    {
        if (r.Amount.Currency != "RUB") return Error.Declined("T-Bank accepts RUB only.");
        var now = clock.GetUtcNow();
        var due = r.ExpiresAt < now.AddMinutes(2) ? now.AddMinutes(2) : r.ExpiresAt > now.AddDays(90) ? now.AddDays(90) : r.ExpiresAt;
        var body = new JsonObject
        {
            ["Amount"] = r.Amount.Minor, ["OrderId"] = r.AttemptId, ["Description"] = GatewayHttp.Truncate(r.Description, 140),
            ["NotificationURL"] = context.WebhookUrl, ["SuccessURL"] = r.ReturnUrl, ["FailURL"] = r.ReturnUrl,
            ["RedirectDueDate"] = due.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture),
        };
        if (r.Capture == CaptureMode.Manual) body["PayType"] = "T";
        var data = new JsonObject();
        if (r.SaveMethod && r.CustomerId is not null)
        {
            body["Recurrent"] = "Y";
            body["CustomerKey"] = r.CustomerId;
            data["OperationInitiatorType"] = "1";
        }
        if (r.CustomerEmail is not null) data["Email"] = r.CustomerEmail;
        if (r.CustomerPhone is not null) data["Phone"] = r.CustomerPhone;
        if (data.Count > 0) body["DATA"] = data;
        if (r.Receipt is not null) body["Receipt"] = TBankReceipt.ToJson(r.Receipt);
        var reply = await Api(context).CallAsync("Init", body, retrySafe: false, ct);
        if (!reply.IsSuccess) return reply.Error!;
        var paymentId = reply.Value.Str("PaymentId");
        var url = reply.Value.Str("PaymentURL");
        if (paymentId is null || url is null) return Error.Unavailable("T-Bank Init answered without PaymentId/PaymentURL.");
        return new CheckoutSession(paymentId, url);
    }

    public Task<Result<GatewayNotification>> VerifyNotificationAsync(GatewayContext context, InboundHttpRequest request, CancellationToken ct)
    {
        JsonElement root;
        try { root = JsonDocument.Parse(request.Body).RootElement.Clone(); }
        catch (JsonException) { return Task.FromResult<Result<GatewayNotification>>(Error.Validation("body", "T-Bank notification is not valid JSON.")); }
        if (root.ValueKind != JsonValueKind.Object)
            return Task.FromResult<Result<GatewayNotification>>(Error.Validation("body", "T-Bank notification must be a JSON object."));
        if (!TBankToken.Verify(root, GatewayHttp.Setting(context.Settings, "password")))
            return Task.FromResult<Result<GatewayNotification>>(new Error(ErrorKind.Unauthorized, "invalid_token", "T-Bank notification rejected: Token does not match."));
        var n = new TBankApi.Reply(root);
        if (n.Str("TerminalKey") != GatewayHttp.Setting(context.Settings, "terminalKey"))
            return Task.FromResult<Result<GatewayNotification>>(new Error(ErrorKind.Unauthorized, "wrong_terminal", "T-Bank notification is for another terminal."));
        var status = n.Str("Status") ?? "";
        var paymentId = n.Str("PaymentId");
        var amount = n.Long("Amount");
        var state = Map(status, paymentId, amount, amount, n);
        var eventId = $"tbank:{paymentId}:{status}:{amount}";
        return Task.FromResult<Result<GatewayNotification>>(new GatewayNotification(eventId, n.Str("OrderId") ?? "", paymentId, state.Kind, state.Amount,
            state.FailureReason, state.SavedMethod, state.RefundedTotal, state.CapturedAmount));
    }

    /// <summary>
    /// T-Bank status → Paylink kind. REFUNDED means everything was returned, so the refunded total is the
    /// payment's amount (<paramref name="fullAmount"/>). PARTIAL_REFUNDED carries no reliable total (what
    /// Amount means then is UNCONFIRMED): it is reported Pending, and our own refunds are settled from
    /// Cancel's synchronous answer.
    /// </summary>
    internal static GatewayPaymentState Map(string status, string? paymentId, long? amount, long? fullAmount, TBankApi.Reply? body)
    {
        status = RemoteText.CodeOrMark(status);   // the raw status is stored and shown: tokens only
        var money = amount is { } a ? new Money(a, "RUB") : (Money?)null;
        SavedMethodInfo? saved = body?.Str("RebillId") is { Length: > 0 } rebill ? new SavedMethodInfo(rebill, body.Str("Pan")) : null;
        return status switch
        {
            "AUTHORIZED" => new(paymentId, NotificationKind.Authorized, money, status, SavedMethod: saved),
            "CONFIRMED" => new(paymentId, NotificationKind.Succeeded, money, status, SavedMethod: saved),
            "REVERSED" => new(paymentId, NotificationKind.Voided, money, status),
            "REFUNDED" => new(paymentId, NotificationKind.Refunded, fullAmount is { } f ? new Money(f, "RUB") : null, status, RefundedTotal: fullAmount),
            "REJECTED" or "AUTH_FAIL" or "CANCELED" or "DEADLINE_EXPIRED" or "ATTEMPTS_EXPIRED" =>
                new(paymentId, NotificationKind.Failed, null, status, $"T-Bank status {status}{(body?.Str("ErrorCode") is { } c && c != "0" ? $" (error {RemoteText.CodeOrMark(c)}: {TBankApi.Meaning(c)})" : "")}"),
            _ => new(paymentId, NotificationKind.Pending, null, status),
        };
    }

    public async Task<Result<GatewayPaymentState>> GetStateAsync(GatewayContext context, StateQuery q, CancellationToken ct)
    {
        var api = Api(context);
        var paymentId = q.ExternalId;
        if (paymentId is null)
        {
            // The Init answer was lost: CheckOrder finds the bank's payments by our OrderId.
            var order = await api.CallAsync("CheckOrder", new JsonObject { ["OrderId"] = q.AttemptId }, retrySafe: true, ct);
            if (!order.IsSuccess) return order.Error!;
            if (!order.Value.Body.TryGetProperty("Payments", out var list) || list.GetArrayLength() == 0)
                return new GatewayPaymentState(null, NotificationKind.Pending, null, "NOT_FOUND");
            var last = new TBankApi.Reply(list[list.GetArrayLength() - 1]);
            return Map(last.Str("Status") ?? "", last.Str("PaymentId"), last.Long("Amount"), q.Expected.Minor, last);
        }
        var reply = await api.CallAsync("GetState", new JsonObject { ["PaymentId"] = paymentId }, retrySafe: true, ct);
        if (!reply.IsSuccess) return reply.Error!;
        return Map(reply.Value.Str("Status") ?? "", reply.Value.Str("PaymentId") ?? paymentId, reply.Value.Long("Amount"), q.Expected.Minor, reply.Value);
    }

    public async Task<Result<GatewayRefund>> RefundAsync(GatewayContext context, RefundRequest r, CancellationToken ct)
    {
        var body = new JsonObject { ["PaymentId"] = r.ExternalPaymentId, ["Amount"] = r.Amount.Minor, ["ExternalRequestId"] = r.RefundId };
        if (r.Receipt is not null) body["Receipt"] = TBankReceipt.ToJson(r.Receipt);
        var reply = await Api(context).CallAsync("Cancel", body, retrySafe: false, ct);
        if (!reply.IsSuccess) return reply.Error!;
        var status = reply.Value.Str("Status");
        return status switch
        {
            "REFUNDED" or "PARTIAL_REFUNDED" => new GatewayRefund(r.RefundId, GatewayRefundStatus.Succeeded),
            "REFUNDING" or "ASYNC_REFUNDING" => new GatewayRefund(r.RefundId, GatewayRefundStatus.Pending),
            _ => Error.Declined($"T-Bank Cancel ended in status {RemoteText.CodeOrMark(status)}."),
        };
    }

    public async Task<Result<GatewayPaymentState>> CaptureAsync(GatewayContext context, CaptureRequest r, CancellationToken ct)
    {
        var body = new JsonObject { ["PaymentId"] = r.ExternalPaymentId, ["Amount"] = r.Amount.Minor };
        if (r.Receipt is not null) body["Receipt"] = TBankReceipt.ToJson(r.Receipt);   // the Confirm receipt wins over Init's
        var reply = await Api(context).CallAsync("Confirm", body, retrySafe: false, ct);
        if (!reply.IsSuccess) return reply.Error!;
        var status = reply.Value.Str("Status") ?? "";
        return status == "CONFIRMED"
            ? new GatewayPaymentState(r.ExternalPaymentId, NotificationKind.Succeeded, r.Authorized, status, CapturedAmount: r.Amount.Minor)
            : new GatewayPaymentState(r.ExternalPaymentId, NotificationKind.Pending, null, status);
    }

    public async Task<Result<GatewayPaymentState>> VoidAsync(GatewayContext context, VoidRequest r, CancellationToken ct)
    {
        var reply = await Api(context).CallAsync("Cancel", new JsonObject { ["PaymentId"] = r.ExternalPaymentId, ["ExternalRequestId"] = r.OperationId }, retrySafe: false, ct);
        if (!reply.IsSuccess) return reply.Error!;
        var status = reply.Value.Str("Status") ?? "";
        return status == "REVERSED"
            ? new GatewayPaymentState(r.ExternalPaymentId, NotificationKind.Voided, r.Authorized, status)
            : new GatewayPaymentState(r.ExternalPaymentId, NotificationKind.Pending, null, status);
    }

    /// <summary>Init without redirect (merchant-initiated, OperationInitiatorType R), then Charge with the RebillId.</summary>
    public async Task<Result<GatewayPaymentState>> ChargeSavedMethodAsync(GatewayContext context, SavedMethodCharge r, CancellationToken ct)
    {
        var api = Api(context);
        var init = new JsonObject
        {
            ["Amount"] = r.Amount.Minor, ["OrderId"] = r.AttemptId, ["Description"] = GatewayHttp.Truncate(r.Description, 140),
            ["NotificationURL"] = context.WebhookUrl, ["DATA"] = new JsonObject { ["OperationInitiatorType"] = "R" },
        };
        if (r.Receipt is not null) init["Receipt"] = TBankReceipt.ToJson(r.Receipt);
        var created = await api.CallAsync("Init", init, retrySafe: false, ct);
        if (!created.IsSuccess) return created.Error!;
        var paymentId = created.Value.Str("PaymentId");
        if (paymentId is null) return Error.Unavailable("T-Bank Init answered without PaymentId.");
        var charged = await api.CallAsync("Charge", new JsonObject { ["PaymentId"] = paymentId, ["RebillId"] = r.MethodToken }, retrySafe: false, ct);
        if (!charged.IsSuccess) return charged.Error!;
        var status = charged.Value.Str("Status") ?? "";
        if (status == "REJECTED") return Error.Declined("T-Bank rejected the charge of the saved card.");
        return Map(status, paymentId, charged.Value.Long("Amount") ?? r.Amount.Minor, r.Amount.Minor, charged.Value);
    }

    public async Task<Result<string>> CheckCredentialsAsync(GatewayContext context, CancellationToken ct)
    {
        // GetState of a payment that does not exist: a token or terminal error means bad credentials;
        // "payment not found" means the bank accepted our signature.
        var raw = await Api(context).CallRawAsync("GetState", new JsonObject { ["PaymentId"] = "1" }, retrySafe: true, ct);
        if (!raw.IsSuccess) return raw.Error!;
        var reply = raw.Value;
        if (reply.Success && reply.ErrorCode is "0" or "") return "T-Bank accepted the terminal key and password.";
        // The bank's Message is read only to classify ("Терминал не найден" under an undocumented code); it is never quoted.
        if (TBankApi.IsCredentialsCode(reply.ErrorCode) || (reply.Str("Message") ?? "").Contains("ерминал", StringComparison.Ordinal))
        {
            var why = "T-Bank rejected the terminal key or password: " + reply.Describe();
            return new Error(ErrorKind.Validation, "credentials_rejected", why, new Dictionary<string, string[]> { ["settings"] = [why] });
        }
        return "T-Bank accepted the terminal key and password (" + reply.Describe() + ").";
    }

    /// <summary>Closing receipt through T-Bank's cash-register API (<c>/cashbox/SendClosingReceipt</c>, path from the
    /// bank's spec; body shape UNCONFIRMED beyond TerminalKey, PaymentId, Receipt, Token).</summary>
    public async Task<Result<string>> SendClosingReceiptAsync(GatewayContext context, ClosingReceiptRequest r, CancellationToken ct)
    {
        var baseUrl = context.Settings["baseUrl"]?.GetValue<string>() ?? TBankApi.DefaultBaseUrl;
        var api = new TBankApi(http.CreateClient(TBankApi.ClientName), new Uri(new Uri(baseUrl), "../cashbox/").ToString(),
            GatewayHttp.Setting(context.Settings, "terminalKey"), GatewayHttp.Setting(context.Settings, "password"));
        var reply = await api.CallAsync("SendClosingReceipt", new JsonObject { ["PaymentId"] = r.ExternalPaymentId, ["Receipt"] = TBankReceipt.ToJson(r.Receipt) }, retrySafe: false, ct);
        return reply.IsSuccess ? "sent" : reply.Error!;
    }
}
