using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Payments;
using Paylink.Core.Providers;

namespace Paylink.Providers.Gateways.TBank;

/// <summary>
/// T-Bank (Tinkoff) Internet Acquiring v2. Settings: <c>terminalKey</c>, <c>password</c> (secret; only signs,
/// never sent), optional <c>baseUrl</c>. OrderId = our attempt id; notifications are verified by Token and
/// answered "OK". Manual capture sends PayType "T" (the terminal must allow two-stage payments); saving
/// the method sends Recurrent "Y" + CustomerKey and later charges go Init → Charge(RebillId). SBP on our own page is
/// Init → GetQr (PAYLOAD); on a phone GetQrBankList, then GetQr with the chosen BankId gives that bank's deep link.
/// SBP autopay: the first SBP payment is Init with Recurrent "Y" + CustomerKey, and GetQr then also answers the binding's
/// RequestKey; the bank reports the binding (AccountToken, status) by a notification carrying RequestKey, or we ask
/// GetAddAccountQrState; each later charge is Init (Recurrent "Y", DATA.QR "true") → ChargeQr(PaymentId, AccountToken).
/// Shapes beyond the request fields are UNCONFIRMED (docs/providers/tbank.md).
/// </summary>
public sealed class TBankGateway(IHttpClientFactory http, TimeProvider clock)
    : IPaymentGateway, IGatewayRefunds, IGatewayHolds, IGatewaySavedMethods, IGatewayStateQuery, IGatewayCredentialsCheck, IGatewayClosingReceipts,
      IGatewaySbp
{
    public string Id => "tbank";
    public string NotificationAck => "OK";
    public bool RefundRetrySafe => false;   // whether ExternalRequestId deduplicates Cancel is UNCONFIRMED

    public bool SupportsCurrency(string currency) => currency == "RUB";

    /// <summary>The terminal must have SBP autopay enabled by the bank; without it Init/GetQr answer an error and the
    /// customer sees the SBP step refused (UNCONFIRMED which code).</summary>
    public bool SbpAutopay(GatewayContext context) => true;

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
        var reply = await Api(context).CallAsync("Init", InitBody(context, r, sbp: false), retrySafe: false, ct);
        if (!reply.IsSuccess) return reply.Error!;
        var paymentId = reply.Value.Str("PaymentId");
        var url = reply.Value.Str("PaymentURL");
        if (paymentId is null || url is null) return Error.Unavailable("T-Bank Init answered without PaymentId/PaymentURL.");
        return new CheckoutSession(paymentId, url);
    }

    /// <summary>SBP needs at least 10 RUB (the bank's limit); the QR lives until the request's expiry (RedirectDueDate).</summary>
    public async Task<Result<SbpSession>> CreateSbpAsync(GatewayContext context, CheckoutRequest r, CancellationToken ct)
    {
        if (r.Amount.Currency != "RUB") return Error.Declined("T-Bank accepts RUB only.");
        if (r.Amount.Minor < 1000) return Error.Declined("T-Bank takes SBP payments from 10 RUB.");
        var api = Api(context);
        var body = InitBody(context, r, sbp: true);
        var init = await api.CallAsync("Init", body, retrySafe: false, ct);
        if (!init.IsSuccess) return init.Error!;
        var paymentId = init.Value.Str("PaymentId");
        if (paymentId is null) return Error.Unavailable("T-Bank Init answered without PaymentId.");
        // GetQr only registers the QR of an existing payment, so repeating it cannot pay twice.
        var qr = await api.CallAsync("GetQr", new JsonObject { ["PaymentId"] = paymentId, ["DataType"] = "PAYLOAD" }, retrySafe: true, ct);
        if (!qr.IsSuccess) return qr.Error!;
        var payload = qr.Value.Str("Data");
        if (string.IsNullOrEmpty(payload)) return Error.Unavailable("T-Bank GetQr answered without Data.");
        string? bindingKey = null;
        if (Binds(r))
        {
            // Without a RequestKey the payment would go through but nothing could be charged later: refuse instead.
            bindingKey = qr.Value.Str("RequestKey");
            if (string.IsNullOrEmpty(bindingKey) || bindingKey.Length > 100)
                return Error.Declined("T-Bank did not start the SBP account binding (no RequestKey): the terminal may not have SBP autopay enabled.");
        }
        return new SbpSession(paymentId, payload, Due(r.ExpiresAt), bindingKey);
    }

    /// <summary>GetQrBankList for a phone (ScenarioType qr). The answer's shape beyond the request is UNCONFIRMED in our sources:
    /// read as <c>Banks[]</c> of <c>{BankId, Name, Logo}</c> (docs/providers/tbank.md).</summary>
    public async Task<Result<IReadOnlyList<SbpBank>>> ListSbpBanksAsync(GatewayContext context, CancellationToken ct)
    {
        var reply = await Api(context).CallAsync("GetQrBankList",
            new JsonObject { ["ScenarioType"] = "qr", ["Device"] = new JsonObject { ["Type"] = "mobile" } }, retrySafe: true, ct);
        if (!reply.IsSuccess) return reply.Error!;
        var banks = new List<SbpBank>();
        if (reply.Value.Body.TryGetProperty("Banks", out var list) && list.ValueKind == JsonValueKind.Array)
            foreach (var b in list.EnumerateArray())
            {
                var bank = new TBankApi.Reply(b);
                if (bank.Str("BankId") is { Length: > 0 and <= 100 } id && bank.Str("Name") is { Length: > 0 } name)
                    banks.Add(new SbpBank(id, GatewayHttp.Truncate(name, 100), bank.Str("Logo") is { } logo && logo.StartsWith("https://", StringComparison.Ordinal) ? logo : null));
            }
        return banks;
    }

    /// <summary>GetQr with the BankId: Data is then the bank's deep link instead of the payload.</summary>
    public async Task<Result<string>> SbpBankLinkAsync(GatewayContext context, string externalId, string payload, string bankId, CancellationToken ct)
    {
        var reply = await Api(context).CallAsync("GetQr", new JsonObject { ["PaymentId"] = externalId, ["DataType"] = "PAYLOAD", ["BankId"] = bankId },
            retrySafe: true, ct);
        if (!reply.IsSuccess) return reply.Error!;
        return reply.Value.Str("Data") is { Length: > 0 } link ? link : Error.Unavailable("T-Bank GetQr answered without Data.");
    }

    /// <summary>RedirectDueDate: the bank takes now+1 min … now+90 days; 2 minutes leave room for the clock and the call.</summary>
    private DateTimeOffset Due(DateTimeOffset expiresAt)
    {
        var now = clock.GetUtcNow();
        return expiresAt < now.AddMinutes(2) ? now.AddMinutes(2) : expiresAt > now.AddDays(90) ? now.AddDays(90) : expiresAt;
    }

    private JsonObject InitBody(GatewayContext context, CheckoutRequest r, bool sbp)
    {
        var due = Due(r.ExpiresAt);
        var body = new JsonObject
        {
            ["Amount"] = r.Amount.Minor, ["OrderId"] = r.AttemptId, ["Description"] = GatewayHttp.Truncate(r.Description, 140),
            ["NotificationURL"] = context.WebhookUrl, ["SuccessURL"] = r.ReturnUrl, ["FailURL"] = r.ReturnUrl,
            ["RedirectDueDate"] = due.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture),
        };
        if (r.Capture == CaptureMode.Manual && !sbp) body["PayType"] = "T";
        var data = new JsonObject();
        if (r.SaveMethod && r.CustomerId is not null && !sbp)
        {
            body["Recurrent"] = "Y";
            body["CustomerKey"] = r.CustomerId;
            data["OperationInitiatorType"] = "1";
        }
        else if (sbp && Binds(r))
        {
            // SBP autopay during the first payment: the payer's bank app asks to pay and to bind the account in one step.
            body["Recurrent"] = "Y";
            body["CustomerKey"] = r.CustomerId;
        }
        if (r.CustomerEmail is not null) data["Email"] = r.CustomerEmail;
        if (r.CustomerPhone is not null) data["Phone"] = r.CustomerPhone;
        if (data.Count > 0) body["DATA"] = data;
        if (r.Receipt is not null) body["Receipt"] = TBankReceipt.ToJson(r.Receipt);
        return body;
    }

    private static bool Binds(CheckoutRequest r) => r.SaveMethod && r.CustomerId is not null;

    /// <summary>GetAddAccountQrState / binding notification status → ours: ACTIVE chargeable; INACTIVE (refused, or ended by the payer
    /// or the bank) revokes; anything else (NEW, PROCESSING, …) is still pending. The status set is UNCONFIRMED beyond ACTIVE/INACTIVE.</summary>
    internal static SbpBinding Binding(string key, TBankApi.Reply r)
    {
        var status = RemoteText.CodeOrMark(r.Str("Status") ?? "");
        var token = r.Str("AccountToken");
        var kind = status switch
        {
            "ACTIVE" when !string.IsNullOrEmpty(token) => SbpBindingStatus.Active,
            "INACTIVE" => SbpBindingStatus.Inactive,
            _ => SbpBindingStatus.Pending,
        };
        var bank = r.Str("BankMemberName") is { Length: > 0 } name ? GatewayHttp.Truncate(name, 100) : null;
        return new SbpBinding(key, kind, kind == SbpBindingStatus.Active ? token : null, bank, status);
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
        var requestKey = n.Str("RequestKey");
        if (!string.IsNullOrEmpty(requestKey) && (string.IsNullOrEmpty(n.Str("PaymentId")) || n.Str("NotificationType") == "LINKACCOUNT"))
        {
            // The account-binding notification (SBP autopay): no payment in it, only the binding's state.
            var b = Binding(requestKey, n);
            return Task.FromResult<Result<GatewayNotification>>(new GatewayNotification($"tbank:bind:{requestKey}:{b.RawStatus}", "", null,
                NotificationKind.Pending, null, Binding: b));
        }
        var status = n.Str("Status") ?? "";
        var paymentId = n.Str("PaymentId");
        var amount = n.Long("Amount");
        var state = Map(status, paymentId, amount, amount, n);
        var eventId = $"tbank:{paymentId}:{status}:{amount}";
        // A payment notification that also names the binding (UNCONFIRMED whether the bank sends one) carries it along.
        var alsoBinding = !string.IsNullOrEmpty(requestKey) && !string.IsNullOrEmpty(n.Str("AccountToken")) ? Binding(requestKey, n) : null;
        return Task.FromResult<Result<GatewayNotification>>(new GatewayNotification(eventId, n.Str("OrderId") ?? "", paymentId, state.Kind, state.Amount,
            state.FailureReason, state.SavedMethod, state.RefundedTotal, state.CapturedAmount, state.Method, alsoBinding));
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
        var method = Method(body);
        SavedMethodInfo? saved = body?.Str("RebillId") is { Length: > 0 } rebill ? new SavedMethodInfo(rebill, body.Str("Pan")) : null;
        return status switch
        {
            "AUTHORIZED" => new(paymentId, NotificationKind.Authorized, money, status, SavedMethod: saved, Method: method),
            "CONFIRMED" => new(paymentId, NotificationKind.Succeeded, money, status, SavedMethod: saved, Method: method),
            "REVERSED" => new(paymentId, NotificationKind.Voided, money, status),
            "REFUNDED" => new(paymentId, NotificationKind.Refunded, fullAmount is { } f ? new Money(f, "RUB") : null, status, RefundedTotal: fullAmount),
            "REJECTED" or "AUTH_FAIL" or "CANCELED" or "DEADLINE_EXPIRED" or "ATTEMPTS_EXPIRED" =>
                new(paymentId, NotificationKind.Failed, null, status, $"T-Bank status {status}{(body?.Str("ErrorCode") is { } c && c != "0" ? $" (error {RemoteText.CodeOrMark(c)}: {TBankApi.Meaning(c)})" : "")}"),
            _ => new(paymentId, NotificationKind.Pending, null, status),
        };
    }

    /// <summary>How the buyer paid, from the notification's <c>Data.Source</c> or GetState's <c>Params</c> (Key "Source"):
    /// <c>qrsbp</c> is SBP, <c>cards</c> a card, anything else (T-Pay, SberPay, installments…) other; null when not said.</summary>
    internal static PayMethod? Method(TBankApi.Reply? body)
    {
        if (body is null) return null;
        string? source = null;
        foreach (var name in new[] { "Data", "DATA" })
            if (body.Body.TryGetProperty(name, out var d) && d.ValueKind == JsonValueKind.Object) source ??= new TBankApi.Reply(d).Str("Source");
        if (source is null && body.Body.TryGetProperty("Params", out var ps) && ps.ValueKind == JsonValueKind.Array)
            foreach (var p in ps.EnumerateArray())
                if (p.ValueKind == JsonValueKind.Object && new TBankApi.Reply(p) is var kv && kv.Str("Key") == "Source") source = kv.Str("Value");
        return source switch
        {
            null or "" => null,
            "qrsbp" => PayMethod.Sbp,
            "cards" => PayMethod.Card,
            _ => PayMethod.Other,
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
        var state = Map(reply.Value.Str("Status") ?? "", reply.Value.Str("PaymentId") ?? paymentId, reply.Value.Long("Amount"), q.Expected.Minor, reply.Value);
        if (q.BindingKey is null) return state;
        var binding = await api.CallAsync("GetAddAccountQrState", new JsonObject { ["RequestKey"] = q.BindingKey }, retrySafe: true, ct);
        if (!binding.IsSuccess) return binding.Error!;
        return state with { Binding = Binding(q.BindingKey, binding.Value) };
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

    /// <summary>Card: Init without redirect (merchant-initiated, OperationInitiatorType R), then Charge with the RebillId.
    /// SBP autopay: Init with Recurrent "Y" and DATA.QR "true", then ChargeQr with the AccountToken (the bank's documented order).</summary>
    public async Task<Result<GatewayPaymentState>> ChargeSavedMethodAsync(GatewayContext context, SavedMethodCharge r, CancellationToken ct)
    {
        var api = Api(context);
        var sbp = r.Method == PayMethod.Sbp;
        var init = new JsonObject
        {
            ["Amount"] = r.Amount.Minor, ["OrderId"] = r.AttemptId, ["Description"] = GatewayHttp.Truncate(r.Description, 140),
            ["NotificationURL"] = context.WebhookUrl,
            ["DATA"] = sbp ? new JsonObject { ["QR"] = "true" } : new JsonObject { ["OperationInitiatorType"] = "R" },
        };
        if (sbp) init["Recurrent"] = "Y";
        if (r.Receipt is not null) init["Receipt"] = TBankReceipt.ToJson(r.Receipt);
        var created = await api.CallAsync("Init", init, retrySafe: false, ct);
        if (!created.IsSuccess) return created.Error!;
        var paymentId = created.Value.Str("PaymentId");
        if (paymentId is null) return Error.Unavailable("T-Bank Init answered without PaymentId.");
        var charged = sbp
            ? await api.CallAsync("ChargeQr", new JsonObject { ["PaymentId"] = paymentId, ["AccountToken"] = r.MethodToken }, retrySafe: false, ct)
            : await api.CallAsync("Charge", new JsonObject { ["PaymentId"] = paymentId, ["RebillId"] = r.MethodToken }, retrySafe: false, ct);
        if (!charged.IsSuccess) return charged.Error!;
        var status = charged.Value.Str("Status") ?? "";
        if (status == "REJECTED")
            return Error.Declined(sbp ? "T-Bank rejected the SBP autopay charge." : "T-Bank rejected the charge of the saved card.");
        var state = Map(status, paymentId, charged.Value.Long("Amount") ?? r.Amount.Minor, r.Amount.Minor, charged.Value);
        return sbp ? state with { Method = PayMethod.Sbp } : state;
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
