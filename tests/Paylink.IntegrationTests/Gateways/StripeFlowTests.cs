using System.Net;
using System.Text;
using System.Text.Json;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Gateways;

/// <summary>A link paid through Stripe (fake API on 127.0.0.1, Stripe.net on our HttpClient) end to end through the host.</summary>
public abstract class StripeFlowTests<THost>(THost host) : IClassFixture<THost>, IAsyncLifetime where THost : GatewaysHost
{
    private FakeStripe _stripe = null!;

    public async Task InitializeAsync() => _stripe = await FakeStripe.StartAsync();
    public async Task DisposeAsync() => await _stripe.DisposeAsync();

    private async Task<(HttpClient Api, string AccountId)> MerchantAsync()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var created = await (await api.PostJsonAsync("/api/v1/gateway-accounts",
            $$$"""{"provider":"stripe","name":"Stripe","settings":{"secretKey":"{{{FakeStripe.SecretKey}}}","webhookSecret":"{{{FakeStripe.WebhookSecret}}}","baseUrl":"{{{_stripe.Url}}}"}}""")).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.DoesNotContain(FakeStripe.WebhookSecret, created.GetRawText());
        (await api.PostJsonAsync("/api/v1/gateway-accounts/order", $$"""{"ids":["{{id}}"]}""")).EnsureSuccessStatusCode();
        return (api, id);
    }

    /// <summary>Creates and pays a link: 303 to the Checkout Session's url; returns (link, session id, payment intent id).</summary>
    private async Task<(JsonElement Link, string Session, string Intent)> CheckoutAsync(HttpClient api)
    {
        var link = await (await api.PostJsonAsync("/api/v1/links", """{"amount":150000,"currency":"RUB","description":"Стрижка и укладка","customer":{"email":"buyer@example.com"}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, pay.StatusCode);
        var session = Assert.Single(_stripe.Sessions.Values, s => s["metadata"]!["paylink_link"]?.GetValue<string>() == link.GetProperty("id").GetString());
        Assert.Equal(session["url"]!.GetValue<string>(), pay.Headers.Location!.ToString());
        return (link, session["id"]!.GetValue<string>(), session["payment_intent"]!.GetValue<string>());
    }

    private Task<HttpResponseMessage> WebhookAsync(string account, string body, string signature)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/stripe/{account}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        req.Headers.Add("Stripe-Signature", signature);
        return host.Client().SendAsync(req);
    }

    private static async Task<JsonElement> GetAsync(HttpClient api, JsonElement link) =>
        await (await api.GetAsync("/api/v1/links/" + link.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);

    private long Now => host.Clock.GetUtcNow().ToUnixTimeSeconds();

    [Fact]
    public async Task CheckoutSession_CarriesPriceDataMetadataAndExpiry()
    {
        var (api, _) = await MerchantAsync();
        var (link, _, _) = await CheckoutAsync(api);
        var call = Assert.Single(_stripe.Calls, c => c.Path == "checkout/sessions");
        var f = call.Form;
        Assert.Equal("payment", f["mode"]);
        Assert.Equal("rub", f["line_items[0][price_data][currency]"]);
        Assert.Equal("150000", f["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("Стрижка и укладка", f["line_items[0][price_data][product_data][name]"]);
        Assert.Equal("1", f["line_items[0][quantity]"]);
        var attempt = f["metadata[paylink_attempt]"];
        Assert.Equal(link.GetProperty("id").GetString(), f["metadata[paylink_link]"]);
        Assert.Equal(attempt, f["client_reference_id"]);
        Assert.Equal(attempt, f["payment_intent_data[metadata][paylink_attempt]"]);
        Assert.Equal("automatic", f["payment_intent_data[capture_method]"]);
        Assert.Equal(attempt, call.IdempotencyKey);
        Assert.Equal("buyer@example.com", f["customer_email"]);
        // Stripe takes expires_at 30 min to 24 h ahead; ours stays inside that window on the app's clock.
        var expires = long.Parse(f["expires_at"]);
        Assert.InRange(expires, Now + 31 * 60, Now + (long)(23.9 * 3600));
        var linkExpiry = link.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds();
        var expected = Math.Clamp(linkExpiry, Now + 31 * 60, Now + (long)(23.9 * 3600));
        Assert.InRange(expires, expected - 1, expected);   // the shared fake clock may sit between two seconds
    }

    [Fact]
    public async Task SignedWebhook_MarksPaid_DuplicateHarmless_ThenRefund()
    {
        var (api, account) = await MerchantAsync();
        var (link, session, intent) = await CheckoutAsync(api);
        _stripe.Succeed(intent);
        var body = _stripe.SessionCompleted(session, Now);

        var ok = await WebhookAsync(account, body, FakeStripe.Sign(body, Now));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains(_stripe.Calls, c => c.Method == "GET" && c.Path == "payment_intents/" + intent);
        var got = await GetAsync(api, link);
        Assert.Equal("paid", got.GetProperty("status").GetString());
        Assert.Equal(150000, got.GetProperty("payments")[0].GetProperty("amount").GetInt64());

        Assert.Equal(HttpStatusCode.OK, (await WebhookAsync(account, body, FakeStripe.Sign(body, Now))).StatusCode);
        Assert.Single((await GetAsync(api, link)).GetProperty("payments").EnumerateArray());

        var id = link.GetProperty("id").GetString();
        var refund = await (await api.PostJsonAsync($"/api/v1/links/{id}/refunds", """{"amount":50000}""")).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("succeeded", refund.GetProperty("status").GetString());
        var call = Assert.Single(_stripe.Calls, c => c.Path == "refunds");
        Assert.Equal(intent, call.Form["payment_intent"]);
        Assert.Equal("50000", call.Form["amount"]);
        Assert.Equal(refund.GetProperty("id").GetString(), call.IdempotencyKey);
        got = await GetAsync(api, link);
        Assert.Equal("partially_refunded", got.GetProperty("status").GetString());
        Assert.Equal(50000, got.GetProperty("payments")[0].GetProperty("refunded").GetInt64());
    }

    [Fact]
    public async Task Webhook_BadSignature_OrOldTimestamp_IsRejected()
    {
        var (api, account) = await MerchantAsync();
        var (link, session, intent) = await CheckoutAsync(api);
        _stripe.Succeed(intent);
        var body = _stripe.SessionCompleted(session, Now);

        await (await WebhookAsync(account, body, FakeStripe.Sign(body, Now, "whsec_someoneElsesSecret"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await WebhookAsync(account, body + " ", FakeStripe.Sign(body, Now))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await WebhookAsync(account, body, FakeStripe.Sign(body, Now - 301))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await WebhookAsync(account, body, $"t={Now},v0=" + FakeStripe.Sign(body, Now).Split("v1=")[1])).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(_stripe.Calls, c => c.Path.StartsWith("payment_intents", StringComparison.Ordinal));
        Assert.Equal("open", (await GetAsync(api, link)).GetProperty("status").GetString());

        // Within the 300 s tolerance on the app's clock it is accepted.
        host.Clock.Advance(TimeSpan.FromSeconds(200));
        Assert.Equal(HttpStatusCode.OK, (await WebhookAsync(account, body, FakeStripe.Sign(body, Now - 200))).StatusCode);
        Assert.Equal("paid", (await GetAsync(api, link)).GetProperty("status").GetString());
    }
}

public sealed class StripeFlowSqliteTests(GatewaysSqliteHost host) : StripeFlowTests<GatewaysSqliteHost>(host);
public sealed class StripeFlowPostgresTests(GatewaysPostgresHost host) : StripeFlowTests<GatewaysPostgresHost>(host);
