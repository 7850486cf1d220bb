using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Common;
using Paylink.Core.Providers;

namespace Paylink.Providers.Gateways.Sandbox;

/// <summary>
/// Adapter for the sandbox acquirer (<see cref="SandboxAcquirer"/>). Speaks to it as to a real bank:
/// creates a checkout, and accepts only notifications whose HMAC signature and timestamp verify.
/// Settings: <c>secret</c> (signing secret, generated when absent). Refunds of a paid checkout succeed at once
/// (the acquirer checks the checkout was paid and the amount fits what it took). SBP: the same checkout, shown
/// through its SBP payload as a QR on the pay page; its own three demo banks stand for the bank list. Autopay (card or SBP):
/// a checkout made with <see cref="CheckoutRequest.SaveMethod"/> binds the payer's sandbox account when paid, the notification
/// carries its token, and merchant-initiated charges of that token succeed at once (and are notified like any payment).
/// </summary>
public sealed class SandboxGateway(IServiceScopeFactory scopes, TimeProvider clock) : IPaymentGateway, IGatewayRefunds, IGatewaySbp, IGatewaySavedMethods
{
    public bool SbpAutopay(GatewayContext context) => true;

    public async Task<Result<GatewayPaymentState>> ChargeSavedMethodAsync(GatewayContext context, SavedMethodCharge request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var acquirer = scope.ServiceProvider.GetRequiredService<SandboxAcquirer>();
        var charge = await acquirer.ChargeBoundAccountAsync(context.Account.Id, request.MethodToken, request.Amount, request.Description,
            request.AttemptId, context.WebhookUrl, ct);
        if (charge is null)
            return new Error(ErrorKind.ProviderDeclined, SavedMethodCharge.MethodRevokedCode, "The sandbox has no account bound under this token.");
        return new GatewayPaymentState(charge.Id, NotificationKind.Succeeded, new Money(charge.AmountMinor, charge.Currency), "succeeded",
            Method: request.Method);
    }

    /// <summary>The sandbox's SBP members (its own, like a real acquirer's list).</summary>
    public static readonly IReadOnlyList<SbpBank> SbpBanks =
        [new("sandbox-a", "Песочница Банк"), new("sandbox-b", "Тестовый Банк"), new("sandbox-c", "Демо Банк")];

    public string Id => "sandbox";

    public Result<JsonObject> ValidateSettings(JsonObject settings)
    {
        var errors = new ValidationErrors();
        foreach (var (key, _) in settings)
            if (key is not ("secret" or "baseUrl")) errors.Add($"settings.{key}", $"Unknown setting '{key}'. Sandbox takes: secret.");
        string? secret = null;
        if (settings["secret"] is { } s)
        {
            if (s.GetValueKind() != JsonValueKind.String || (secret = s.GetValue<string>()).Length < 16)
                errors.Add("settings.secret", "secret must be a string of at least 16 characters.");
        }
        if (errors.Any) return errors.ToError();
        return new JsonObject { ["secret"] = secret ?? Ids.NewSecret() };
    }

    public JsonObject MaskSettings(JsonObject settings) =>
        new() { ["secret"] = Masking.Secret(settings["secret"]?.GetValue<string>()) };

    public async Task<Result<CheckoutSession>> CreateCheckoutAsync(GatewayContext context, CheckoutRequest request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var acquirer = scope.ServiceProvider.GetRequiredService<SandboxAcquirer>();
        var checkout = await acquirer.CreateCheckoutAsync(context.Account.Id, request.Amount, request.Description,
            request.AttemptId, context.WebhookUrl, request.ReturnUrl, ct, bindsAccount: request.SaveMethod);
        return new CheckoutSession(checkout.Id, acquirer.CheckoutUrl(checkout.Id));
    }

    public async Task<Result<SbpSession>> CreateSbpAsync(GatewayContext context, CheckoutRequest request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var acquirer = scope.ServiceProvider.GetRequiredService<SandboxAcquirer>();
        var checkout = await acquirer.CreateCheckoutAsync(context.Account.Id, request.Amount, request.Description,
            request.AttemptId, context.WebhookUrl, request.ReturnUrl, ct, bindsAccount: request.SaveMethod);
        return new SbpSession(checkout.Id, acquirer.SbpPayload(checkout.Id), request.ExpiresAt);
    }

    public Task<Result<IReadOnlyList<SbpBank>>> ListSbpBanksAsync(GatewayContext context, CancellationToken ct) =>
        Task.FromResult<Result<IReadOnlyList<SbpBank>>>(Result<IReadOnlyList<SbpBank>>.Ok(SbpBanks));

    /// <summary>The "bank app" link: the payload with the bank named, so the sandbox page says which app it pretends to be.</summary>
    public Task<Result<string>> SbpBankLinkAsync(GatewayContext context, string externalId, string payload, string bankId, CancellationToken ct) =>
        Task.FromResult<Result<string>>(SbpBanks.Any(b => b.Id == bankId) ? payload + "?bank=" + Uri.EscapeDataString(bankId) : Error.NotFound("Bank"));

    /// <summary>The sandbox refunds at once; the external id is derived from our refund id, so a repeat is the same refund.</summary>
    public bool RefundRetrySafe => true;

    public async Task<Result<GatewayRefund>> RefundAsync(GatewayContext context, RefundRequest request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var checkout = await scope.ServiceProvider.GetRequiredService<SandboxAcquirer>().FindAsync(request.ExternalPaymentId, ct);
        if (checkout is null || checkout.AccountId != context.Account.Id)
            return Error.NotFound($"Sandbox checkout '{request.ExternalPaymentId}'");
        if (checkout.Status != Core.Payments.SandboxCheckoutStatus.Succeeded)
            return Error.Conflict("not_paid", "The sandbox checkout was not paid; there is nothing to refund.");
        if (request.Amount.Currency != checkout.Currency || request.Amount.Minor <= 0 || request.AlreadyRefunded + request.Amount.Minor > checkout.AmountMinor)
            return Error.Validation("amount", $"The sandbox took {checkout.AmountMinor} {checkout.Currency}; {request.AlreadyRefunded} is refunded already.");
        return new GatewayRefund("sbr_" + request.RefundId, GatewayRefundStatus.Succeeded);
    }

    public Task<Result<GatewayNotification>> VerifyNotificationAsync(GatewayContext context, InboundHttpRequest request, CancellationToken ct)
    {
        var secret = context.Settings["secret"]?.GetValue<string>() ?? "";
        request.Headers.TryGetValue(SandboxSignature.Header, out var header);
        var problem = SandboxSignature.Verify(secret, header, request.Body, clock.GetUtcNow());
        if (problem is not null)
            return Task.FromResult<Result<GatewayNotification>>(new Error(ErrorKind.Unauthorized, "invalid_signature", "Sandbox notification rejected: " + problem + "."));
        SandboxNotification? n;
        try { n = JsonSerializer.Deserialize<SandboxNotification>(request.Body, SandboxNotification.Json); }
        catch (JsonException ex) { return Task.FromResult<Result<GatewayNotification>>(Error.Validation("body", "Sandbox notification is not valid JSON: " + ex.Message)); }
        if (n is null || string.IsNullOrEmpty(n.Id) || n.Checkout is null || string.IsNullOrEmpty(n.Checkout.Reference))
            return Task.FromResult<Result<GatewayNotification>>(Error.Validation("body", "Sandbox notification lacks id or checkout.reference."));
        var kind = n.Type switch
        {
            SandboxNotification.Succeeded => NotificationKind.Succeeded,
            SandboxNotification.Declined => NotificationKind.Failed,
            _ => NotificationKind.Pending,
        };
        var amount = Currencies.IsSupported(n.Checkout.Currency) ? new Money(n.Checkout.Amount, n.Checkout.Currency!) : (Money?)null;
        return Task.FromResult<Result<GatewayNotification>>(new GatewayNotification(n.Id, n.Checkout.Reference, n.Checkout.Id, kind, amount,
            kind == NotificationKind.Failed ? "declined by the sandbox acquirer" : null,
            SavedMethod: kind == NotificationKind.Succeeded && n.Checkout.AccountToken is { Length: > 0 and <= 100 } token
                ? new SavedMethodInfo(token, "Песочница Банк") : null));
    }
}

/// <summary>The sandbox acquirer's notification body.</summary>
public sealed record SandboxNotification(string Id, string Type, DateTimeOffset Created, SandboxNotification.CheckoutInfo Checkout)
{
    public const string Succeeded = "checkout.succeeded";
    public const string Declined = "checkout.declined";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary><see cref="AccountToken"/>: the bound account's token when the checkout bound one (autopay).</summary>
    public sealed record CheckoutInfo(string Id, string Reference, long Amount, string? Currency, string Status, string? AccountToken = null);
}
