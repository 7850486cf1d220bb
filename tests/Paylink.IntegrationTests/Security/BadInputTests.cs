using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Payments;
using Paylink.IntegrationTests.Bookings;
using Paylink.IntegrationTests.Dashboard;
using Paylink.IntegrationTests.Gateways;
using Paylink.IntegrationTests.Infrastructure;
using Paylink.Providers.Gateways.Sandbox;

namespace Paylink.IntegrationTests.Security;

/// <summary>The inputs issue 20's fuzzing turned into 500s: each is now a 4xx that says what is wrong.</summary>
public abstract class BadInputTests<THost>(THost host) : IClassFixture<THost> where THost : BookingsHost
{
    private static HttpContent MultipartWithoutBoundary() =>
        new StringContent("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n", Encoding.UTF8, "multipart/form-data");

    [Fact]
    public async Task MultipartWithoutBoundary_OnEveryFormEndpoint_Is400()
    {
        var m = await host.NewMerchantAsync();
        var link = await host.Client(m.ApiKey).CreateLinkAsync();
        var code = link.GetProperty("code").GetString();
        foreach (var url in new[] { $"/p/{code}/pay", "/sandbox/checkout/chk_unknown", "/webhooks/bitrix24/crm_unknown" })
        {
            var r = await host.Client().PostAsync(url, MultipartWithoutBoundary());
            Assert.True(r.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        }
        var dash = host.Dash();
        await dash.PageAsync("/dashboard/signin");
        var signin = await dash.Http.PostAsync("/dashboard/signin", MultipartWithoutBoundary());
        Assert.Equal(HttpStatusCode.BadRequest, signin.StatusCode);
        var problem = await (await host.Client().PostAsync("/webhooks/bitrix24/crm_unknown", MultipartWithoutBoundary()))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "body");
        // Bitrix24 sends only form-urlencoded: any other content type is refused, naming what it must be.
        Assert.Contains("application/x-www-form-urlencoded", problem.GetProperty("detail").GetString());
        Assert.Equal("open", (await (await host.Client(m.ApiKey).GetAsync("/api/v1/links/" + link.GetProperty("id").GetString()))
            .ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("0001-01-01", "9999-12-31", "from")]
    [InlineData("2026-01-01", "9999-12-31", "to")]
    [InlineData("0001-01-01T00:00:00+05:00", "2026-01-01", "from")]
    public async Task PaymentsExport_DatesOutOfRange_Is422NamingTheField(string from, string to, string field)
    {
        var m = await host.NewMerchantAsync();
        var r = await host.Client(m.ApiKey).GetAsync($"/api/v1/payments/export?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}");
        await r.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, field);
    }

    [Fact]
    public async Task LoneSurrogate_InProviderSettings_Is400NamingTheField()
    {
        var m = await host.NewMerchantAsync();
        var r = await host.Client(m.ApiKey).PostJsonAsync("/api/v1/gateway-accounts",
            """{"provider":"sandbox","name":"S","settings":{"secret":"\ud800"}}""");
        var p = await r.AssertProblemAsync(HttpStatusCode.BadRequest, "settings.secret");
        Assert.Contains("Unicode", p.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Booking_StartingAtTheEndOfTime_Is422()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var r = await api.PostJsonAsync("/api/v1/bookings",
            """{"customer":{"name":"Анна","phone":"+79161234567"},"serviceId":"manicure","start":"9999-12-31T00:00:00+00:00"}""");
        await r.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "start");
        var list = await api.GetAsync("/api/v1/bookings?from=0001-01-01T00:00:00%2B05:00&to=9999-12-31T23:59:59-05:00");
        Assert.True((int)list.StatusCode is >= 400 and < 500, $"{(int)list.StatusCode}");
    }

    [Fact]
    public async Task ConcurrentFirstPuts_EndWithOneRowAndAllSucceed()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var policy = (await (await api.GetAsync("/api/v1/reminder-policy")).ReadJsonAsync(HttpStatusCode.OK)).GetRawText();
        var evt = (await (await api.GetAsync("/api/v1/templates")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("event").GetString();
        var puts = new Func<int, Task<HttpResponseMessage>>[]
        {
            _ => api.PutJsonAsync("/api/v1/reminder-policy", policy),
            i => api.PutJsonAsync("/api/v1/assistant/settings", $$"""{"enabled":{{(i % 2 == 0 ? "true" : "false")}}}"""),
            i => api.PutJsonAsync($"/api/v1/templates/{evt}", $$"""{"text":"Текст {{i}}"}"""),
        };
        foreach (var put in puts)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(put));
            foreach (var a in answers) Assert.True(a.StatusCode == HttpStatusCode.OK, $"{(int)a.StatusCode} {await a.Content.ReadAsStringAsync()}");
        }
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = m.Merchant.Id;
        Assert.Equal(1, await db.ReminderPolicies.IgnoreQueryFilters().CountAsync(p => p.MerchantId == id));
        Assert.Equal(1, await db.MerchantSettings.IgnoreQueryFilters().CountAsync(p => p.MerchantId == id && p.Kind == "assistant"));
        Assert.Equal(1, await db.MessageTemplates.IgnoreQueryFilters().CountAsync(p => p.MerchantId == id && p.Event == evt && p.Language == "ru"));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("""{"id":"evt_1","object":"event","data":null}""")]
    [InlineData("""{"object":"event","type":"checkout.session.completed","data":{"object":{"object":"checkout.session"}}}""")]
    public async Task StripeEvent_ValidlySignedMalformedJson_Is400(string body)
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var account = (await (await api.PostJsonAsync("/api/v1/gateway-accounts",
            $$$"""{"provider":"stripe","name":"Stripe","settings":{"secretKey":"{{{FakeStripe.SecretKey}}}","webhookSecret":"{{{FakeStripe.WebhookSecret}}}","baseUrl":"http://127.0.0.1:9/"}}"""))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/stripe/{account}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        req.Headers.Add("Stripe-Signature", FakeStripe.Sign(body, host.Clock.GetUtcNow().ToUnixTimeSeconds()));
        var r = await host.Client().SendAsync(req);
        Assert.True(r.StatusCode == HttpStatusCode.BadRequest, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task SandboxSignature_TimestampBeyondTheCalendar_Is401()
    {
        var m = await host.NewMerchantAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var account = await sp.GetRequiredService<AppDbContext>().GatewayAccounts.IgnoreQueryFilters()
            .FirstAsync(a => a.MerchantId == m.Merchant.Id && a.Provider == "sandbox");
        var secret = sp.GetRequiredService<GatewayAccounts>().Open(account).Value.Context.Settings["secret"]!.GetValue<string>();
        var body = """{"id":"evt_x","type":"checkout.succeeded"}"""u8.ToArray();
        Assert.Equal("timestamp outside tolerance", SandboxSignature.Verify(secret, SandboxSignature.Sign(secret, 99999999999999, body), body, host.Clock.GetUtcNow()));
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/sandbox/{account.Id}") { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new("application/json");
        req.Headers.TryAddWithoutValidation(SandboxSignature.Header, SandboxSignature.Sign(secret, 99999999999999, body));
        var r = await host.Client().SendAsync(req);
        Assert.True((int)r.StatusCode is >= 400 and < 500, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }
}

public sealed class SqliteBadInputTests(BookingsSqliteHost host) : BadInputTests<BookingsSqliteHost>(host);
public sealed class PostgresBadInputTests(BookingsPostgresHost host) : BadInputTests<BookingsPostgresHost>(host);
