using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Gateways;

/// <summary>A link paid through YooKassa (fake API on 127.0.0.1) end to end through the host: unsigned notifications
/// accepted only from YooKassa's networks and trusted only after a re-fetch; 202 handling; holds; refunds with receipts.</summary>
public abstract class YooKassaFlowTests<THost>(THost host) : IClassFixture<THost>, IAsyncLifetime where THost : GatewaysHost
{
    private const string YooKassaIp = "185.71.76.5";   // inside 185.71.76.0/27
    private FakeYooKassa _kassa = null!;

    public async Task InitializeAsync() => _kassa = await FakeYooKassa.StartAsync();
    public async Task DisposeAsync() => await _kassa.DisposeAsync();

    private async Task<(HttpClient Api, string AccountId)> MerchantAsync(bool receipts = false)
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var created = await (await api.PostJsonAsync("/api/v1/gateway-accounts",
            $$$"""{"provider":"yookassa","name":"ЮKassa","settings":{"shopId":"{{{FakeYooKassa.ShopId}}}","secretKey":"{{{FakeYooKassa.SecretKey}}}","baseUrl":"{{{_kassa.Url}}}"}}""")).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.DoesNotContain(FakeYooKassa.SecretKey, created.GetRawText());
        (await api.PostJsonAsync("/api/v1/gateway-accounts/order", $$"""{"ids":["{{id}}"]}""")).EnsureSuccessStatusCode();
        if (receipts)
            (await api.PutAsync("/api/v1/fiscal-settings", HttpAssert.Json("""{"receiptsEnabled":true,"taxSystem":"usn_income","defaultVat":"none","paymentMethod":"full_payment","defaultPaymentObject":"service","defaultMeasure":"piece","ffdVersion":"1.2"}"""))).EnsureSuccessStatusCode();
        return (api, id);
    }

    private static async Task<JsonElement> LinkAsync(HttpClient api, string extra = "") =>
        await (await api.PostJsonAsync("/api/v1/links", $$"""{"amount":150000,"currency":"RUB","description":"Окрашивание","customer":{"email":"buyer@example.com","phone":"+79161234567"}{{extra}}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);

    /// <summary>Pays the link: 303 to YooKassa's confirmation page; returns the YooKassa payment.</summary>
    private async Task<JsonObject> CheckoutAsync(JsonElement link)
    {
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, pay.StatusCode);
        var payment = Assert.Single(_kassa.Payments.Values, p => p["metadata"]!["paylink_link"]?.GetValue<string>() == link.GetProperty("id").GetString());
        Assert.Equal(payment["confirmation"]!["confirmation_url"]!.GetValue<string>(), pay.Headers.Location!.ToString());
        return payment;
    }

    private Task<HttpResponseMessage> NotifyAsync(string account, byte[] body, string? remoteIp = YooKassaIp, string? forwardedFor = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/yookassa/{account}") { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new("application/json");
        if (remoteIp is not null) req.Headers.Add(GatewaysHost.RemoteIpHeader, remoteIp);
        if (forwardedFor is not null) req.Headers.Add("X-Forwarded-For", forwardedFor);
        return host.Client().SendAsync(req);
    }

    private static async Task<JsonElement> GetAsync(HttpClient api, JsonElement link) =>
        await (await api.GetAsync("/api/v1/links/" + link.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);

    private static string Status(JsonElement link) => link.GetProperty("status").GetString()!;

    [Fact]
    public async Task Pay_RedirectConfirmation_NotificationRefetched_Paid_DuplicateHarmless()
    {
        var (api, account) = await MerchantAsync();
        var link = await LinkAsync(api);
        var payment = await CheckoutAsync(link);

        var create = Assert.Single(_kassa.CallsTo("POST", "payments"));
        var body = create.Body!;
        Assert.Equal("1500.00", body["amount"]!["value"]!.GetValue<string>());
        Assert.Equal("RUB", body["amount"]!["currency"]!.GetValue<string>());
        Assert.True(body["capture"]!.GetValue<bool>());
        Assert.Equal("redirect", body["confirmation"]!["type"]!.GetValue<string>());
        Assert.StartsWith("http://localhost/p/", body["confirmation"]!["return_url"]!.GetValue<string>());
        Assert.Equal("Окрашивание", body["description"]!.GetValue<string>());
        var attempt = body["metadata"]!["paylink_attempt"]!.GetValue<string>();
        Assert.Equal(attempt, create.IdempotenceKey);

        // The buyer pays; YooKassa notifies.
        payment["status"] = "succeeded";
        payment["paid"] = true;
        var ok = await NotifyAsync(account, FakeYooKassa.Notification("payment.succeeded", payment));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Single(_kassa.CallsTo("GET", "payments/" + payment["id"]!.GetValue<string>()));
        var got = await GetAsync(api, link);
        Assert.Equal("paid", Status(got));
        Assert.Equal(150000, got.GetProperty("payments")[0].GetProperty("amount").GetInt64());

        Assert.Equal(HttpStatusCode.OK, (await NotifyAsync(account, FakeYooKassa.Notification("payment.succeeded", payment))).StatusCode);
        got = await GetAsync(api, link);
        Assert.Equal("paid", Status(got));
        Assert.Single(got.GetProperty("payments").EnumerateArray());
    }

    [Theory]
    [InlineData("203.0.113.7", null)]          // not YooKassa
    [InlineData(null, null)]                   // no peer address at all
    [InlineData("203.0.113.7", YooKassaIp)]   // X-Forwarded-For from a peer that is not a trusted proxy
    public async Task Notification_FromOutsideTheAllowedNetworks_IsRejected(string? remote, string? forwardedFor)
    {
        var (api, account) = await MerchantAsync();
        var link = await LinkAsync(api);
        var payment = await CheckoutAsync(link);
        payment["status"] = "succeeded";

        await (await NotifyAsync(account, FakeYooKassa.Notification("payment.succeeded", payment), remote, forwardedFor)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Empty(_kassa.CallsTo("GET", "payments/"));   // rejected before any re-fetch
        Assert.Equal("open", Status(await GetAsync(api, link)));
    }

    [Fact]
    public async Task Notification_ThroughTrustedProxy_UsesXForwardedFor()
    {
        var (api, account) = await MerchantAsync();
        var link = await LinkAsync(api);
        var payment = await CheckoutAsync(link);
        payment["status"] = "succeeded";

        var ok = await NotifyAsync(account, FakeYooKassa.Notification("payment.succeeded", payment), remoteIp: "127.0.0.1", forwardedFor: YooKassaIp);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("paid", Status(await GetAsync(api, link)));
    }

    [Theory]
    [InlineData("pending", "1500.00")]
    [InlineData("canceled", "1500.00")]
    [InlineData("succeeded", "1.00")]
    public async Task Notification_ThatTheRefetchContradicts_DoesNotMarkPaid(string actualStatus, string actualAmount)
    {
        var (api, account) = await MerchantAsync();
        var link = await LinkAsync(api);
        var payment = await CheckoutAsync(link);

        var claimed = payment.DeepClone().AsObject();
        claimed["status"] = "succeeded";
        claimed["paid"] = true;
        payment["status"] = actualStatus;
        payment["amount"] = new JsonObject { ["value"] = actualAmount, ["currency"] = "RUB" };

        var r = await NotifyAsync(account, FakeYooKassa.Notification("payment.succeeded", claimed));
        Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict, r.StatusCode.ToString());
        Assert.Single(_kassa.CallsTo("GET", "payments/"));
        var got = await GetAsync(api, link);
        Assert.NotEqual("paid", Status(got));
        Assert.Empty(got.GetProperty("payments").EnumerateArray());
    }

    [Fact]
    public async Task Create_Answered202_IsRepeatedWithTheSameKey()
    {
        var (api, _) = await MerchantAsync();
        _kassa.Processing202Next = 1;
        var link = await LinkAsync(api);
        await CheckoutAsync(link);
        var creates = _kassa.CallsTo("POST", "payments").ToList();
        Assert.Equal(2, creates.Count);
        Assert.Equal(creates[0].IdempotenceKey, creates[1].IdempotenceKey);
        Assert.Single(_kassa.Payments);
    }

    [Fact]
    public async Task PartialRefund_CarriesARefundReceipt()
    {
        var (api, account) = await MerchantAsync(receipts: true);
        var link = await LinkAsync(api);
        var payment = await CheckoutAsync(link);
        var receipt = Assert.Single(_kassa.CallsTo("POST", "payments")).Body!["receipt"]!;
        Assert.Equal("buyer@example.com", receipt["customer"]!["email"]!.GetValue<string>());
        Assert.Equal("1500.00", receipt["items"]![0]!["amount"]!["value"]!.GetValue<string>());

        payment["status"] = "succeeded";
        payment["refundable"] = true;
        Assert.Equal(HttpStatusCode.OK, (await NotifyAsync(account, FakeYooKassa.Notification("payment.succeeded", payment))).StatusCode);

        var id = link.GetProperty("id").GetString();
        var refund = await (await api.PostJsonAsync($"/api/v1/links/{id}/refunds", """{"amount":50000,"reason":"частичный возврат"}""")).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("succeeded", refund.GetProperty("status").GetString());
        var call = Assert.Single(_kassa.CallsTo("POST", "refunds"));
        Assert.Equal(refund.GetProperty("id").GetString(), call.IdempotenceKey);
        Assert.Equal(payment["id"]!.GetValue<string>(), call.Body!["payment_id"]!.GetValue<string>());
        Assert.Equal("500.00", call.Body["amount"]!["value"]!.GetValue<string>());
        var items = call.Body["receipt"]!["items"]!.AsArray();
        Assert.Equal(500.00m, items.Sum(i => decimal.Parse(i!["amount"]!["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("buyer@example.com", call.Body["receipt"]!["customer"]!["email"]!.GetValue<string>());
        var got = await GetAsync(api, link);
        Assert.Equal("partially_refunded", Status(got));
        Assert.Equal(50000, got.GetProperty("payments")[0].GetProperty("refunded").GetInt64());

        // YooKassa's refund.succeeded notification afterwards is harmless.
        var r = Assert.Single(_kassa.Refunds.Values);
        Assert.Equal(HttpStatusCode.OK, (await NotifyAsync(account, FakeYooKassa.Notification("refund.succeeded", r))).StatusCode);
        Assert.Equal(50000, (await GetAsync(api, link)).GetProperty("payments")[0].GetProperty("refunded").GetInt64());
    }

    [Fact]
    public async Task CaptureFalse_HoldNotified_ThenCaptured()
    {
        var (api, account) = await MerchantAsync();
        var link = await LinkAsync(api, ""","capture":"manual" """);
        var payment = await CheckoutAsync(link);
        Assert.False(Assert.Single(_kassa.CallsTo("POST", "payments")).Body!["capture"]!.GetValue<bool>());

        payment["status"] = "waiting_for_capture";
        payment["paid"] = true;
        Assert.Equal(HttpStatusCode.OK, (await NotifyAsync(account, FakeYooKassa.Notification("payment.waiting_for_capture", payment))).StatusCode);
        Assert.Equal("authorized", Status(await GetAsync(api, link)));

        var id = link.GetProperty("id").GetString();
        var captured = await (await api.PostJsonAsync($"/api/v1/links/{id}/capture", """{"amount":100000}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", Status(captured));
        Assert.Equal(100000, captured.GetProperty("payments")[0].GetProperty("captured").GetInt64());
        var capture = Assert.Single(_kassa.CallsTo("POST", $"payments/{payment["id"]}/capture"));
        Assert.Equal("1000.00", capture.Body!["amount"]!["value"]!.GetValue<string>());
        Assert.NotNull(capture.IdempotenceKey);

        // The payment.succeeded that follows the capture changes nothing.
        Assert.Equal(HttpStatusCode.OK, (await NotifyAsync(account, FakeYooKassa.Notification("payment.succeeded", payment))).StatusCode);
        var got = await GetAsync(api, link);
        Assert.Equal("paid", Status(got));
        Assert.Equal(100000, got.GetProperty("payments")[0].GetProperty("captured").GetInt64());
    }
}

public sealed class YooKassaFlowSqliteTests(GatewaysSqliteHost host) : YooKassaFlowTests<GatewaysSqliteHost>(host);
public sealed class YooKassaFlowPostgresTests(GatewaysPostgresHost host) : YooKassaFlowTests<GatewaysPostgresHost>(host);
