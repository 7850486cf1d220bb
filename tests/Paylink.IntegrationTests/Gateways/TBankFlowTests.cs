using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Payments;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Gateways;

/// <summary>Quick retries for gateway tests (the delays are real network timing, so keep them short), and a peer
/// address taken from the <see cref="RemoteIpHeader"/> test header (the test server has none), set before the app's
/// forwarded-headers middleware as a real connection's would be.</summary>
public class GatewaysHost(Db kind) : PaylinkHost(kind)
{
    public const string RemoteIpHeader = "X-Test-Remote-Ip";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Gateways:Http:AttemptTimeoutSeconds"] = "1", ["Gateways:Http:BaseDelayMilliseconds"] = "10", ["Gateways:Http:MaxDelaySeconds"] = "0.2",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddTransient<IStartupFilter, RemoteIpFromHeader>();

    private sealed class RemoteIpFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((ctx, nextMiddleware) =>
            {
                if (ctx.Request.Headers.TryGetValue(RemoteIpHeader, out var ip)) ctx.Connection.RemoteIpAddress = IPAddress.Parse(ip.ToString());
                return nextMiddleware(ctx);
            });
            next(app);
        };
    }
}
public sealed class GatewaysSqliteHost() : GatewaysHost(Db.Sqlite);
public sealed class GatewaysPostgresHost() : GatewaysHost(Db.Postgres);

/// <summary>A link paid through T-Bank (fake bank on 127.0.0.1): receipts, notifications, refunds, holds, recurring, failover, reconciliation.</summary>
public abstract class TBankFlowTests<THost>(THost host) : IClassFixture<THost>, IAsyncLifetime where THost : GatewaysHost
{
    private FakeTBank _bank = null!;

    public async Task InitializeAsync() => _bank = await FakeTBank.StartAsync();
    public async Task DisposeAsync() => await _bank.DisposeAsync();

    private async Task<(HttpClient Api, string AccountId, string SandboxId)> MerchantAsync(bool receipts = true)
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var settings = $$"""{"terminalKey":"{{FakeTBank.TerminalKey}}","password":"{{FakeTBank.Password}}","baseUrl":"{{_bank.Url}}"}""";
        var created = await (await api.PostJsonAsync("/api/v1/gateway-accounts",
            $$$"""{"provider":"tbank","name":"Т-Банк","settings":{{{settings}}}}""")).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("****word", created.GetProperty("settings").GetProperty("password").GetString());
        Assert.Equal($"http://localhost/webhooks/tbank/{id}", created.GetProperty("webhookUrl").GetString());
        (await api.PostJsonAsync("/api/v1/gateway-accounts/order", $$"""{"ids":["{{id}}"]}""")).EnsureSuccessStatusCode();
        if (receipts)
            (await api.PutAsync("/api/v1/fiscal-settings", HttpAssert.Json("""{"receiptsEnabled":true,"taxSystem":"usn_income","defaultVat":"none","paymentMethod":"full_payment","defaultPaymentObject":"service","defaultMeasure":"piece","ffdVersion":"1.2"}"""))).EnsureSuccessStatusCode();
        return (api, id, m.SandboxAccount.Id);
    }

    private static async Task<JsonElement> LinkAsync(HttpClient api, string extra = "")
    {
        var r = await api.PostJsonAsync("/api/v1/links", $$"""{"amount":150000,"currency":"RUB","description":"Консультация","customer":{"email":"buyer@example.com","phone":"+79161234567"}{{extra}}}""");
        return await r.ReadJsonAsync(HttpStatusCode.Created);
    }

    private async Task<HttpResponseMessage> PayAsync(JsonElement link, bool consent = false)
    {
        var path = new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay";
        return await host.Client().PostAsync(path, new FormUrlEncodedContent(consent ? [new("consent", "on")] : []));
    }

    private Task<HttpResponseMessage> NotifyAsync(string accountId, byte[] body)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/tbank/{accountId}") { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new("application/json");
        return host.Client().SendAsync(req);
    }

    private static async Task<JsonElement> GetAsync(HttpClient api, JsonElement link) =>
        await (await api.GetAsync("/api/v1/links/" + link.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Pay_WithReceipt_NotificationVerified_DuplicateHarmless_PartialRefund()
    {
        var (api, account, _) = await MerchantAsync();
        var link = await LinkAsync(api);
        var pay = await PayAsync(link);
        Assert.Equal(HttpStatusCode.SeeOther, pay.StatusCode);
        var init = Assert.Single(_bank.Calls("Init"));
        var paymentId = pay.Headers.Location!.Segments.Last();
        Assert.Equal(150000, init["Amount"]!.GetValue<long>());
        Assert.Equal($"http://localhost/webhooks/tbank/{account}", init["NotificationURL"]!.GetValue<string>());
        Assert.Equal("usn_income", init["Receipt"]!["Taxation"]!.GetValue<string>());
        Assert.Equal("шт", init["Receipt"]!["Items"]![0]!["MeasurementUnit"]!.GetValue<string>());
        var order = init["OrderId"]!.GetValue<string>();

        var forged = FakeTBank.Notification(order, paymentId, "CONFIRMED", 150000, password: "not-the-password");
        await (await NotifyAsync(account, forged)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("open", (await GetAsync(api, link)).GetProperty("status").GetString());

        var ok = await NotifyAsync(account, FakeTBank.Notification(order, paymentId, "CONFIRMED", 150000));
        Assert.Equal("OK", await ok.Content.ReadAsStringAsync());
        Assert.Equal("OK", await (await NotifyAsync(account, FakeTBank.Notification(order, paymentId, "CONFIRMED", 150000))).Content.ReadAsStringAsync());
        var got = await GetAsync(api, link);
        Assert.Equal("paid", got.GetProperty("status").GetString());
        Assert.Single(got.GetProperty("payments").EnumerateArray());

        var id = link.GetProperty("id").GetString();
        var tooMuch = await api.PostJsonAsync($"/api/v1/links/{id}/refunds", """{"amount":150001}""");
        await tooMuch.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "amount");
        var refundReq = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/links/{id}/refunds") { Content = HttpAssert.Json("""{"amount":50000,"reason":"отмена части"}""") };
        refundReq.Headers.Add("Idempotency-Key", "refund-1");
        var refund = await (await api.SendAsync(refundReq)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("succeeded", refund.GetProperty("status").GetString());
        var replay = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/links/{id}/refunds") { Content = HttpAssert.Json("""{"amount":50000,"reason":"отмена части"}""") };
        replay.Headers.Add("Idempotency-Key", "refund-1");
        Assert.Equal(refund.GetProperty("id").GetString(), (await (await api.SendAsync(replay)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString());
        var cancel = Assert.Single(_bank.Calls("Cancel"));
        Assert.Equal(50000, cancel["Amount"]!.GetValue<long>());
        Assert.Equal(50000, cancel["Receipt"]!["Items"]!.AsArray().Sum(i => i!["Amount"]!.GetValue<long>()));

        // A late CONFIRMED (out of order) does not un-refund the link.
        await NotifyAsync(account, FakeTBank.Notification(order, paymentId, "CONFIRMED", 150000).Concat(" "u8.ToArray()).ToArray());
        got = await GetAsync(api, link);
        Assert.Equal("partially_refunded", got.GetProperty("status").GetString());
        Assert.Equal(50000, got.GetProperty("payments")[0].GetProperty("refunded").GetInt64());
    }

    [Fact]
    public async Task Refunds_Concurrent_NeverExceedCaptured()
    {
        var (api, account, _) = await MerchantAsync(receipts: false);
        var link = await LinkAsync(api);
        var pay = await PayAsync(link);
        var order = Assert.Single(_bank.Calls("Init"))["OrderId"]!.GetValue<string>();
        await NotifyAsync(account, FakeTBank.Notification(order, pay.Headers.Location!.Segments.Last(), "CONFIRMED", 150000));
        var id = link.GetProperty("id").GetString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.PostJsonAsync($"/api/v1/links/{id}/refunds", """{"amount":100000}""")));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(100000, await db.Refunds.Where(r => r.LinkId == id && r.Status == Paylink.Core.Refunds.RefundStatus.Succeeded).SumAsync(r => r.AmountMinor));
    }

    [Fact]
    public async Task Link_ReceiptsOnWithoutContact_Is422AtCreation()
    {
        var (api, _, _) = await MerchantAsync();
        var r = await api.PostJsonAsync("/api/v1/links", """{"amount":150000,"currency":"RUB","description":"Консультация"}""");
        await r.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "customer");
    }

    [Fact]
    public async Task Checkout_TBankDown_FailsOverToNextAccountAndLogsIt()
    {
        var (api, _, sandbox) = await MerchantAsync(receipts: false);
        _bank.FailNext["Init"] = 1;
        var link = await LinkAsync(api);
        var pay = await PayAsync(link);
        Assert.Equal(HttpStatusCode.SeeOther, pay.StatusCode);
        Assert.Contains("/sandbox/checkout/", pay.Headers.Location!.ToString());
        Assert.Single(_bank.Calls("Init"));   // Init has no idempotency key at T-Bank: never repeated blindly
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = link.GetProperty("id").GetString();
        var failover = await db.LinkEvents.SingleAsync(e => e.LinkId == id && e.Type == "gateway_failover");
        Assert.Contains(sandbox, failover.DataJson);
    }

    [Fact]
    public async Task Init_TimedOut_IsNotRepeated_AndTheLinkEndsWithOnePaidSession()
    {
        var (api, account, sandbox) = await MerchantAsync(receipts: false);
        (await api.DeleteAsync($"/api/v1/gateway-accounts/{sandbox}")).EnsureSuccessStatusCode();   // no failover target
        var link = await LinkAsync(api);
        _bank.DelayNext["Init"] = TimeSpan.FromSeconds(2.5);   // beyond the 1 s attempt timeout of GatewaysHost

        var first = await PayAsync(link);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        var lost = Assert.Single(_bank.Calls("Init"));   // Init has no idempotency key: the client never repeats it

        // The buyer presses "pay" again: a new attempt (new OrderId), one new Init; a double click reuses it.
        var second = await PayAsync(link);
        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        Assert.Equal(second.Headers.Location, (await PayAsync(link)).Headers.Location);
        var inits = _bank.Calls("Init").ToList();
        Assert.Equal(2, inits.Count);
        var order = inits[1]["OrderId"]!.GetValue<string>();
        Assert.NotEqual(lost["OrderId"]!.GetValue<string>(), order);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var attempts = await db.PaymentAttempts.IgnoreQueryFilters().Where(a => a.LinkId == link.GetProperty("id").GetString()).ToListAsync();
            Assert.Equal(2, attempts.Count);
            Assert.Single(attempts, a => a.Status == AttemptStatus.Failed && a.Id == lost["OrderId"]!.GetValue<string>());
            Assert.Single(attempts, a => a.Status == AttemptStatus.Pending && a.CheckoutUrl == second.Headers.Location!.ToString());
        }

        await NotifyAsync(account, FakeTBank.Notification(order, second.Headers.Location!.Segments.Last(), "CONFIRMED", 150000));
        var got = await GetAsync(api, link);
        Assert.Equal("paid", got.GetProperty("status").GetString());
        Assert.Single(got.GetProperty("payments").EnumerateArray());
    }

    [Fact]
    public async Task PartialRefund_Receipt_MatchesTheWorkedExampleFieldByField()
    {
        var (api, account, _) = await MerchantAsync();
        var link = await LinkAsync(api);
        var pay = await PayAsync(link);
        var init = Assert.Single(_bank.Calls("Init"));
        // fiscal-54fz.md §8, T-Bank, FFD 1.2 (the link also has a phone, which T-Bank's receipt carries beside the e-mail).
        var sale = JsonNode.Parse("""
            {"FfdVersion":"1.2","Email":"buyer@example.com","Phone":"+79161234567","Taxation":"usn_income",
              "Items":[{"Name":"Консультация","Price":150000,"Quantity":1,"Amount":150000,
                        "Tax":"none","PaymentMethod":"full_payment","PaymentObject":"service","MeasurementUnit":"шт"}]}
            """)!;
        Assert.True(JsonNode.DeepEquals(sale, init["Receipt"]), init["Receipt"]!.ToJsonString());
        await NotifyAsync(account, FakeTBank.Notification(init["OrderId"]!.GetValue<string>(), pay.Headers.Location!.Segments.Last(), "CONFIRMED", 150000));

        var id = link.GetProperty("id").GetString();
        (await api.PostJsonAsync($"/api/v1/links/{id}/refunds", """{"amount":50000}""")).EnsureSuccessStatusCode();
        var cancel = Assert.Single(_bank.Calls("Cancel"));
        Assert.Equal(50000, cancel["Amount"]!.GetValue<long>());
        var refund = JsonNode.Parse("""
            {"FfdVersion":"1.2","Email":"buyer@example.com","Phone":"+79161234567","Taxation":"usn_income",
              "Items":[{"Name":"Консультация","Price":50000,"Quantity":1,"Amount":50000,
                        "Tax":"none","PaymentMethod":"full_payment","PaymentObject":"service","MeasurementUnit":"шт"}]}
            """)!;
        Assert.True(JsonNode.DeepEquals(refund, cancel["Receipt"]), cancel["Receipt"]!.ToJsonString());
    }

    [Fact]
    public async Task Hold_AuthorizedThenCapturedPartly()
    {
        var (api, account, _) = await MerchantAsync(receipts: false);
        var link = await LinkAsync(api, ""","capture":"manual" """);
        var pay = await PayAsync(link);
        var init = Assert.Single(_bank.Calls("Init"));
        Assert.Equal("T", init["PayType"]!.GetValue<string>());
        var paymentId = pay.Headers.Location!.Segments.Last();
        _bank.Payments[paymentId]["Status"] = "AUTHORIZED";
        await NotifyAsync(account, FakeTBank.Notification(init["OrderId"]!.GetValue<string>(), paymentId, "AUTHORIZED", 150000));
        Assert.Equal("authorized", (await GetAsync(api, link)).GetProperty("status").GetString());
        var id = link.GetProperty("id").GetString();
        var captured = await (await api.PostJsonAsync($"/api/v1/links/{id}/capture", """{"amount":100000}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", captured.GetProperty("status").GetString());
        Assert.Equal(100000, captured.GetProperty("payments")[0].GetProperty("captured").GetInt64());
        Assert.Equal(100000, Assert.Single(_bank.Calls("Confirm"))["Amount"]!.GetValue<long>());
        var refund = await api.PostJsonAsync($"/api/v1/links/{id}/refunds", """{"amount":100001}""");
        await refund.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "amount");
    }

    [Fact]
    public async Task Recurring_ConsentRequired_SavedRebillCharged_RevokeStops()
    {
        var (api, account, _) = await MerchantAsync(receipts: false);
        var link = await LinkAsync(api, ""","savePaymentMethod":true""");
        var html = await (await host.Client().GetAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery)).HtmlAsync();
        Assert.Contains("name=\"consent\"", html);
        var refused = await PayAsync(link, consent: false);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Отметьте согласие", await refused.HtmlAsync());
        Assert.Empty(_bank.Calls("Init"));

        var pay = await PayAsync(link, consent: true);
        var init = Assert.Single(_bank.Calls("Init"));
        Assert.Equal("Y", init["Recurrent"]!.GetValue<string>());
        await NotifyAsync(account, FakeTBank.Notification(init["OrderId"]!.GetValue<string>(), pay.Headers.Location!.Segments.Last(), "CONFIRMED", 150000, rebillId: "777001"));

        string customerId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var m = await db.SavedPaymentMethods.SingleAsync(x => x.SourceLinkId == link.GetProperty("id").GetString());
            Assert.Equal("2026-11-recurring-v1", m.ConsentVersion);
            customerId = m.CustomerId;
        }
        var charge = await (await api.PostJsonAsync($"/api/v1/customers/{customerId}/charges", """{"amount":90000,"currency":"RUB","description":"Абонемент, ноябрь"}""")).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("paid", charge.GetProperty("status").GetString());
        Assert.Equal("777001", Assert.Single(_bank.Calls("Charge"))["RebillId"]!.GetValue<string>());

        var methods = await (await api.GetAsync($"/api/v1/customers/{customerId}/payment-methods")).ReadJsonAsync(HttpStatusCode.OK);
        var pm = methods.GetProperty("items")[0].GetProperty("id").GetString();
        (await api.DeleteAsync($"/api/v1/customers/{customerId}/payment-methods/{pm}")).EnsureSuccessStatusCode();
        var after = await api.PostJsonAsync($"/api/v1/customers/{customerId}/charges", """{"amount":90000,"currency":"RUB","description":"Абонемент, декабрь"}""");
        await after.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Reconcile_LostNotification_AppliesGatewayState()
    {
        var (api, _, _) = await MerchantAsync(receipts: false);
        var link = await LinkAsync(api);
        var pay = await PayAsync(link);
        _bank.Payments[pay.Headers.Location!.Segments.Last()]["Status"] = "CONFIRMED";
        _bank.FailNext["GetState"] = 1;   // a transient 500 on a read-only call is retried
        host.Clock.Advance(ReconcilePayments.MinAge + TimeSpan.FromMinutes(1));
        await using var scope = host.Services.CreateAsyncScope();
        var summary = await scope.ServiceProvider.GetRequiredService<ReconcilePayments>().RunAsync(null, CancellationToken.None);
        Assert.True(summary.Changed >= 1);
        Assert.Equal("paid", (await GetAsync(api, link)).GetProperty("status").GetString());
        Assert.Equal(2, _bank.Calls("GetState").Count());
    }
}

public sealed class TBankFlowSqliteTests(GatewaysSqliteHost host) : TBankFlowTests<GatewaysSqliteHost>(host);
public sealed class TBankFlowPostgresTests(GatewaysPostgresHost host) : TBankFlowTests<GatewaysPostgresHost>(host);
