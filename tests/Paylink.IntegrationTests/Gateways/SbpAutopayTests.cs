using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Customers;
using Paylink.Core.Data;
using Paylink.Core.Payments;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Gateways;

/// <summary>
/// SBP autopay: a recurring link (savePaymentMethod, consent checkbox) paid by SBP binds the payer's bank account with the same
/// recorded consent as a card, and later charges go through the same customer charges. Against the wire-level fakes of
/// T-Bank (pay-and-bind GetQr → RequestKey, the binding notification, GetAddAccountQrState, Init + ChargeQr) and YooKassa
/// (sbp + save_payment_method, payment_method_id charges, permission_revoked).
/// </summary>
public abstract class SbpAutopayTests<THost>(THost host) : WithBankFakes, IClassFixture<THost> where THost : GatewaysHost
{
    private async Task<(HttpClient Api, string AccountId)> MerchantAsync(string provider)
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var settings = provider == "tbank"
            ? $$"""{"terminalKey":"{{FakeTBank.TerminalKey}}","password":"{{FakeTBank.Password}}","baseUrl":"{{Bank.Url}}"}"""
            : $$"""{"shopId":"{{FakeYooKassa.ShopId}}","secretKey":"{{FakeYooKassa.SecretKey}}","baseUrl":"{{Kassa.Url}}"}""";
        var created = await (await api.PostJsonAsync("/api/v1/gateway-accounts",
            $$$"""{"provider":"{{{provider}}}","name":"{{{provider}}}","settings":{{{settings}}}}""")).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        (await api.PostJsonAsync("/api/v1/gateway-accounts/order", $$"""{"ids":["{{id}}"]}""")).EnsureSuccessStatusCode();
        return (api, id);
    }

    private static async Task<JsonElement> RecurringLinkAsync(HttpClient api) =>
        await (await api.PostJsonAsync("/api/v1/links",
            """{"amount":150000,"currency":"RUB","description":"Абонемент","customer":{"phone":"+79161234567"},"savePaymentMethod":true}"""))
            .ReadJsonAsync(HttpStatusCode.Created);

    private static string Path(JsonElement link) => new Uri(link.GetProperty("url").GetString()!).PathAndQuery;
    private static string Id(JsonElement link) => link.GetProperty("id").GetString()!;

    private Task<HttpResponseMessage> PaySbpAsync(JsonElement link, bool consent) =>
        host.Client().PostAsync(Path(link) + "/pay", new FormUrlEncodedContent(consent
            ? [new("method", "sbp"), new("consent", "on")]
            : [new KeyValuePair<string, string>("method", "sbp")]));

    private async Task<string> NotifyTBankAsync(string accountId, byte[] body)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/tbank/{accountId}") { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new("application/json");
        var resp = await host.Client().SendAsync(req);
        return await resp.Content.ReadAsStringAsync();
    }

    private async Task NotifyYooKassaAsync(string accountId, JsonObject payment)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/yookassa/{accountId}") { Content = new ByteArrayContent(FakeYooKassa.Notification("payment.succeeded", payment)) };
        req.Content.Headers.ContentType = new("application/json");
        req.Headers.Add(GatewaysHost.RemoteIpHeader, "185.71.76.10");
        Assert.Equal(HttpStatusCode.OK, (await host.Client().SendAsync(req)).StatusCode);
    }

    private async Task<JsonElement> GetLinkAsync(HttpClient api, string id) =>
        await (await api.GetAsync("/api/v1/links/" + id)).ReadJsonAsync(HttpStatusCode.OK);

    private async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> read)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private Task<List<SavedPaymentMethod>> MethodsOfLinkAsync(string linkId) =>
        DbAsync(db => db.SavedPaymentMethods.IgnoreQueryFilters().AsNoTracking().Where(m => m.SourceLinkId == linkId).ToListAsync());

    private static Task<HttpResponseMessage> ChargeAsync(HttpClient api, string customerId, long amount = 90000) =>
        api.PostJsonAsync($"/api/v1/customers/{customerId}/charges", $$"""{"amount":{{amount}},"currency":"RUB","description":"Абонемент, месяц"}""");

    private async Task ReconcileAsync(string merchantId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReconcilePayments>().RunAsync(merchantId, CancellationToken.None);
    }

    /// <summary>Pays the recurring link by SBP at T-Bank (the bank's test call + CONFIRMED notification); returns the binding's RequestKey.</summary>
    private async Task<string> TBankPayAndBindStartAsync(string account, JsonElement link)
    {
        var pay = await PaySbpAsync(link, consent: true);
        Assert.Equal(HttpStatusCode.SeeOther, pay.StatusCode);
        Assert.Equal(Path(link) + "/sbp", pay.Headers.Location!.AbsolutePath);
        var init = Bank.Calls("Init").Last();
        var paymentId = Bank.Calls("GetQr").Last()["PaymentId"]!.GetValue<string>();
        var requestKey = Bank.Payments[paymentId]["RequestKey"]!.GetValue<string>();
        Bank.Payments[paymentId]["Status"] = "CONFIRMED";
        Assert.Equal("OK", await NotifyTBankAsync(account, FakeTBank.Notification(init["OrderId"]!.GetValue<string>(), paymentId, "CONFIRMED", 150000, source: "qrsbp")));
        return requestKey;
    }

    [Fact]
    public async Task TBank_RecurringLinkPaidBySbp_BindingNotification_SavesSbpMethodWithConsent_ChargeQrPaysOnce()
    {
        var (api, account) = await MerchantAsync("tbank");
        var link = await RecurringLinkAsync(api);
        var page = await host.Client().GetStringAsync(Path(link));
        Assert.Contains("id=\"pay-sbp\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"consent\"", page, StringComparison.Ordinal);

        // No consent, no SBP payment (exactly as for a card).
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PaySbpAsync(link, consent: false)).StatusCode);
        Assert.Empty(Bank.Calls("Init"));

        var requestKey = await TBankPayAndBindStartAsync(account, link);
        var init = Assert.Single(Bank.Calls("Init"));
        Assert.Equal("Y", init["Recurrent"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(init["CustomerKey"]?.GetValue<string>()));
        var got = await GetLinkAsync(api, Id(link));
        Assert.Equal("paid", got.GetProperty("status").GetString());
        Assert.Equal("sbp", got.GetProperty("payments")[0].GetProperty("method").GetString());
        Assert.Empty(await MethodsOfLinkAsync(Id(link)));   // paid, but the bank has not bound the account yet

        var token = Bank.ActivateBinding(requestKey);
        Assert.Equal("OK", await NotifyTBankAsync(account, Bank.BindingNotification(requestKey)));
        Assert.Equal("OK", await NotifyTBankAsync(account, Bank.BindingNotification(requestKey)));   // redelivered: nothing new
        var method = Assert.Single(await MethodsOfLinkAsync(Id(link)));
        Assert.Equal(PayMethod.Sbp, method.Method);
        Assert.Equal(RecurringConsent.Version, method.ConsentVersion);
        Assert.Equal("pay_page", method.ConsentChannel);
        Assert.Equal("Сбербанк", method.Title);
        Assert.True(method.IsActive);
        Assert.DoesNotContain(token, method.ProtectedToken, StringComparison.Ordinal);   // encrypted at rest

        var listed = await (await api.GetAsync($"/api/v1/customers/{method.CustomerId}/payment-methods")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("sbp", listed.GetProperty("items")[0].GetProperty("method").GetString());

        var charge = await (await ChargeAsync(api, method.CustomerId)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("paid", charge.GetProperty("status").GetString());
        Assert.Equal("sbp", charge.GetProperty("payments")[0].GetProperty("method").GetString());
        var chargeInit = Bank.Calls("Init").Last();
        Assert.Equal("Y", chargeInit["Recurrent"]!.GetValue<string>());
        Assert.Equal("true", chargeInit["DATA"]!["QR"]!.GetValue<string>());
        var chargeQr = Assert.Single(Bank.Calls("ChargeQr"));
        Assert.Equal(token, chargeQr["AccountToken"]!.GetValue<string>());
        Assert.Empty(Bank.Calls("Charge"));   // the card method is not used for an SBP binding

        // The bank's CONFIRMED notification of the same charge changes nothing: one payment.
        var chargePaymentId = chargeQr["PaymentId"]!.GetValue<string>();
        Assert.Equal("OK", await NotifyTBankAsync(account, FakeTBank.Notification(chargeInit["OrderId"]!.GetValue<string>(), chargePaymentId, "CONFIRMED", 90000, source: "qrsbp")));
        var chargeId = charge.GetProperty("id").GetString()!;
        Assert.Equal(1, await DbAsync(db => db.Payments.IgnoreQueryFilters().CountAsync(p => p.LinkId == chargeId)));
        Assert.Equal(PayMethod.Sbp, await DbAsync(db => db.Payments.IgnoreQueryFilters().Where(p => p.LinkId == chargeId).Select(p => p.Method).SingleAsync()));
    }

    [Fact]
    public async Task TBank_ChargeQrPendingThenNotification_PaysOnce_RejectedChargeFails_BankDeactivates_ChargesStopWithReason()
    {
        var (api, account) = await MerchantAsync("tbank");
        var link = await RecurringLinkAsync(api);
        var requestKey = await TBankPayAndBindStartAsync(account, link);
        Bank.ActivateBinding(requestKey);
        await NotifyTBankAsync(account, Bank.BindingNotification(requestKey));
        var method = Assert.Single(await MethodsOfLinkAsync(Id(link)));

        // The bank takes the charge but answers before the payer's bank did: the notification brings the result, once.
        Bank.ChargeStatus = "AUTHORIZING";
        var pending = await (await ChargeAsync(api, method.CustomerId)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("open", pending.GetProperty("status").GetString());
        var init = Bank.Calls("Init").Last();
        var paymentId = Bank.Calls("ChargeQr").Last()["PaymentId"]!.GetValue<string>();
        var confirmed = FakeTBank.Notification(init["OrderId"]!.GetValue<string>(), paymentId, "CONFIRMED", 90000, source: "qrsbp");
        Assert.Equal("OK", await NotifyTBankAsync(account, confirmed));
        Assert.Equal("OK", await NotifyTBankAsync(account, confirmed));
        var pendingId = pending.GetProperty("id").GetString()!;
        Assert.Equal("paid", (await GetLinkAsync(api, pendingId)).GetProperty("status").GetString());
        Assert.Equal(1, await DbAsync(db => db.Payments.IgnoreQueryFilters().CountAsync(p => p.LinkId == pendingId)));

        // Rejected by the payer's bank: the charge fails like a card's, the link stays unpaid, the binding stays.
        Bank.ChargeStatus = "REJECTED";
        await (await ChargeAsync(api, method.CustomerId)).AssertProblemAsync(HttpStatusCode.PaymentRequired);
        var rejected = await DbAsync(db => db.PaymentAttempts.IgnoreQueryFilters().AsNoTracking().Where(a => a.SavedMethodId == method.Id)
            .OrderByDescending(a => a.Id).FirstAsync());
        Assert.Equal(AttemptStatus.Failed, rejected.Status);
        Assert.Equal(PayMethod.Sbp, rejected.Method);
        Assert.Equal("open", (await GetLinkAsync(api, rejected.LinkId)).GetProperty("status").GetString());
        Assert.True(Assert.Single(await MethodsOfLinkAsync(Id(link))).IsActive);

        // The payer switches autopay off in the bank app: the bank's notification revokes the method, charges stop with the reason.
        Bank.DeactivateBinding(requestKey);
        Assert.Equal("OK", await NotifyTBankAsync(account, Bank.BindingNotification(requestKey)));
        var revoked = Assert.Single(await MethodsOfLinkAsync(Id(link)));
        Assert.False(revoked.IsActive);
        Assert.Equal(SavedPaymentMethod.RevokedByBank, revoked.RevokedReason);
        var calls = Bank.Calls("ChargeQr").Count();
        var refused = await (await ChargeAsync(api, method.CustomerId)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("bank", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var byId = await (await api.PostJsonAsync($"/api/v1/customers/{method.CustomerId}/charges",
            $$"""{"amount":90000,"currency":"RUB","description":"x","paymentMethodId":"{{method.Id}}"}""")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("binding_revoked", byId.GetProperty("code").GetString());
        Assert.Equal(calls, Bank.Calls("ChargeQr").Count());
        var listed = await (await api.GetAsync($"/api/v1/customers/{method.CustomerId}/payment-methods")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("payer_bank", listed.GetProperty("items")[0].GetProperty("revokedReason").GetString());
    }

    [Fact]
    public async Task TBank_LostBindingNotification_ReconciliationPollsGetAddAccountQrState_SavesThenRevokes()
    {
        var (api, account) = await MerchantAsync("tbank");
        var link = await RecurringLinkAsync(api);
        var requestKey = await TBankPayAndBindStartAsync(account, link);
        var merchantId = await DbAsync(db => db.PaymentLinks.IgnoreQueryFilters().Where(l => l.Id == Id(link)).Select(l => l.MerchantId).SingleAsync());
        host.Clock.Advance(ReconcilePayments.MinAge + TimeSpan.FromMinutes(1));

        await ReconcileAsync(merchantId);   // the payer has not agreed yet: nothing saved
        Assert.NotEmpty(Bank.Calls("GetAddAccountQrState"));
        Assert.Empty(await MethodsOfLinkAsync(Id(link)));

        Bank.ActivateBinding(requestKey);
        await ReconcileAsync(merchantId);
        await ReconcileAsync(merchantId);
        var method = Assert.Single(await MethodsOfLinkAsync(Id(link)));
        Assert.Equal(PayMethod.Sbp, method.Method);
        Assert.True(method.IsActive);

        Bank.DeactivateBinding(requestKey);
        await ReconcileAsync(merchantId);
        Assert.Equal(SavedPaymentMethod.RevokedByBank, Assert.Single(await MethodsOfLinkAsync(Id(link))).RevokedReason);
        await (await ChargeAsync(api, method.CustomerId)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Empty(Bank.Calls("ChargeQr"));
    }

    [Fact]
    public async Task YooKassa_SbpWithSavePaymentMethod_SavedSbpCharged_PermissionRevokedStopsCharges_MerchantRevokeToo()
    {
        var (api, account) = await MerchantAsync("yookassa");
        var link = await RecurringLinkAsync(api);
        Assert.Contains("id=\"pay-sbp\"", await host.Client().GetStringAsync(Path(link)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, (await PaySbpAsync(link, consent: true)).StatusCode);
        var create = Assert.Single(Kassa.CallsTo("POST", "payments"));
        Assert.Equal("sbp", create.Body!["payment_method_data"]!["type"]!.GetValue<string>());
        Assert.True(create.Body["save_payment_method"]!.GetValue<bool>());
        var payment = Kassa.Succeed(Assert.Single(Kassa.Payments.Keys));
        await NotifyYooKassaAsync(account, payment);
        Assert.Equal("paid", (await GetLinkAsync(api, Id(link))).GetProperty("status").GetString());
        var method = Assert.Single(await MethodsOfLinkAsync(Id(link)));
        Assert.Equal(PayMethod.Sbp, method.Method);
        Assert.Equal(RecurringConsent.Version, method.ConsentVersion);

        var charge = await (await ChargeAsync(api, method.CustomerId)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("paid", charge.GetProperty("status").GetString());
        Assert.Equal("sbp", charge.GetProperty("payments")[0].GetProperty("method").GetString());
        var methodId = payment["payment_method"]!["id"]!.GetValue<string>();
        Assert.Equal(methodId, Kassa.CallsTo("POST", "payments").Last().Body!["payment_method_id"]!.GetValue<string>());

        // The payer withdrew the permission in the bank app: YooKassa cancels the charge with permission_revoked.
        Kassa.RevokePermission(methodId);
        var revoked = await (await ChargeAsync(api, method.CustomerId)).AssertProblemAsync(HttpStatusCode.PaymentRequired);
        Assert.Equal("method_revoked", revoked.GetProperty("code").GetString());
        Assert.Equal(SavedPaymentMethod.RevokedByBank, Assert.Single(await MethodsOfLinkAsync(Id(link))).RevokedReason);
        var creates = Kassa.CallsTo("POST", "payments").Count();
        var stopped = await (await ChargeAsync(api, method.CustomerId)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("no_saved_method", stopped.GetProperty("code").GetString());
        Assert.Contains("bank", stopped.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(creates, Kassa.CallsTo("POST", "payments").Count());

        // A second link bound by SBP, revoked by the merchant: the reason says so.
        var second = await RecurringLinkAsync(api);
        await PaySbpAsync(second, consent: true);
        await NotifyYooKassaAsync(account, Kassa.Succeed(Kassa.Payments.Values.Single(p => p["save_requested"] is not null && p["status"]!.GetValue<string>() == "pending")["id"]!.GetValue<string>()));
        var secondMethod = Assert.Single(await MethodsOfLinkAsync(Id(second)));
        (await api.DeleteAsync($"/api/v1/customers/{secondMethod.CustomerId}/payment-methods/{secondMethod.Id}")).EnsureSuccessStatusCode();
        var byId = await (await api.PostJsonAsync($"/api/v1/customers/{secondMethod.CustomerId}/charges",
            $$"""{"amount":90000,"currency":"RUB","description":"x","paymentMethodId":"{{secondMethod.Id}}"}""")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("consent_revoked", byId.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Sandbox_RecurringLinkPaidBySbp_BankAppBindsAccount_ChargeSucceedsOnce_MerchantRevokeStops()
    {
        var m = await host.NewMerchantAsync();   // the demo merchant's gateway is the sandbox
        var api = host.Client(m.ApiKey);
        var link = await RecurringLinkAsync(api);
        Assert.Contains("id=\"pay-sbp\"", await host.Client().GetStringAsync(Path(link)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, (await PaySbpAsync(link, consent: true)).StatusCode);
        var bank = await host.Client().GetAsync(Path(link) + "/sbp/bank/sandbox-a");
        var app = new Uri(bank.Headers.Location!.ToString());
        Assert.Contains("id=sandbox-autopay", await host.Client().GetStringAsync(app.PathAndQuery), StringComparison.Ordinal);
        var done = await host.Client().PostAsync($"/sandbox/checkout/{app.Segments.Last()}", new FormUrlEncodedContent([new("outcome", "success")]));
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        Assert.Equal("paid", (await GetLinkAsync(api, Id(link))).GetProperty("status").GetString());
        var method = Assert.Single(await MethodsOfLinkAsync(Id(link)));
        Assert.Equal(PayMethod.Sbp, method.Method);
        Assert.Equal(RecurringConsent.Version, method.ConsentVersion);

        var charge = await (await ChargeAsync(api, method.CustomerId)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("paid", charge.GetProperty("status").GetString());
        Assert.Equal("sbp", charge.GetProperty("payments")[0].GetProperty("method").GetString());
        var chargeId = charge.GetProperty("id").GetString()!;
        // The sandbox also notifies the charge (signed, like any payment): still one payment.
        Assert.Equal(1, await DbAsync(db => db.Payments.IgnoreQueryFilters().CountAsync(p => p.LinkId == chargeId)));
        Assert.Equal(1, await DbAsync(db => db.SandboxCheckouts.CountAsync(c => c.Reference == db.PaymentAttempts.IgnoreQueryFilters()
            .Where(a => a.LinkId == chargeId).Select(a => a.Id).First())));

        (await api.DeleteAsync($"/api/v1/customers/{method.CustomerId}/payment-methods/{method.Id}")).EnsureSuccessStatusCode();
        var stopped = await (await ChargeAsync(api, method.CustomerId)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("no_saved_method", stopped.GetProperty("code").GetString());
    }
}

public sealed class SbpAutopaySqliteTests(GatewaysSqliteHost host) : SbpAutopayTests<GatewaysSqliteHost>(host);
public sealed class SbpAutopayPostgresTests(GatewaysPostgresHost host) : SbpAutopayTests<GatewaysPostgresHost>(host);
