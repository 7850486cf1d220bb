using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Payments;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Gateways;

/// <summary>SBP on our own pay page, against the wire-level fakes of T-Bank (Init → GetQr, GetQrBankList, SbpPayTest,
/// ASYNC_REFUNDING refunds) and YooKassa (sbp + qr confirmation), and the sandbox acquirer.</summary>
public abstract class SbpFlowTests<THost>(THost host) : WithBankFakes, IClassFixture<THost> where THost : GatewaysHost
{
    private async Task<(HttpClient Api, string AccountId)> TBankMerchantAsync()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var settings = $$"""{"terminalKey":"{{FakeTBank.TerminalKey}}","password":"{{FakeTBank.Password}}","baseUrl":"{{Bank.Url}}"}""";
        var created = await (await api.PostJsonAsync("/api/v1/gateway-accounts",
            $$$"""{"provider":"tbank","name":"Т-Банк","settings":{{{settings}}}}""")).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        (await api.PostJsonAsync("/api/v1/gateway-accounts/order", $$"""{"ids":["{{id}}"]}""")).EnsureSuccessStatusCode();
        return (api, id);
    }

    private static async Task<JsonElement> LinkAsync(HttpClient api, long amount = 150000, string extra = "") =>
        await (await api.PostJsonAsync("/api/v1/links", $$"""{"amount":{{amount}},"currency":"RUB","description":"Стрижка","customer":{"phone":"+79161234567"}{{extra}}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);

    private static string Path(JsonElement link) => new Uri(link.GetProperty("url").GetString()!).PathAndQuery;

    private Task<HttpResponseMessage> PayAsync(JsonElement link, string method) =>
        host.Client().PostAsync(Path(link) + "/pay", new FormUrlEncodedContent([new("method", method)]));

    private Task<HttpResponseMessage> NotifyTBankAsync(string accountId, byte[] body)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/tbank/{accountId}") { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new("application/json");
        return host.Client().SendAsync(req);
    }

    private static async Task<JsonElement> GetAsync(HttpClient api, JsonElement link) =>
        await (await api.GetAsync("/api/v1/links/" + link.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);

    /// <summary>The bank's test call for a DEMO terminal, as a merchant's developer makes it (signed like every call).</summary>
    private async Task SbpPayTestAsync(string paymentId, bool rejected = false, bool expired = false)
    {
        var body = new JsonObject { ["TerminalKey"] = FakeTBank.TerminalKey, ["PaymentId"] = paymentId };
        if (rejected) body["IsRejected"] = true;
        if (expired) body["IsDeadlineExpired"] = true;
        body["Token"] = Paylink.Providers.Gateways.TBank.TBankToken.Compute(body, FakeTBank.Password);
        using var http = new HttpClient();
        var answer = await (await http.PostAsync(Bank.Url + "SbpPayTest", HttpAssert.Json(body.ToJsonString()))).Content.ReadAsStringAsync();
        Assert.Contains("\"Success\":true", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TBank_SbpQr_PayTestConfirmed_PageTurnsPaid_MethodStored_AsyncPartialRefund()
    {
        var (api, account) = await TBankMerchantAsync();
        var link = await LinkAsync(api);
        var page = await host.Client().GetStringAsync(Path(link));
        Assert.Contains("id=\"pay-sbp\"", page, StringComparison.Ordinal);
        Assert.Contains("Оплатить через СБП", page, StringComparison.Ordinal);

        var pay = await PayAsync(link, "sbp");
        Assert.Equal(HttpStatusCode.SeeOther, pay.StatusCode);
        Assert.Equal(Path(link) + "/sbp", pay.Headers.Location!.AbsolutePath);
        var init = Assert.Single(Bank.Calls("Init"));
        Assert.Null(init["PayType"]);
        var qr = Assert.Single(Bank.Calls("GetQr"));
        Assert.Equal("PAYLOAD", qr["DataType"]!.GetValue<string>());
        var paymentId = qr["PaymentId"]!.GetValue<string>();
        var order = init["OrderId"]!.GetValue<string>();
        // The QR lives as long as the page shows it (15 minutes), not the link's default 24 h.
        var due = DateTimeOffset.Parse(init["RedirectDueDate"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(due - host.Clock.GetUtcNow(), TimeSpan.FromMinutes(13), TimeSpan.FromMinutes(16));

        var sbp = await host.Client().GetAsync(Path(link) + "/sbp");
        var html = await sbp.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, sbp.StatusCode);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"5\"", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("Т-Банк", html, StringComparison.Ordinal);
        Assert.Contains("Сбербанк", html, StringComparison.Ordinal);
        Assert.Single(Bank.Calls("GetQrBankList"));
        Assert.Equal("mobile", Bank.Calls("GetQrBankList").Single()["Device"]!["Type"]!.GetValue<string>());

        // A second click reuses the waiting QR: one payment at the bank.
        Assert.Equal(HttpStatusCode.SeeOther, (await PayAsync(link, "sbp")).StatusCode);
        Assert.Single(Bank.Calls("Init"));

        // Phone: the bank's link is GetQr with its BankId, followed by a redirect into the app.
        var deep = await host.Client().GetAsync(Path(link) + "/sbp/bank/100000000111");
        Assert.Equal(HttpStatusCode.SeeOther, deep.StatusCode);
        Assert.Equal($"bank100000000111://qr.nspk.ru/AS1000{paymentId}", deep.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client().GetAsync(Path(link) + "/sbp/bank/999")).StatusCode);

        await SbpPayTestAsync(paymentId);
        Assert.Equal("OK", await (await NotifyTBankAsync(account, FakeTBank.Notification(order, paymentId, "CONFIRMED", 150000, source: "qrsbp"))).Content.ReadAsStringAsync());
        var got = await GetAsync(api, link);
        Assert.Equal("paid", got.GetProperty("status").GetString());
        Assert.Equal("sbp", got.GetProperty("payments")[0].GetProperty("method").GetString());

        // The refreshing SBP page now hands over to the link's page, which says «Оплачено».
        var after = await host.Client().GetAsync(Path(link) + "/sbp");
        Assert.Equal(HttpStatusCode.SeeOther, after.StatusCode);
        Assert.Contains("Оплачено", await host.Client().GetStringAsync(after.Headers.Location!.OriginalString), StringComparison.Ordinal);

        // SBP partial refund: the bank answers ASYNC_REFUNDING, the refund stays pending with its money reserved.
        var id = link.GetProperty("id").GetString();
        var refund = await (await api.PostJsonAsync($"/api/v1/links/{id}/refunds", """{"amount":50000}""")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("pending", refund.GetProperty("status").GetString());
        await (await api.PostJsonAsync($"/api/v1/links/{id}/refunds", """{"amount":100001}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "amount");
        Assert.Equal(50000, Assert.Single(Bank.Calls("Cancel"))["Amount"]!.GetValue<long>());
    }

    [Fact]
    public async Task TBank_SbpFullRefund_AsyncRefunding_ThenRefundedNotification_CompletesRefund()
    {
        var (api, account) = await TBankMerchantAsync();
        var link = await LinkAsync(api);
        await PayAsync(link, "sbp");
        var paymentId = Assert.Single(Bank.Calls("GetQr"))["PaymentId"]!.GetValue<string>();
        var order = Assert.Single(Bank.Calls("Init"))["OrderId"]!.GetValue<string>();
        await SbpPayTestAsync(paymentId);
        await NotifyTBankAsync(account, FakeTBank.Notification(order, paymentId, "CONFIRMED", 150000, source: "qrsbp"));

        var id = link.GetProperty("id").GetString();
        var refund = await (await api.PostJsonAsync($"/api/v1/links/{id}/refunds", "{}")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("pending", refund.GetProperty("status").GetString());
        // An ASYNC_REFUNDING report changes nothing; the bank's REFUNDED completes the pending refund, once.
        await NotifyTBankAsync(account, FakeTBank.Notification(order, paymentId, "ASYNC_REFUNDING", 150000, source: "qrsbp"));
        Assert.Equal("paid", (await GetAsync(api, link)).GetProperty("status").GetString());
        Assert.Equal("REFUNDED", Bank.FinishSbpRefund(paymentId));
        await NotifyTBankAsync(account, FakeTBank.Notification(order, paymentId, "REFUNDED", 150000, source: "qrsbp"));
        await NotifyTBankAsync(account, FakeTBank.Notification(order, paymentId, "REFUNDED", 150000, source: "qrsbp"));
        var got = await GetAsync(api, link);
        Assert.Equal("refunded", got.GetProperty("status").GetString());
        var refunds = got.GetProperty("refunds").EnumerateArray().ToList();
        Assert.Equal("succeeded", Assert.Single(refunds).GetProperty("status").GetString());
        Assert.Equal(150000, got.GetProperty("payments")[0].GetProperty("refunded").GetInt64());
    }

    [Theory]
    [InlineData(true, false, "REJECTED")]
    [InlineData(false, true, "DEADLINE_EXPIRED")]
    public async Task TBank_SbpRejectedOrExpired_PageOffersNewQr_NewPaymentAtBank(bool rejected, bool expired, string status)
    {
        var (api, account) = await TBankMerchantAsync();
        var link = await LinkAsync(api);
        await PayAsync(link, "sbp");
        var paymentId = Assert.Single(Bank.Calls("GetQr"))["PaymentId"]!.GetValue<string>();
        var order = Assert.Single(Bank.Calls("Init"))["OrderId"]!.GetValue<string>();
        // FORM_SHOWED (the payer opened the QR in the bank app) is only progress.
        await NotifyTBankAsync(account, FakeTBank.Notification(order, paymentId, "FORM_SHOWED", 150000, source: "qrsbp"));
        Assert.Contains("http-equiv=\"refresh\"", await host.Client().GetStringAsync(Path(link) + "/sbp"), StringComparison.Ordinal);

        await SbpPayTestAsync(paymentId, rejected, expired);
        await NotifyTBankAsync(account, FakeTBank.Notification(order, paymentId, status, 150000, source: "qrsbp"));
        Assert.Equal("open", (await GetAsync(api, link)).GetProperty("status").GetString());
        var html = await host.Client().GetStringAsync(Path(link) + "/sbp");
        Assert.DoesNotContain("http-equiv=\"refresh\"", html, StringComparison.Ordinal);
        Assert.Contains("Оплата не прошла", html, StringComparison.Ordinal);
        Assert.Contains("Получить новый QR-код", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.SeeOther, (await PayAsync(link, "sbp")).StatusCode);
        Assert.Equal(2, Bank.Calls("Init").Count());
    }

    [Fact]
    public async Task TBank_LostNotification_ReconciliationFindsSbpPayment_MethodFromGetStateParams()
    {
        var (api, _) = await TBankMerchantAsync();
        var link = await LinkAsync(api);
        await PayAsync(link, "sbp");
        await SbpPayTestAsync(Assert.Single(Bank.Calls("GetQr"))["PaymentId"]!.GetValue<string>());
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var attempt = await db.PaymentAttempts.IgnoreQueryFilters().SingleAsync(a => a.LinkId == link.GetProperty("id").GetString());
            Assert.Equal(PayMethod.Sbp, attempt.Method);
            host.Clock.Advance(ReconcilePayments.MinAge + TimeSpan.FromMinutes(1));
            await scope.ServiceProvider.GetRequiredService<ReconcilePayments>().RunAsync(attempt.MerchantId, CancellationToken.None);
        }
        var got = await GetAsync(api, link);
        Assert.Equal("paid", got.GetProperty("status").GetString());
        Assert.Equal("sbp", got.GetProperty("payments")[0].GetProperty("method").GetString());
    }

    [Fact]
    public async Task TBank_SbpBelowTenRoubles_Declined_CardStillWorks_BadMethodRefused()
    {
        var (api, _) = await TBankMerchantAsync();
        var link = await LinkAsync(api, amount: 900);
        Assert.Equal(HttpStatusCode.PaymentRequired, (await PayAsync(link, "sbp")).StatusCode);
        Assert.Empty(Bank.Calls("Init"));
        var bad = await PayAsync(link, "bitcoin");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("Выберите способ оплаты", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var card = await PayAsync(link, "card");
        Assert.Equal(HttpStatusCode.SeeOther, card.StatusCode);
        Assert.StartsWith("https://pay.example/", card.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinkDefaultMethodSbp_PutsSbpFirst_BadValueRefused()
    {
        var (api, _) = await TBankMerchantAsync();
        await (await api.PostJsonAsync("/api/v1/links", """{"amount":150000,"currency":"RUB","description":"x","defaultMethod":"cash"}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "defaultMethod");
        await (await api.PostJsonAsync("/api/v1/links", """{"amount":150000,"currency":"RUB","description":"x","defaultMethod":"sbp","capture":"manual"}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "defaultMethod");
        var link = await LinkAsync(api, extra: ""","defaultMethod":"sbp" """);
        Assert.Equal("sbp", link.GetProperty("defaultMethod").GetString());
        var page = await host.Client().GetStringAsync(Path(link));
        Assert.True(page.IndexOf("id=\"pay-sbp\"", StringComparison.Ordinal) < page.IndexOf("id=\"pay\"", StringComparison.Ordinal));
        var plain = await host.Client().GetStringAsync(Path(await LinkAsync(api)));
        Assert.True(plain.IndexOf("id=\"pay\"", StringComparison.Ordinal) < plain.IndexOf("id=\"pay-sbp\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sbp_NotOfferedForHoldOrSavedMethod_RefusedWhenPosted()
    {
        var (api, _) = await TBankMerchantAsync();
        var hold = await LinkAsync(api, extra: ""","capture":"manual" """);
        Assert.DoesNotContain("id=\"pay-sbp\"", await host.Client().GetStringAsync(Path(hold)), StringComparison.Ordinal);
        var refused = await PayAsync(hold, "sbp");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("нельзя оплатить через СБП", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Bank.Calls("Init"));
    }

    [Fact]
    public async Task YooKassa_SbpQrConfirmation_PayloadShown_PhoneOpensPayload_PaidWithMethodSbp()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var account = (await (await api.PostJsonAsync("/api/v1/gateway-accounts",
            $$$"""{"provider":"yookassa","name":"ЮKassa","settings":{"shopId":"{{{FakeYooKassa.ShopId}}}","secretKey":"{{{FakeYooKassa.SecretKey}}}","baseUrl":"{{{Kassa.Url}}}"}}"""))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        (await api.PostJsonAsync("/api/v1/gateway-accounts/order", $$"""{"ids":["{{account}}"]}""")).EnsureSuccessStatusCode();
        var link = await LinkAsync(api);
        var pay = await PayAsync(link, "sbp");
        Assert.Equal(Path(link) + "/sbp", pay.Headers.Location!.AbsolutePath);
        var create = Assert.Single(Kassa.CallsTo("POST", "payments"));
        Assert.Equal("sbp", create.Body!["payment_method_data"]!["type"]!.GetValue<string>());
        Assert.Equal("qr", create.Body["confirmation"]!["type"]!.GetValue<string>());
        Assert.True(create.Body["capture"]!.GetValue<bool>());
        var payment = Assert.Single(Kassa.Payments.Values);
        var payload = payment["confirmation"]!["confirmation_data"]!.GetValue<string>();

        var html = await host.Client().GetStringAsync(Path(link) + "/sbp");
        // No bank list at YooKassa: on a phone the payload link itself opens the SBP bank chooser.
        Assert.Contains($"id=\"sbp-open\" href=\"{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(payload)}\"", html, StringComparison.Ordinal);

        payment["status"] = "succeeded";
        payment["paid"] = true;
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/yookassa/{account}") { Content = new ByteArrayContent(FakeYooKassa.Notification("payment.succeeded", payment)) };
        req.Content.Headers.ContentType = new("application/json");
        req.Headers.Add(GatewaysHost.RemoteIpHeader, "185.71.76.10");
        Assert.Equal(HttpStatusCode.OK, (await host.Client().SendAsync(req)).StatusCode);
        var got = await GetAsync(api, link);
        Assert.Equal("paid", got.GetProperty("status").GetString());
        Assert.Equal("sbp", got.GetProperty("payments")[0].GetProperty("method").GetString());
    }

    [Fact]
    public async Task Sandbox_SbpQrEncodesBankAppPage_PayingThereMarksLinkPaid()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var link = await LinkAsync(api);
        var pay = await PayAsync(link, "sbp");
        Assert.Equal(HttpStatusCode.SeeOther, pay.StatusCode);
        var html = await host.Client().GetStringAsync(Path(link) + "/sbp");
        Assert.Contains("Песочница Банк", html, StringComparison.Ordinal);
        // The sandbox bank "app" (what the QR and the bank links open) pays the checkout.
        var bank = await host.Client().GetAsync(Path(link) + "/sbp/bank/sandbox-b");
        Assert.Equal(HttpStatusCode.SeeOther, bank.StatusCode);
        var app = new Uri(bank.Headers.Location!.ToString());
        var appPage = await host.Client().GetStringAsync(app.PathAndQuery);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode("Тестовый Банк"), appPage, StringComparison.Ordinal);
        var checkoutId = app.Segments.Last();
        var done = await host.Client().PostAsync($"/sandbox/checkout/{checkoutId}", new FormUrlEncodedContent([new("outcome", "success")]));
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        var got = await GetAsync(api, link);
        Assert.Equal("paid", got.GetProperty("status").GetString());
        Assert.Equal("sbp", got.GetProperty("payments")[0].GetProperty("method").GetString());
        Assert.Equal(HttpStatusCode.SeeOther, (await host.Client().GetAsync(Path(link) + "/sbp")).StatusCode);
    }

    [Fact]
    public async Task FeeSettings_DefaultSbpFirst_MetricsByMethod_SbpFeeSaved()
    {
        var (api, account) = await TBankMerchantAsync();
        var bad = await api.PutAsync("/api/v1/payment-method-settings", HttpAssert.Json("""{"defaultMethod":"cash","cardFeeBasisPoints":-1}"""));
        await bad.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "defaultMethod");
        var saved = await api.PutAsync("/api/v1/payment-method-settings",
            HttpAssert.Json("""{"defaultMethod":"sbp","cardFeeBasisPoints":300,"sbpFeeBasisPoints":50,"sbpFeeCapMinor":null}"""));
        Assert.Equal(300, (await saved.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("cardFeeBasisPoints").GetInt32());

        var bySbp = await LinkAsync(api);
        var page = await host.Client().GetStringAsync(Path(bySbp));
        Assert.True(page.IndexOf("id=\"pay-sbp\"", StringComparison.Ordinal) < page.IndexOf("id=\"pay\"", StringComparison.Ordinal), "SBP (the default) comes first");
        await PayAsync(bySbp, "sbp");
        var sbpPayment = Bank.Calls("GetQr").Single()["PaymentId"]!.GetValue<string>();
        await NotifyTBankAsync(account, FakeTBank.Notification(Bank.Calls("Init").Single()["OrderId"]!.GetValue<string>(), sbpPayment, "CONFIRMED", 150000, source: "qrsbp"));

        var byCard = await LinkAsync(api, amount: 200000);
        var card = await PayAsync(byCard, "card");
        var cardInit = Bank.Calls("Init").Last();
        await NotifyTBankAsync(account, FakeTBank.Notification(cardInit["OrderId"]!.GetValue<string>(), card.Headers.Location!.Segments.Last(), "CONFIRMED", 200000, source: "cards"));
        await LinkAsync(api, amount: 50000);   // never paid, no checkout

        var day = DateOnly.FromDateTime(host.Clock.GetUtcNow().AddHours(3).DateTime);
        var m = await (await api.GetAsync($"/api/v1/metrics?from={day.AddDays(-1):yyyy-MM-dd}&to={day.AddDays(1):yyyy-MM-dd}")).ReadJsonAsync(HttpStatusCode.OK);
        var rows = m.GetProperty("byMethod").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal(["card", "none", "sbp"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, rows["sbp"].GetProperty("paid").GetInt32());
        Assert.Equal(150000, rows["sbp"].GetProperty("paidMinor").GetInt64());
        Assert.Equal(200000, rows["card"].GetProperty("paidMinor").GetInt64());
        Assert.Equal(0, rows["none"].GetProperty("paid").GetInt32());
        // 3 % of 1 500 ₽ by card would be 45 ₽; 0.5 % by SBP is 7.50 ₽: 37.50 ₽ saved.
        Assert.Equal(3750, m.GetProperty("sbpFeeSavedMinor").GetInt64());
        var csv = await (await api.GetAsync($"/api/v1/metrics?from={day.AddDays(-1):yyyy-MM-dd}&to={day.AddDays(1):yyyy-MM-dd}&format=csv")).Content.ReadAsStringAsync();
        Assert.Contains("\nmethod;sbp;", csv.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);

        // The export says how each payment was made.
        var export = await (await api.GetAsync($"/api/v1/payments/export?from={day.AddDays(-1):yyyy-MM-dd}&to={day.AddDays(1):yyyy-MM-dd}&format=csv")).Content.ReadAsStringAsync();
        var lines = export.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("pay_method", lines[0].Split(';').Last());
        Assert.Equal(["card", "sbp"], lines[1..].Select(l => l.Split(';').Last()).Order(StringComparer.Ordinal));
    }
}

public sealed class SbpFlowSqliteTests(GatewaysSqliteHost host) : SbpFlowTests<GatewaysSqliteHost>(host);
public sealed class SbpFlowPostgresTests(GatewaysPostgresHost host) : SbpFlowTests<GatewaysPostgresHost>(host);
