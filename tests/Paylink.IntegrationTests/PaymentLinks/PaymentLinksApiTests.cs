using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.PaymentLinks;

public abstract class PaymentLinksApiTests<THost>(THost host) : IClassFixture<THost> where THost : PaylinkHost
{
    [Fact]
    public async Task Create_ValidBody_Returns201WithContractShape()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var now = host.Clock.GetUtcNow();
        var r = await c.PostJsonAsync("/api/v1/links", """
            {"amount":250000,"currency":"RUB","description":"Маникюр с покрытием",
             "customer":{"name":"Анна","phone":"+79161234567","email":"anna@example.com"},
             "items":[{"name":"Маникюр","quantity":1,"amount":250000}],
             "expiresAt":"2026-11-20T12:00:00+03:00","orderId":"A-100","metadata":{"source":"test"}}
            """);
        var link = await r.ReadJsonAsync(HttpStatusCode.Created);
        Assert.StartsWith("lnk_", link.GetProperty("id").GetString());
        var code = link.GetProperty("code").GetString()!;
        Assert.Equal("http://localhost/p/" + code, link.GetProperty("url").GetString());
        Assert.Equal("open", link.GetProperty("status").GetString());
        Assert.Equal(250000, link.GetProperty("amount").GetInt64());
        Assert.Equal("RUB", link.GetProperty("currency").GetString());
        Assert.Equal("Маникюр с покрытием", link.GetProperty("description").GetString());
        Assert.Equal("2026-11-20T09:00:00.000Z", link.GetProperty("expiresAt").GetString());
        Assert.Equal(now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), link.GetProperty("createdAt").GetString());
        Assert.Equal("A-100", link.GetProperty("orderId").GetString());
        Assert.Equal("test", link.GetProperty("metadata").GetProperty("source").GetString());
        Assert.Equal("/api/v1/links/" + link.GetProperty("id").GetString(), r.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Create_ItemsOnly_AmountIsTheirSum()
    {
        var m = await host.NewMerchantAsync();
        var r = await host.Client(m.ApiKey).PostJsonAsync("/api/v1/links",
            """{"currency":"RUB","description":"Два товара","items":[{"name":"A","quantity":2,"amount":100000},{"name":"B","quantity":1,"amount":5050}]}""");
        var link = await r.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(105050, link.GetProperty("amount").GetInt64());
        Assert.Equal(2, link.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Get_ReturnsSameShapePlusPayments()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var created = await c.CreateLinkAsync();
        var id = created.GetProperty("id").GetString();
        var got = await (await c.GetAsync($"/api/v1/links/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        foreach (var p in new[] { "id", "code", "url", "status", "amount", "currency", "description", "expiresAt", "createdAt" })
            Assert.Equal(created.GetProperty(p).ToString(), got.GetProperty(p).ToString());
        Assert.Equal(JsonValueKind.Null, got.GetProperty("paidAt").ValueKind);
        Assert.Equal(0, got.GetProperty("payments").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"amount":"250000","currency":"RUB","description":"x"}""", "amount")]
    [InlineData("""{"amount":1e30,"currency":"RUB","description":"x"}""", "amount")]
    [InlineData("""{"amount":99999999999999999999,"currency":"RUB","description":"x"}""", "amount")]
    [InlineData("""{"amount":250000,"currency":"RUB","description":"x","ammount":1}""", "ammount")]
    [InlineData("""{"amount":250000,"currency":"RUB","description":"x","expiresAt":"tomorrow"}""", "expiresAt")]
    [InlineData("""{"amount":250000,"currency":"RUB","description":"x","items":{}}""", "items")]
    [InlineData("""{"amount":250000,"currency":"RUB",""", "body")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""null""", "body")]
    public async Task Create_MalformedJson_Returns400NamingTheField(string json, string field)
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        await (await c.PostJsonAsync("/api/v1/links", json)).AssertProblemAsync(HttpStatusCode.BadRequest, field);
        await AssertNoLinksAsync(c);
    }

    [Theory]
    [InlineData("""{"amount":0,"currency":"RUB","description":"x"}""", "amount")]
    [InlineData("""{"amount":-100,"currency":"RUB","description":"x"}""", "amount")]
    [InlineData("""{"amount":10000000001,"currency":"RUB","description":"x"}""", "amount")]
    [InlineData("""{"currency":"RUB","description":"x"}""", "amount")]
    [InlineData("""{"amount":100,"currency":"XXX","description":"x"}""", "currency")]
    [InlineData("""{"amount":100,"currency":"rub","description":"x"}""", "currency")]
    [InlineData("""{"amount":100,"description":"x"}""", "currency")]
    [InlineData("""{"amount":100,"currency":"RUB"}""", "description")]
    [InlineData("""{"amount":100,"currency":"RUB","description":"   "}""", "description")]
    [InlineData("""{"amount":300,"currency":"RUB","description":"x","items":[{"name":"a","quantity":1,"amount":100}]}""", "items")]
    [InlineData("""{"currency":"RUB","description":"x","items":[{"name":"a","quantity":0,"amount":100}]}""", "items[0].quantity")]
    [InlineData("""{"currency":"RUB","description":"x","items":[{"quantity":1,"amount":100}]}""", "items[0].name")]
    [InlineData("""{"currency":"RUB","description":"x","items":[{"name":"a","amount":-5}]}""", "items[0].amount")]
    [InlineData("""{"currency":"RUB","description":"x","items":[{"name":"a","amount":9000000000000000000},{"name":"b","amount":9000000000000000000}]}""", "items[0].amount")]
    [InlineData("""{"amount":100,"currency":"RUB","description":"x","expiresAt":"2026-11-18T06:00:00Z"}""", "expiresAt")]
    [InlineData("""{"amount":100,"currency":"RUB","description":"x","expiresAt":"2027-11-18T06:00:00Z"}""", "expiresAt")]
    [InlineData("""{"amount":100,"currency":"RUB","description":"x","customer":{"phone":"12345"}}""", "customer.phone")]
    [InlineData("""{"amount":100,"currency":"RUB","description":"x","customer":{"email":"not-an-email"}}""", "customer.email")]
    [InlineData("""{"amount":100,"currency":"RUB","description":"x","orderId":"has space"}""", "orderId")]
    [InlineData("""{"amount":100,"currency":"RUB","description":"x","gateway":"gwa_nope"}""", "gateway")]
    public async Task Create_InvalidValues_Returns422NamingTheField(string json, string field)
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        await (await c.PostJsonAsync("/api/v1/links", json)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, field);
        await AssertNoLinksAsync(c);
    }

    [Fact]
    public async Task Create_OverlongDescription_Returns422()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var r = await c.PostAsJsonAsync("/api/v1/links", new { amount = 100, currency = "RUB", description = new string('я', 501) });
        await r.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "description");
    }

    [Fact]
    public async Task Create_WrongContentType_Returns400()
    {
        var m = await host.NewMerchantAsync();
        var r = await host.Client(m.ApiKey).PostAsync("/api/v1/links", new StringContent("amount=1"));
        await r.AssertProblemAsync(HttpStatusCode.BadRequest, "body");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("pl_live_unknownkeyunknownkeyunknownkeyunknownkey")]
    [InlineData("garbage")]
    public async Task AnyEndpoint_WithoutValidKey_Returns401(string? key)
    {
        var c = host.Client(key);
        await (await c.PostJsonAsync("/api/v1/links", """{"amount":100,"currency":"RUB","description":"x"}""")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var r = await c.GetAsync("/api/v1/links");
        await r.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", r.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task RevokedKey_Returns401()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        await c.CreateLinkAsync();
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Paylink.Core.Data.AppDbContext>();
            var keyId = db.ApiKeys.Single(k => k.MerchantId == m.Merchant.Id).Id;
            var revoked = await scope.ServiceProvider.GetRequiredService<Paylink.Core.Merchants.RevokeApiKey>().HandleAsync(keyId, default);
            Assert.True(revoked.IsSuccess);
        }
        await (await c.GetAsync("/api/v1/links")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task KeyRevokedElsewhere_StopsWorkingOnTheNextRequest()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        await (await c.GetAsync("/api/v1/links")).ReadJsonAsync(HttpStatusCode.OK);   // authenticated once: any cache is warm
        // Another instance (or the CLI) revokes it with a plain database write, never touching this process.
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Paylink.Core.Data.AppDbContext>();
            var now = host.Clock.GetUtcNow();
            Assert.Equal(1, await db.ApiKeys.Where(k => k.MerchantId == m.Merchant.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now)));
        }
        await (await c.GetAsync("/api/v1/links")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OtherMerchantsLink_IsNotFoundForEveryEndpoint()
    {
        var a = await host.NewMerchantAsync("A");
        var b = await host.NewMerchantAsync("B");
        var ca = host.Client(a.ApiKey);
        var cb = host.Client(b.ApiKey);
        var link = await ca.CreateLinkAsync();
        var id = link.GetProperty("id").GetString();
        await (await cb.GetAsync($"/api/v1/links/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await cb.PostAsync($"/api/v1/links/{id}/cancel", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        var list = await (await cb.GetAsync("/api/v1/links")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        // and A's link is untouched
        var still = await (await ca.GetAsync($"/api/v1/links/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("open", still.GetProperty("status").GetString());
    }

    [Fact]
    public async Task IdempotencyKey_SameBody_ReturnsSameLink()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        const string body = """{"amount":150000,"currency":"RUB","description":"Стрижка"}""";
        var first = await Send(c, body, "key-1");
        var second = await Send(c, body, "key-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        var id = (await first.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        Assert.Equal("/api/v1/links/" + id, first.Headers.Location?.ToString());
        Assert.Equal("/api/v1/links/" + id, second.Headers.Location?.ToString());
        var list = await (await c.GetAsync("/api/v1/links")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task IdempotencyKey_DifferentBody_Returns409AndCreatesNothing()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        await Send(c, """{"amount":150000,"currency":"RUB","description":"Стрижка"}""", "key-2");
        var r = await Send(c, """{"amount":999,"currency":"RUB","description":"Стрижка"}""", "key-2");
        await r.AssertProblemAsync(HttpStatusCode.Conflict);
        var list = await (await c.GetAsync("/api/v1/links")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task IdempotencyKey_ConcurrentSameKey_CreatesOneLink()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        const string body = """{"amount":70000,"currency":"RUB","description":"Параллельно"}""";
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Send(c, body, "race-key")));
        var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        Assert.Single(bodies.Distinct());
        // Every answer points at the one link that exists, including requests whose own insert lost the race.
        var id = System.Text.Json.JsonDocument.Parse(bodies[0]).RootElement.GetProperty("id").GetString();
        Assert.All(answers, a => Assert.Equal("/api/v1/links/" + id, a.Headers.Location?.ToString()));
        var list = await (await c.GetAsync("/api/v1/links")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task IdempotencyKey_TooLong_Returns400()
    {
        var m = await host.NewMerchantAsync();
        var r = await Send(host.Client(m.ApiKey), """{"amount":100,"currency":"RUB","description":"x"}""", new string('k', 256));
        await r.AssertProblemAsync(HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    [Fact]
    public async Task List_PaginatesNewestFirstWithCursor()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await c.CreateLinkAsync(1000 + i)).GetProperty("id").GetString()!);
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await c.GetAsync($"/api/v1/links?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadJsonAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        ids.Reverse();
        Assert.Equal(ids, seen);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?status=done", "status")]
    [InlineData("?cursor=xyz", "cursor")]
    public async Task List_BadQuery_Returns422(string query, string field)
    {
        var m = await host.NewMerchantAsync();
        await (await host.Client(m.ApiKey).GetAsync("/api/v1/links" + query)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, field);
    }

    [Fact]
    public async Task List_FiltersByStatus_ExpiredIncludesOverdueOpen()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var soon = await (await c.PostJsonAsync("/api/v1/links",
            $$"""{"amount":100,"currency":"RUB","description":"x","expiresAt":"{{host.Clock.GetUtcNow().AddMinutes(10):O}}"}""")).ReadJsonAsync(HttpStatusCode.Created);
        await c.CreateLinkAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(11));
        var expired = await (await c.GetAsync("/api/v1/links?status=expired")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(soon.GetProperty("id").GetString(), Assert.Single(expired.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var open = await (await c.GetAsync("/api/v1/links?status=open")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, open.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Cancel_OpenLink_CancelsAndIsIdempotent()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var id = (await c.CreateLinkAsync()).GetProperty("id").GetString();
        var first = await (await c.PostAsync($"/api/v1/links/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", first.GetProperty("status").GetString());
        var again = await (await c.PostAsync($"/api/v1/links/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", again.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancel_UnknownLink_Returns404()
    {
        var m = await host.NewMerchantAsync();
        await (await host.Client(m.ApiKey).PostAsync("/api/v1/links/lnk_nope/cancel", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task AssertNoLinksAsync(HttpClient c)
    {
        var list = await (await c.GetAsync("/api/v1/links")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    private static Task<HttpResponseMessage> Send(HttpClient c, string body, string key)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/v1/links") { Content = HttpAssert.Json(body) };
        req.Headers.Add("Idempotency-Key", key);
        return c.SendAsync(req);
    }
}

public sealed class PaymentLinksApiSqliteTests(SqliteHost host) : PaymentLinksApiTests<SqliteHost>(host);
public sealed class PaymentLinksApiPostgresTests(PostgresHost host) : PaymentLinksApiTests<PostgresHost>(host);
