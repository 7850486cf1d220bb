using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Payments;
using Paylink.IntegrationTests.Infrastructure;
using Paylink.Providers.Gateways.Sandbox;

namespace Paylink.IntegrationTests.PaymentLinks;

/// <summary>The customer's path: pay page → checkout at the sandbox acquirer → signed notification → paid once.</summary>
public abstract class PayFlowTests<THost>(THost host) : IClassFixture<THost> where THost : PaylinkHost
{
    [Fact]
    public async Task PayPage_OpenLink_ShowsMerchantAmountQrAndExpiryInMerchantZone()
    {
        var m = await host.NewMerchantAsync("Салон «Ромашка»");
        var link = await (await host.Client(m.ApiKey).PostJsonAsync("/api/v1/links",
            """{"amount":250000,"currency":"RUB","description":"Маникюр с покрытием","expiresAt":"2026-12-01T12:00:00Z"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var r = await host.Client().GetAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery);
        var html = await r.HtmlAsync();
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/html; charset=utf-8", r.Content.Headers.ContentType?.ToString());
        Assert.Contains("Салон «Ромашка»", html);
        Assert.Contains("Маникюр с покрытием", html);
        Assert.Contains("2\u00A0500,00\u00A0₽", html);
        // The sandbox takes SBP too, so the card button names the card and SBP is the second choice.
        Assert.Contains("Оплатить картой 2\u00A0500\u00A0₽", html);
        Assert.Contains("Оплатить через СБП", html);
        Assert.Contains("<svg", html);
        Assert.Contains("1 декабря 2026, 15:00 (МСК)", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public async Task PayPage_ShowsItemsWithQuantities_AndEscapesMerchantText()
    {
        var m = await host.NewMerchantAsync("<b>Студия</b> & Co");
        var link = await (await host.Client(m.ApiKey).PostJsonAsync("/api/v1/links",
            """{"amount":350000,"currency":"RUB","description":"<script>alert(1)</script> уход","items":[{"name":"Маникюр","quantity":1,"amount":250000},{"name":"Снятие \"гель\"","quantity":2,"amount":100000}]}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var raw = await (await host.Client().GetAsync(PathOf(link))).Content.ReadAsStringAsync();
        var html = WebUtility.HtmlDecode(raw);
        Assert.Contains("<td>Маникюр</td><td class=\"sum\">2\u00A0500,00\u00A0₽</td>", html);
        Assert.Contains("<td>Снятие \"гель\" × 2 шт.</td><td class=\"sum\">1\u00A0000,00\u00A0₽</td>", html);
        Assert.Contains("Снятие &quot;гель&quot;", raw);
        Assert.Contains("3\u00A0500,00\u00A0₽", html);
        Assert.Contains("&lt;b&gt;Студия&lt;/b&gt; &amp; Co", raw);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; уход", raw);
        Assert.DoesNotContain("<script", raw);
        Assert.DoesNotContain("<b>", raw);
    }

    [Fact]
    public async Task PayPage_English_ByQueryOrAcceptLanguage()
    {
        var m = await host.NewMerchantAsync();
        var link = await host.Client(m.ApiKey).CreateLinkAsync(250000);
        var path = PathOf(link);
        var en = await (await host.Client().GetAsync(path + "?lang=en")).HtmlAsync();
        Assert.Contains("₽2,500.00", en);
        Assert.Contains("Pay by card ₽2,500", en);
        Assert.Contains("Pay with SBP", en);
        var req = new HttpRequestMessage(HttpMethod.Get, path);
        req.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.9");
        Assert.Contains("Valid until", await (await host.Client().SendAsync(req)).HtmlAsync());
    }

    [Fact]
    public async Task PayPage_UnknownCode_Is404PageWithoutStackTrace()
    {
        var r = await host.Client().GetAsync("/p/zzzzzzzzzz");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        var html = await r.HtmlAsync();
        Assert.Contains("Ссылка не найдена", html);
        Assert.DoesNotContain("Exception", html);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client().GetAsync("/p/bad%20code%21")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client().PostAsync("/p/zzzzzzzzzz/pay", null)).StatusCode);
    }

    [Fact]
    public async Task PayPage_FirstOpenRecordedOnce()
    {
        var m = await host.NewMerchantAsync();
        var link = await host.Client(m.ApiKey).CreateLinkAsync();
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => host.Client().GetAsync(PathOf(link))));
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = link.GetProperty("id").GetString();
        Assert.Equal(1, await db.LinkEvents.CountAsync(e => e.LinkId == id && e.Type == "opened"));
    }

    [Fact]
    public async Task Pay_Success_MarksPaidOnceWithPaymentAndEvents()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var link = await api.CreateLinkAsync(250000);
        var checkout = await StartCheckoutAsync(link);
        Assert.StartsWith("http://localhost/sandbox/checkout/sbx_", checkout);

        var page = await (await host.Client().GetAsync(new Uri(checkout).PathAndQuery)).HtmlAsync();
        Assert.Contains("2\u00A0500,00\u00A0₽", page);
        var done = await CompleteAsync(checkout, "success");
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        Assert.Equal(link.GetProperty("url").GetString(), done.Headers.Location?.ToString());

        var got = await (await api.GetAsync("/api/v1/links/" + link.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", got.GetProperty("status").GetString());
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), got.GetProperty("paidAt").GetString());
        var payment = Assert.Single(got.GetProperty("payments").EnumerateArray());
        Assert.Equal(250000, payment.GetProperty("amount").GetInt64());
        Assert.Equal("sandbox", payment.GetProperty("provider").GetString());

        var html = await (await host.Client().GetAsync(PathOf(link))).HtmlAsync();
        Assert.Contains("Оплачено", html);
        Assert.DoesNotContain("id=\"pay\"", html);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = link.GetProperty("id").GetString();
        var types = await db.LinkEvents.Where(e => e.LinkId == id).OrderBy(e => e.Id).Select(e => e.Type).ToListAsync();
        Assert.Equal(["created", "opened", "checkout_started", "paid"], types);
    }

    [Fact]
    public async Task Pay_Decline_LeavesLinkOpenAndPayableAgain()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var link = await api.CreateLinkAsync();
        var checkout = await StartCheckoutAsync(link);
        Assert.Equal(HttpStatusCode.SeeOther, (await CompleteAsync(checkout, "decline")).StatusCode);
        var got = await (await api.GetAsync("/api/v1/links/" + link.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("open", got.GetProperty("status").GetString());
        var second = await StartCheckoutAsync(link);
        Assert.NotEqual(checkout, second);   // the declined attempt is not reused
        await CompleteAsync(second, "success");
        got = await (await api.GetAsync("/api/v1/links/" + link.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", got.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Pay_DoubleClick_ReusesPendingCheckout()
    {
        var m = await host.NewMerchantAsync();
        var link = await host.Client(m.ApiKey).CreateLinkAsync();
        Assert.Equal(await StartCheckoutAsync(link), await StartCheckoutAsync(link));
    }

    [Fact]
    public async Task Pay_ExpiredOrCancelledOrPaid_IsRefusedWith409Page()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var cancelled = await api.CreateLinkAsync();
        await api.PostAsync($"/api/v1/links/{cancelled.GetProperty("id").GetString()}/cancel", null);
        var r = await host.Client().PostAsync(PathOf(cancelled) + "/pay", null);
        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        Assert.Contains("Ссылка отменена", await r.HtmlAsync());

        var expiring = await (await api.PostJsonAsync("/api/v1/links",
            $$"""{"amount":100,"currency":"RUB","description":"x","expiresAt":"{{host.Clock.GetUtcNow().AddMinutes(5):O}}"}""")).ReadJsonAsync(HttpStatusCode.Created);
        host.Clock.Advance(TimeSpan.FromMinutes(6));
        r = await host.Client().PostAsync(PathOf(expiring) + "/pay", null);
        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        Assert.Contains("Срок действия ссылки истёк", await r.HtmlAsync());
    }

    [Fact]
    public async Task Cancel_PaidLink_Returns409()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var link = await api.CreateLinkAsync();
        await CompleteAsync(await StartCheckoutAsync(link), "success");
        var r = await api.PostAsync($"/api/v1/links/{link.GetProperty("id").GetString()}/cancel", null);
        var problem = await r.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("link_paid", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Notification_SentTwice_RecordsOnePayment()
    {
        var m = await host.NewMerchantAsync();
        var link = await host.Client(m.ApiKey).CreateLinkAsync();
        var checkout = await StartCheckoutAsync(link);
        await CompleteAsync(checkout, "success");
        var (body, account, secret) = await NotificationForAsync(checkout);
        var again = await PostNotificationAsync(account, body, SandboxSignature.Sign(secret, host.Clock.GetUtcNow().ToUnixTimeSeconds(), body));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, await CountPaymentsAsync(link));
    }

    [Fact]
    public async Task Notification_Racing_RecordsOnePayment()
    {
        var m = await host.NewMerchantAsync();
        var link = await host.Client(m.ApiKey).CreateLinkAsync();
        var checkout = await StartCheckoutAsync(link);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // Complete at the acquirer without notifying, then fire the same notification 10 times at once.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var c = await db.SandboxCheckouts.SingleAsync(x => x.Id == IdOf(checkout));
            c.Complete(true, host.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }
        var (body, account, secret) = await NotificationForAsync(checkout);
        var sig = SandboxSignature.Sign(secret, host.Clock.GetUtcNow().ToUnixTimeSeconds(), body);
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostNotificationAsync(account, body, sig)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, await CountPaymentsAsync(link));
    }

    [Fact]
    public async Task Notification_TwoAttemptsBothPaid_RecordsOnePaymentAndFlagsTheSecond()
    {
        var m = await host.NewMerchantAsync();
        var link = await host.Client(m.ApiKey).CreateLinkAsync();
        var first = await StartCheckoutAsync(link);
        host.Clock.Advance(StartCheckout.ReuseWindow + TimeSpan.FromMinutes(1));
        var second = await StartCheckoutAsync(link);
        Assert.NotEqual(first, second);
        await CompleteAsync(first, "success");
        await CompleteAsync(second, "success");
        Assert.Equal(1, await CountPaymentsAsync(link));
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = link.GetProperty("id").GetString();
        Assert.Equal(1, await db.LinkEvents.CountAsync(e => e.LinkId == id && e.Type == "duplicate_payment"));
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("unsigned")]
    [InlineData("wrong-secret")]
    [InlineData("old")]
    [InlineData("malformed-header")]
    public async Task Notification_Forged_Returns401AndWritesNothing(string how)
    {
        var m = await host.NewMerchantAsync();
        var link = await host.Client(m.ApiKey).CreateLinkAsync();
        var checkout = await StartCheckoutAsync(link);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.SandboxCheckouts.SingleAsync(x => x.Id == IdOf(checkout))).Complete(true, host.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }
        var (body, account, secret) = await NotificationForAsync(checkout);
        var now = host.Clock.GetUtcNow().ToUnixTimeSeconds();
        var (sendBody, sig) = how switch
        {
            "tampered" => (Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"amount\":25000", "\"amount\":1")), SandboxSignature.Sign(secret, now, body)),
            "unsigned" => (body, null),
            "wrong-secret" => (body, SandboxSignature.Sign("another-secret-of-enough-length", now, body)),
            "old" => (body, SandboxSignature.Sign(secret, now - 3600, body)),
            _ => (body, "v1=deadbeef"),
        };
        var r = await PostNotificationAsync(account, sendBody, sig);
        await r.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountPaymentsAsync(link));
        await using var s2 = host.Services.CreateAsyncScope();
        Assert.Equal(0, await s2.ServiceProvider.GetRequiredService<AppDbContext>().InboundEvents.CountAsync(e => e.AccountId == account));
    }

    [Fact]
    public async Task Notification_OtherMerchantSignsVictimsEventId_VictimsGenuineOneStillApplies()
    {
        var victim = await host.NewMerchantAsync();
        var victimLink = await host.Client(victim.ApiKey).CreateLinkAsync();
        var victimCheckout = await StartCheckoutAsync(victimLink);
        var (victimBody, victimAccount, victimSecret) = await NotificationForAsync(victimCheckout, complete: true);
        var victimEvent = System.Text.Json.JsonSerializer.Deserialize<SandboxNotification>(victimBody, SandboxNotification.Json)!;

        var attacker = await host.NewMerchantAsync("Чужой салон");
        var attackerLink = await host.Client(attacker.ApiKey).CreateLinkAsync();
        var attackerCheckout = await StartCheckoutAsync(attackerLink);
        var (attackerBody, attackerAccount, attackerSecret) = await NotificationForAsync(attackerCheckout, complete: true);
        var attackerEvent = System.Text.Json.JsonSerializer.Deserialize<SandboxNotification>(attackerBody, SandboxNotification.Json)!;
        var now = host.Clock.GetUtcNow().ToUnixTimeSeconds();

        // 1. The victim's event id and reference, signed with the attacker's own secret to the attacker's account: matches nothing.
        var forged = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(victimEvent, SandboxNotification.Json);
        (await PostNotificationAsync(attackerAccount, forged, SandboxSignature.Sign(attackerSecret, now, forged))).EnsureSuccessStatusCode();
        // 2. The victim's event id on the attacker's own payment: applies to the attacker's account only.
        var ownWithVictimsId = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(attackerEvent with { Id = victimEvent.Id }, SandboxNotification.Json);
        (await PostNotificationAsync(attackerAccount, ownWithVictimsId, SandboxSignature.Sign(attackerSecret, now, ownWithVictimsId))).EnsureSuccessStatusCode();
        Assert.Equal(1, await CountPaymentsAsync(attackerLink));
        Assert.Equal(0, await CountPaymentsAsync(victimLink));

        // The victim's genuine notification is not taken for a duplicate.
        (await PostNotificationAsync(victimAccount, victimBody, SandboxSignature.Sign(victimSecret, now, victimBody))).EnsureSuccessStatusCode();
        Assert.Equal(1, await CountPaymentsAsync(victimLink));
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1, await db.InboundEvents.CountAsync(e => e.AccountId == victimAccount && e.EventId == victimEvent.Id));
        // The event that matched nothing left no dedupe row behind.
        Assert.Equal(1, await db.InboundEvents.CountAsync(e => e.AccountId == attackerAccount));
    }

    [Fact]
    public async Task Notification_AmountMismatch_NotMarkedPaid()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var link = await api.CreateLinkAsync(250000);
        var checkout = await StartCheckoutAsync(link);
        var (_, account, secret) = await NotificationForAsync(checkout, complete: true);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var attempt = await db.PaymentAttempts.SingleAsync(a => a.ExternalId == IdOf(checkout));
            var forged = Encoding.UTF8.GetBytes($$$"""{"id":"evt_x","type":"checkout.succeeded","created":"2026-11-18T07:00:00Z","checkout":{"id":"{{{IdOf(checkout)}}}","reference":"{{{attempt.Id}}}","amount":100,"currency":"RUB","status":"succeeded"}}""");
            var r = await PostNotificationAsync(account, forged, SandboxSignature.Sign(secret, host.Clock.GetUtcNow().ToUnixTimeSeconds(), forged));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);   // accepted (signed) but not acted on
        }
        var got = await (await api.GetAsync("/api/v1/links/" + link.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("open", got.GetProperty("status").GetString());
        Assert.Equal(0, await CountPaymentsAsync(link));
    }

    [Fact]
    public async Task Notification_UnknownAccountOrProvider_Returns404()
    {
        var r = await host.Client().PostAsync("/webhooks/sandbox/gwa_unknown", HttpAssert.Json("{}"));
        await r.AssertProblemAsync(HttpStatusCode.NotFound);
        r = await host.Client().PostAsync("/webhooks/nosuch/gwa_unknown", HttpAssert.Json("{}"));
        await r.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SandboxCheckout_BadOutcome_Returns400()
    {
        var m = await host.NewMerchantAsync();
        var checkout = await StartCheckoutAsync(await host.Client(m.ApiKey).CreateLinkAsync());
        var r = await CompleteAsync(checkout, "maybe");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client().GetAsync("/sandbox/checkout/sbx_nope")).StatusCode);
    }

    private static string PathOf(System.Text.Json.JsonElement link) => new Uri(link.GetProperty("url").GetString()!).PathAndQuery;
    private static string IdOf(string checkoutUrl) => checkoutUrl[(checkoutUrl.LastIndexOf('/') + 1)..];

    private async Task<string> StartCheckoutAsync(System.Text.Json.JsonElement link)
    {
        var r = await host.Client().PostAsync(PathOf(link) + "/pay", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        return r.Headers.Location!.ToString();
    }

    private Task<HttpResponseMessage> CompleteAsync(string checkoutUrl, string outcome) =>
        host.Client().PostAsync(new Uri(checkoutUrl).PathAndQuery, new FormUrlEncodedContent([new("outcome", outcome)]));

    private Task<HttpResponseMessage> PostNotificationAsync(string accountId, byte[] body, string? signature)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/sandbox/{accountId}") { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new("application/json");
        if (signature is not null) req.Headers.TryAddWithoutValidation(SandboxSignature.Header, signature);
        return host.Client().SendAsync(req);
    }

    /// <summary>The body the acquirer sends for this checkout, its account and signing secret.</summary>
    private async Task<(byte[] Body, string Account, string Secret)> NotificationForAsync(string checkoutUrl, bool complete = false)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AppDbContext>();
        var c = await db.SandboxCheckouts.SingleAsync(x => x.Id == IdOf(checkoutUrl));
        if (complete && c.Complete(true, host.Clock.GetUtcNow())) await db.SaveChangesAsync();
        var account = await db.GatewayAccounts.SingleAsync(a => a.Id == c.AccountId);
        var secret = sp.GetRequiredService<GatewayAccounts>().Open(account).Value.Context.Settings["secret"]!.GetValue<string>();
        var type = c.Status == Paylink.Core.Payments.SandboxCheckoutStatus.Succeeded ? SandboxNotification.Succeeded : SandboxNotification.Declined;
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new SandboxNotification($"evt_{c.Id}_{type}", type, c.CompletedAt ?? host.Clock.GetUtcNow(),
            new SandboxNotification.CheckoutInfo(c.Id, c.Reference, c.AmountMinor, c.Currency, "succeeded")), SandboxNotification.Json);
        return (body, account.Id, secret);
    }

    private async Task<int> CountPaymentsAsync(System.Text.Json.JsonElement link)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var id = link.GetProperty("id").GetString();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Payments.CountAsync(p => p.LinkId == id);
    }
}

public sealed class PayFlowSqliteTests(SqliteHost host) : PayFlowTests<SqliteHost>(host);
public sealed class PayFlowPostgresTests(PostgresHost host) : PayFlowTests<PostgresHost>(host);
