using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Providers;
using Stripe;
using Stripe.Checkout;

namespace Paylink.Providers.Gateways.Stripe;

/// <summary>
/// Stripe through Stripe.net (its types stay in this folder). Settings: <c>secretKey</c>, <c>webhookSecret</c>,
/// optional <c>baseUrl</c>. Checkout Session with price_data in the link's currency, our ids in metadata and
/// client_reference_id, expires_at within Stripe's 30 min–24 h window; webhook signatures checked by the SDK
/// with our clock; the PaymentIntent is re-fetched to learn held/captured amounts and the saved method.
/// Stripe does not fiscalise 54-FZ receipts.
/// </summary>
public sealed class StripeGateway(IHttpClientFactory http, TimeProvider clock)
    : IPaymentGateway, IGatewayRefunds, IGatewayHolds, IGatewaySavedMethods, IGatewayStateQuery, IGatewayCredentialsCheck
{
    public const string ClientName = "stripe";
    public const string AttemptKey = "paylink_attempt";
    public const long ToleranceSeconds = 300;

    public string Id => "stripe";
    public bool RefundRetrySafe => true;

    public Result<JsonObject> ValidateSettings(JsonObject settings)
    {
        var e = new ValidationErrors();
        GatewayHttp.RejectUnknown(settings, e, "Stripe", "secretKey", "webhookSecret", "baseUrl");
        var key = GatewayHttp.Required(settings, "secretKey", e, 300, "sk_live_… or sk_test_…");
        if (key is not null && !(key.StartsWith("sk_", StringComparison.Ordinal) || key.StartsWith("rk_", StringComparison.Ordinal)))
            e.Add("settings.secretKey", "secretKey must be a secret (sk_…) or restricted (rk_…) key.");
        var whsec = GatewayHttp.Required(settings, "webhookSecret", e, 300, "whsec_… from the webhook endpoint");
        if (whsec is not null && !whsec.StartsWith("whsec_", StringComparison.Ordinal)) e.Add("settings.webhookSecret", "webhookSecret must start with whsec_.");
        var baseUrl = GatewayHttp.BaseUrl(settings, e);
        if (e.Any) return e.ToError();
        var o = new JsonObject { ["secretKey"] = key, ["webhookSecret"] = whsec };
        if (baseUrl is not null) o["baseUrl"] = baseUrl;
        return o;
    }

    public JsonObject MaskSettings(JsonObject s)
    {
        var o = new JsonObject
        {
            ["secretKey"] = Masking.Secret(GatewayHttp.Setting(s, "secretKey")), ["webhookSecret"] = Masking.Secret(GatewayHttp.Setting(s, "webhookSecret")),
        };
        if (s["baseUrl"] is not null) o["baseUrl"] = GatewayHttp.Setting(s, "baseUrl");
        return o;
    }

    /// <summary>The SDK on our resilient HttpClient; the SDK's own retries are off so there is one retry policy.</summary>
    private StripeClient Client(GatewayContext c) => new(GatewayHttp.Setting(c.Settings, "secretKey"),
        httpClient: new SystemNetHttpClient(http.CreateClient(ClientName), maxNetworkRetries: 0),
        apiBase: c.Settings["baseUrl"]?.GetValue<string>()?.TrimEnd('/'));

    private static RequestOptions Key(string key) => new() { IdempotencyKey = key };

    public async Task<Result<CheckoutSession>> CreateCheckoutAsync(GatewayContext context, CheckoutRequest r, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expires = r.ExpiresAt < now.AddMinutes(31) ? now.AddMinutes(31) : r.ExpiresAt > now.AddHours(23.9) ? now.AddHours(23.9) : r.ExpiresAt;
        var currency = r.Amount.Currency.ToLowerInvariant();
        var metadata = new Dictionary<string, string> { [AttemptKey] = r.AttemptId, ["paylink_link"] = r.LinkId };
        var options = new SessionCreateOptions
        {
            Mode = "payment",
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = currency, UnitAmount = r.Amount.Minor,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = GatewayHttp.Truncate(r.Description, 250) },
                    },
                },
            ],
            SuccessUrl = r.ReturnUrl,
            CancelUrl = r.ReturnUrl,
            ClientReferenceId = r.AttemptId,
            Metadata = metadata,
            ExpiresAt = expires.UtcDateTime,
            CustomerEmail = r.CustomerEmail,
            PaymentIntentData = new SessionPaymentIntentDataOptions
            {
                Metadata = metadata,
                CaptureMethod = r.Capture == CaptureMode.Manual ? "manual" : "automatic",
                SetupFutureUsage = r.SaveMethod ? "off_session" : null,
            },
            CustomerCreation = r.SaveMethod ? "always" : null,
        };
        return await CallAsync(async () =>
        {
            var s = await new SessionService(Client(context)).CreateAsync(options, Key(r.AttemptId), ct);
            return new CheckoutSession(s.Id, s.Url);
        });
    }

    public async Task<Result<GatewayNotification>> VerifyNotificationAsync(GatewayContext context, InboundHttpRequest request, CancellationToken ct)
    {
        var json = Encoding.UTF8.GetString(request.Body);
        request.Headers.TryGetValue("Stripe-Signature", out var header);
        Event e;
        try
        {
            e = EventUtility.ConstructEvent(json, header ?? "", GatewayHttp.Setting(context.Settings, "webhookSecret"), ToleranceSeconds,
                clock.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException ex)
        {
            return new Error(ErrorKind.Unauthorized, "invalid_signature", "Stripe notification rejected: " + ex.Message);
        }
        catch (Exception ex) when (ex is Newtonsoft.Json.JsonException or System.Text.Json.JsonException or FormatException
            or ArgumentException or InvalidOperationException or InvalidCastException or NullReferenceException)
        {
            // The signature matched but the body is not an event Stripe.net can read: the sender's bug, not ours.
            return Error.Validation("body", "Stripe notification is not a valid event.");
        }
        if (string.IsNullOrEmpty(e?.Id) || e.Data is null) return Error.Validation("body", "Stripe notification is not a valid event (id and data are required).");

        string? reference = null, piId = null;
        switch (e.Data.Object)
        {
            case Session s:
                reference = s.ClientReferenceId ?? s.Metadata?.GetValueOrDefault(AttemptKey);
                piId = s.PaymentIntentId;
                if (e.Type is EventTypes.CheckoutSessionExpired or EventTypes.CheckoutSessionAsyncPaymentFailed || piId is null)
                    return new GatewayNotification(e.Id, reference ?? "", null,
                        e.Type == EventTypes.CheckoutSessionExpired || e.Type == EventTypes.CheckoutSessionAsyncPaymentFailed ? NotificationKind.Failed : NotificationKind.Pending,
                        null, $"Stripe {e.Type}");
                break;
            case PaymentIntent pi:
                reference = pi.Metadata?.GetValueOrDefault(AttemptKey);
                piId = pi.Id;
                break;
            case Charge ch:
                piId = ch.PaymentIntentId;
                break;
            default:
                return new GatewayNotification(e.Id, "", null, NotificationKind.Pending, null);
        }
        if (piId is null) return new GatewayNotification(e.Id, reference ?? "", null, NotificationKind.Pending, null);
        // Re-fetch the PaymentIntent: it says whether the money is held or captured, how much, and what was saved.
        var state = await FetchAsync(context, piId, ct);
        if (!state.IsSuccess) return state.Error!;
        var st = state.Value.State;
        return new GatewayNotification(e.Id, reference ?? state.Value.Reference ?? "", piId, st.Kind, st.Amount, st.FailureReason, st.SavedMethod,
            st.RefundedTotal, st.CapturedAmount);
    }

    private async Task<Result<(GatewayPaymentState State, string? Reference)>> FetchAsync(GatewayContext context, string piId, CancellationToken ct) =>
        await CallAsync(async () =>
        {
            var pi = await new PaymentIntentService(Client(context)).GetAsync(piId, new PaymentIntentGetOptions { Expand = ["latest_charge"] }, null, ct);
            return (Map(pi), pi.Metadata?.GetValueOrDefault(AttemptKey));
        });

    internal static GatewayPaymentState Map(PaymentIntent pi)
    {
        var amount = new Money(pi.Amount, pi.Currency.ToUpperInvariant());
        var refunded = pi.LatestCharge?.AmountRefunded ?? 0;
        SavedMethodInfo? saved = pi.SetupFutureUsage == "off_session" && pi.CustomerId is not null && pi.PaymentMethodId is not null
            ? new SavedMethodInfo($"{pi.CustomerId}|{pi.PaymentMethodId}", null) : null;
        return pi.Status switch
        {
            "requires_capture" => new(pi.Id, NotificationKind.Authorized, amount, pi.Status, SavedMethod: saved),
            "succeeded" when refunded > 0 => new(pi.Id, NotificationKind.Refunded, amount, pi.Status, RefundedTotal: refunded),
            "succeeded" => new(pi.Id, NotificationKind.Succeeded, amount, pi.Status, SavedMethod: saved,
                CapturedAmount: pi.AmountReceived > 0 && pi.AmountReceived < pi.Amount ? pi.AmountReceived : null),
            "canceled" => new(pi.Id, NotificationKind.Voided, amount, pi.Status, "Stripe: canceled"),
            _ => new(pi.Id, NotificationKind.Pending, null, pi.Status),
        };
    }

    public async Task<Result<GatewayPaymentState>> GetStateAsync(GatewayContext context, StateQuery q, CancellationToken ct)
    {
        if (q.ExternalId is null) return Error.Unavailable("No Stripe id is known for this attempt.");
        var piId = q.ExternalId;
        if (piId.StartsWith("cs_", StringComparison.Ordinal))
        {
            var session = await CallAsync(() => new SessionService(Client(context)).GetAsync(q.ExternalId, null, null, ct));
            if (!session.IsSuccess) return session.Error!;
            if (session.Value.PaymentIntentId is null)
                return new GatewayPaymentState(null, session.Value.Status == "expired" ? NotificationKind.Failed : NotificationKind.Pending, null,
                    session.Value.Status, session.Value.Status == "expired" ? "Stripe: session expired" : null);
            piId = session.Value.PaymentIntentId;
        }
        var state = await FetchAsync(context, piId, ct);
        return state.IsSuccess ? state.Value.State : state.Error!;
    }

    public async Task<Result<GatewayRefund>> RefundAsync(GatewayContext context, RefundRequest r, CancellationToken ct) =>
        await CallAsync<GatewayRefund>(async () =>
        {
            var refund = await new RefundService(Client(context)).CreateAsync(new RefundCreateOptions
            {
                PaymentIntent = r.ExternalPaymentId, Amount = r.Amount.Minor, Reason = "requested_by_customer",
                Metadata = new Dictionary<string, string> { ["paylink_refund"] = r.RefundId },
            }, Key(r.RefundId), ct);
            return refund.Status switch
            {
                "succeeded" => new GatewayRefund(refund.Id, GatewayRefundStatus.Succeeded),
                "pending" or "requires_action" => new GatewayRefund(refund.Id, GatewayRefundStatus.Pending),
                _ => throw new RefundRefused($"Stripe refund ended {RemoteText.CodeOrMark(refund.Status)}"
                    + (RemoteText.Code(refund.FailureReason) is { } why ? $" ({why})." : ".")),
            };
        });

    public async Task<Result<GatewayPaymentState>> CaptureAsync(GatewayContext context, CaptureRequest r, CancellationToken ct) =>
        await CallAsync(async () =>
        {
            var pi = await new PaymentIntentService(Client(context)).CaptureAsync(r.ExternalPaymentId,
                new PaymentIntentCaptureOptions { AmountToCapture = r.Amount.Minor }, Key(r.OperationId), ct);
            var s = Map(pi);
            return s.Kind == NotificationKind.Succeeded ? s with { CapturedAmount = pi.AmountReceived > 0 ? pi.AmountReceived : r.Amount.Minor } : s;
        });

    public async Task<Result<GatewayPaymentState>> VoidAsync(GatewayContext context, VoidRequest r, CancellationToken ct) =>
        await CallAsync(async () => Map(await new PaymentIntentService(Client(context)).CancelAsync(r.ExternalPaymentId, null, Key(r.OperationId), ct)));

    /// <summary>Off-session charge of the saved card (customer|payment method), confirmed at once.</summary>
    public async Task<Result<GatewayPaymentState>> ChargeSavedMethodAsync(GatewayContext context, SavedMethodCharge r, CancellationToken ct)
    {
        var parts = r.MethodToken.Split('|');
        if (parts.Length != 2) return Error.Declined("The saved Stripe method is malformed.");
        return await CallAsync(async () =>
        {
            var pi = await new PaymentIntentService(Client(context)).CreateAsync(new PaymentIntentCreateOptions
            {
                Amount = r.Amount.Minor, Currency = r.Amount.Currency.ToLowerInvariant(), Customer = parts[0], PaymentMethod = parts[1],
                OffSession = true, Confirm = true, Description = GatewayHttp.Truncate(r.Description, 250),
                Metadata = new Dictionary<string, string> { [AttemptKey] = r.AttemptId },
            }, Key(r.AttemptId), ct);
            return Map(pi);
        });
    }

    public async Task<Result<string>> CheckCredentialsAsync(GatewayContext context, CancellationToken ct)
    {
        var r = await CallAsync(async () => (await new BalanceService(Client(context)).GetAsync(null, ct)).Livemode ? "live" : "test");
        if (r.IsSuccess) return $"Stripe accepted the secret key ({r.Value} mode).";
        if (r.Error!.Kind == ErrorKind.ProviderUnavailable) return r.Error;
        return new Error(ErrorKind.Validation, "credentials_rejected", "Stripe rejected the secret key: " + r.Error.Message,
            new Dictionary<string, string[]> { ["settings.secretKey"] = ["Stripe rejected the secret key: " + r.Error.Message] });
    }

    private sealed class RefundRefused(string message) : Exception(message);

    /// <summary>Stripe errors → Paylink errors: 5xx, 429 and network failures are "unavailable" (fail over, retry),
    /// other API errors (card declined, invalid request, bad key) are refusals.</summary>
    private static async Task<Result<T>> CallAsync<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        catch (StripeException ex) when (ex.HttpStatusCode is { } s && GatewayHttp.IsUnavailable(s) || ex.InnerException is { } inner && GatewayHttp.IsUnavailable(inner))
        {
            return Error.Unavailable($"Stripe is unavailable ({StripeCode(ex)}).");
        }
        catch (StripeException ex)
        {
            return Error.Declined($"Stripe refused the request ({StripeCode(ex)}){(ex.HttpStatusCode == HttpStatusCode.Unauthorized ? "; check the secret key" : "")}.");
        }
        catch (RefundRefused ex)
        {
            return Error.Declined(ex.Message);
        }
        catch (Exception ex) when (GatewayHttp.IsUnavailable(ex))
        {
            return Error.Unavailable($"Stripe did not answer: {ex.GetType().Name}.");
        }
    }

    /// <summary>What of a Stripe error may be quoted: its code, decline code and type tokens, else the HTTP status.
    /// Stripe's (or an impostor's) message is remote free text and never reaches the merchant (<see cref="RemoteText"/>).</summary>
    internal static string StripeCode(StripeException ex)
    {
        var tokens = new[] { ex.StripeError?.Code, ex.StripeError?.DeclineCode, ex.StripeError?.Type }
            .Select(RemoteText.Code).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (ex.HttpStatusCode is { } status && (int)status > 0) tokens.Add($"HTTP {(int)status}");
        return tokens.Count > 0 ? string.Join(", ", tokens) : "no error code";
    }
}
