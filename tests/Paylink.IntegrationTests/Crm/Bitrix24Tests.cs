using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Paylink.Core.Crm;
using Paylink.IntegrationTests.Bookings;
using Paylink.IntegrationTests.Infrastructure;
using Paylink.Providers.Crm.Bitrix24;

namespace Paylink.IntegrationTests.Crm;

public class Bitrix24Host(Db kind) : BookingsHost(kind)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>(base.ExtraSettings) { ["Crm:Bitrix24:Burst"] = "100" };
}
public sealed class Bitrix24SqliteHost() : Bitrix24Host(Db.Sqlite);
public sealed class Bitrix24PostgresHost() : Bitrix24Host(Db.Postgres);

/// <summary>The Bitrix24 connector against a fake portal: settings, push with dedupe, error classes, inbound events, reconciliation.</summary>
public abstract class Bitrix24Tests<THost>(THost host) : IClassFixture<THost>, IAsyncLifetime where THost : Bitrix24Host
{
    private const string Token = "app-token-0123456789";
    private const string Stages = """{"invoiceSent":"PREPAYMENT_INVOICE","paid":"WON","refunded":"APOLOGY","noShow":"LOSE","issueInvoice":"FINAL_INVOICE"}""";
    private FakeBitrix24 _portal = null!;

    public async Task InitializeAsync() => _portal = await FakeBitrix24.StartAsync();
    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task<(HttpClient Api, string AccountId)> ConnectAsync(string stages = Stages)
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var r = await api.PostJsonAsync("/api/v1/crm-accounts",
            $$$"""{"provider":"bitrix24","settings":{"webhookUrl":"{{{_portal.WebhookUrl}}}","applicationToken":"{{{Token}}}","stages":{{{stages}}},"createTasks":true}}""");
        return (api, (await r.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);
    }

    private static async Task<JsonElement> LinkAsync(HttpClient api, string phone = "+79161234567") =>
        await (await api.PostJsonAsync("/api/v1/links", $$$"""{"amount":150000,"currency":"RUB","description":"Стрижка","customer":{"name":"Анна","phone":"{{{phone}}}"}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);

    private async Task PayAsync(JsonElement link)
    {
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        await host.Client().PostAsync(pay.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
    }

    private static async Task<List<JsonElement>> LogAsync(HttpClient api, string account) =>
        (await (await api.GetAsync($"/api/v1/crm-accounts/{account}/log")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();

    private Task<HttpResponseMessage> EventAsync(string account, string dealId, string token = Token, string ts = "1795000000") =>
        host.Client().PostAsync($"/webhooks/bitrix24/{account}", new FormUrlEncodedContent(
        [
            new("event", "ONCRMDEALUPDATE"), new("event_handler_id", "975"), new("data[FIELDS][ID]", dealId), new("ts", ts),
            new("auth[domain]", "example.bitrix24.ru"), new("auth[member_id]", "abc"), new("auth[application_token]", token),
        ]));

    [Fact]
    public async Task Account_ValidatedPerField_Masked_OneAtATime_Tested_Deleted()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var bad = await api.PostJsonAsync("/api/v1/crm-accounts",
            """{"provider":"bitrix24","settings":{"webhookUrl":"http://portal.example/rest/1/abc/","entity":"opportunity","stages":{"paid":"bad stage!","later":"X"},"responsibleId":-1,"foo":1}}""");
        var problem = await bad.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        foreach (var f in new[] { "settings.webhookUrl", "settings.entity", "settings.stages.paid", "settings.stages.later", "settings.responsibleId", "settings.foo" })
            Assert.True(problem.GetProperty("errors").TryGetProperty(f, out _), f);
        await (await api.PostJsonAsync("/api/v1/crm-accounts", """{"provider":"amo","settings":{}}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider");
        Assert.Empty((await (await api.GetAsync("/api/v1/crm-accounts")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        var created = await (await api.PostJsonAsync("/api/v1/crm-accounts",
            $$$"""{"provider":"bitrix24","settings":{"webhookUrl":"{{{_portal.WebhookUrl.TrimEnd('/')}}}","applicationToken":"{{{Token}}}","stages":{{{Stages}}}}}""")).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        var json = created.ToString();
        Assert.DoesNotContain(FakeBitrix24.Code, json);
        Assert.DoesNotContain(Token, json);
        Assert.EndsWith("/rest/1/****c0de/", created.GetProperty("settings").GetProperty("webhookUrl").GetString());
        Assert.Equal($"http://localhost/webhooks/bitrix24/{id}", created.GetProperty("webhookUrl").GetString());
        await (await api.PostJsonAsync("/api/v1/crm-accounts", $$$"""{"provider":"bitrix24","settings":{"webhookUrl":"{{{_portal.WebhookUrl}}}"}}""")).AssertProblemAsync(HttpStatusCode.Conflict);

        var ok = await (await api.PostAsync($"/api/v1/crm-accounts/{id}/test", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(ok.GetProperty("ok").GetBoolean());
        await (await api.PutAsync($"/api/v1/crm-accounts/{id}", HttpAssert.Json("""{"settings":{"stages":{"paid":"WONN"}}}"""))).ReadJsonAsync(HttpStatusCode.OK);
        var wrong = await (await api.PostAsync($"/api/v1/crm-accounts/{id}/test", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("settings.stages.paid=WONN", wrong.GetProperty("detail").GetString());
        await (await api.PutAsync($"/api/v1/crm-accounts/{id}", HttpAssert.Json("""{"settings":{"entity":"x"}}"""))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "settings.entity");

        var (_, intruder) = await host.MerchantWithCatalogAsync();
        await (await intruder.GetAsync($"/api/v1/crm-accounts/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.GetAsync($"/api/v1/crm-accounts/{id}/log")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.PostAsync($"/api/v1/crm-accounts/{id}/test", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.PutAsync($"/api/v1/crm-accounts/{id}", HttpAssert.Json("""{"settings":{"entity":"lead"}}"""))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.DeleteAsync($"/api/v1/crm-accounts/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await intruder.GetAsync("/api/v1/crm-accounts")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/crm-accounts/{id}")).StatusCode);
        await (await api.GetAsync($"/api/v1/crm-accounts/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Push_ContactWithSeveralPhones_OneContactOneDeal_StageAndNotes_NoDuplicatesOnRepeat()
    {
        var known = _portal.AddContact("Анна", "+7 (999) 000-00-00", "8 916 123-45-67");
        var (api, account) = await ConnectAsync();
        var link = await LinkAsync(api);
        await host.DrainAsync();
        var deal = Assert.Single(_portal.Deals.Values);
        Assert.Equal(known.ToString(System.Globalization.CultureInfo.InvariantCulture), deal["CONTACT_ID"]!.ToString());
        Assert.Equal("paylink", deal["ORIGINATOR_ID"]!.ToString());
        Assert.Equal("1500.00", decimal.Parse(deal["OPPORTUNITY"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, _portal.Count("crm.contact.add"));

        await PayAsync(link);
        await host.DrainAsync();
        Assert.Equal("WON", deal["STAGE_ID"]!.ToString());
        Assert.Contains(_portal.Comments, c => c.Comment.StartsWith("Оплачено", StringComparison.Ordinal) && c.Comment.Contains("sandbox"));
        var comments = _portal.Comments.Count;

        // A second request of the same person: the same contact, a second deal; nothing repeated for the first.
        await LinkAsync(api, "89161234567");
        await host.DrainAsync();
        Assert.Equal(2, _portal.Deals.Count);
        Assert.All(_portal.Deals.Values, d => Assert.Equal(known.ToString(System.Globalization.CultureInfo.InvariantCulture), d["CONTACT_ID"]!.ToString()));
        Assert.Equal(0, _portal.Count("crm.contact.add"));
        Assert.Equal(2, _portal.Count("crm.deal.add"));
        Assert.Equal(comments + 1, _portal.Comments.Count);
        Assert.Contains(await LogAsync(api, account), l => l.GetProperty("operation").GetString() == "deal.add");
    }

    [Fact]
    public async Task Push_NewContact_CreatedOnce_AndNoShowTaskForManager()
    {
        var (api, _) = await ConnectAsync();
        var b = await host.BookAsync(api, "2026-11-19T15:00:00+03:00", phone: "+79035550101");
        await host.DrainAsync();
        Assert.Equal(1, _portal.Count("crm.contact.add"));
        await (await api.PostAsync($"/api/v1/bookings/{b.GetProperty("id").GetString()}/no-show", null)).ReadJsonAsync(HttpStatusCode.OK);
        await host.DrainAsync();
        Assert.Equal("LOSE", Assert.Single(_portal.Deals.Values)["STAGE_ID"]!.ToString());
        var task = Assert.Single(_portal.Tasks);
        Assert.Equal(1, task["RESPONSIBLE_ID"]!.GetValue<int>());
        Assert.Equal(1, _portal.Count("crm.contact.add"));
    }

    [Fact]
    public async Task ExpiredWebhook_Permanent_LoggedAndShownOnAccount()
    {
        var (api, account) = await ConnectAsync();
        _portal.Expired = true;
        await LinkAsync(api);
        await host.DrainAsync();
        Assert.Empty(_portal.Deals);
        var error = Assert.Single(await LogAsync(api, account), l => l.GetProperty("level").GetString() == "error");
        Assert.Contains("expired_token", error.GetProperty("message").GetString());
        Assert.DoesNotContain(FakeBitrix24.Code, error.GetProperty("message").GetString());
        var view = await (await api.GetAsync($"/api/v1/crm-accounts/{account}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains("new incoming webhook", view.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task DeletedDeal_And_WrongStageId_ArePermanentErrorsInTheLog()
    {
        var (api, account) = await ConnectAsync("""{"paid":"WONN","invoiceSent":"PREPAYMENT_INVOICE"}""");
        var link = await LinkAsync(api);
        await host.DrainAsync();
        var deal = Assert.Single(_portal.Deals.Values);
        await PayAsync(link);
        await host.DrainAsync();
        Assert.Equal("NEW", deal["STAGE_ID"]!.ToString());
        Assert.Contains(await LogAsync(api, account), l => l.GetProperty("level").GetString() == "error"
            && l.GetProperty("message").GetString()!.Contains("wrong_stage") && l.GetProperty("message").GetString()!.Contains("settings.stages.paid"));

        var second = await LinkAsync(api, "+79035550199");
        await host.DrainAsync();
        _portal.Deals.Remove(_portal.Deals.Keys.Max());
        await (await api.PostAsync($"/api/v1/links/{second.GetProperty("id").GetString()}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);
        await host.DrainAsync();
        Assert.Contains(await LogAsync(api, account), l => l.GetProperty("level").GetString() == "error" && l.GetProperty("message").GetString()!.Contains("not_found"));
        Assert.Single(_portal.Deals);
    }

    [Fact]
    public async Task RateLimitAnd503_RetriedLater_NoDuplicateDeal()
    {
        var (api, account) = await ConnectAsync();
        _portal.FailNext.Enqueue((503, "QUERY_LIMIT_EXCEEDED", "Too many requests"));
        _portal.FailNext.Enqueue((429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit."));
        _portal.FailNext.Enqueue((500, "INTERNAL_SERVER_ERROR", "Internal server error"));
        await LinkAsync(api);
        for (var i = 0; i < 4; i++)
        {
            await host.DrainAsync();
            host.Clock.Advance(TimeSpan.FromMinutes(5));
        }
        var log = await LogAsync(api, account);
        Assert.Equal(3, log.Count(l => l.GetProperty("level").GetString() == "retry"));
        Assert.DoesNotContain(log, l => l.GetProperty("level").GetString() == "error");
        Assert.Single(_portal.Deals);
        Assert.Equal(1, _portal.Count("crm.deal.add"));
    }

    [Fact]
    public async Task PortalDown_PaymentUnaffected_PushRetriedUntilItAnswers()
    {
        var (api, account) = await ConnectAsync();
        await _portal.DisposeAsync();
        var link = await LinkAsync(api);
        await PayAsync(link);
        Assert.Equal("paid", (await (await api.GetAsync("/api/v1/links/" + link.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        await host.DrainAsync();
        var log = await LogAsync(api, account);
        Assert.NotEmpty(log);
        Assert.All(log, l => Assert.Equal("retry", l.GetProperty("level").GetString()));
        _portal = await FakeBitrix24.StartAsync();
    }

    [Fact]
    public void Limiter_TokenBucketPerPortal_SaysHowLongToWait()
    {
        var clock = new FakeTimeProvider(PaylinkHost.Start);
        var limiter = new Bitrix24RateLimiter(Options.Create(new Bitrix24Options { RequestsPerSecond = 2, Burst = 3 }), clock);
        Assert.True(limiter.TryAcquire("a.bitrix24.ru", out _));
        Assert.True(limiter.TryAcquire("a.bitrix24.ru", out _));
        Assert.True(limiter.TryAcquire("a.bitrix24.ru", out _));
        Assert.False(limiter.TryAcquire("a.bitrix24.ru", out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(500), wait);
        Assert.True(limiter.TryAcquire("b.bitrix24.ru", out _));
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(limiter.TryAcquire("a.bitrix24.ru", out _));
        Assert.False(limiter.TryAcquire("a.bitrix24.ru", out _));
    }

    [Fact]
    public async Task IssuedLink_GoesToTheClientBySms_WhenTheMerchantHasAnSmsAccount()
    {
        await using var exolve = await Paylink.IntegrationTests.Channels.FakeExolve.StartAsync();
        var (api, account) = await ConnectAsync();
        (await api.PostJsonAsync("/api/v1/channel-accounts",
            $$$"""{"provider":"exolve","name":"SMS","settings":{"apiKey":"{{{Paylink.IntegrationTests.Channels.FakeExolve.ApiKey}}}","sender":"79990001122","baseUrl":"{{{exolve.Url}}}"}}"""))
            .EnsureSuccessStatusCode();
        var contact = _portal.AddContact("Ирина", "+79161112244");
        var dealId = _portal.AddDeal("Стрижка", "FINAL_INVOICE", 3000m, contact, PaylinkHost.Start);
        Assert.Equal("ok", await (await EventAsync(account, dealId.ToString(System.Globalization.CultureInfo.InvariantCulture))).Content.ReadAsStringAsync());
        await host.DrainAsync();
        await host.DrainAsync();

        var local = Assert.Single((await (await api.GetAsync("/api/v1/crm/deals")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        var link = await (await api.GetAsync("/api/v1/links/" + local.GetProperty("linkId").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        var sms = Assert.Single(exolve.Calls, c => c.Method == "SendSMS");
        var body = System.Text.Json.JsonDocument.Parse(sms.Body).RootElement;
        Assert.Equal("79161112244", body.GetProperty("destination").GetString());
        Assert.Contains(new Uri(link.GetProperty("url").GetString()!).AbsolutePath, body.GetProperty("text").GetString());
        var tasks = await (await api.GetAsync("/api/v1/crm/tasks?status=open")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(tasks.GetProperty("items").EnumerateArray(), t => t.GetProperty("text").GetString()!.Contains(link.GetProperty("url").GetString()!));
    }

    [Fact]
    public async Task Inbound_ForgedRefused_DuplicateDropped_IssueStageMakesLinkFromProducts()
    {
        var (api, account) = await ConnectAsync();
        var contact = _portal.AddContact("Ольга", "+79161112233");
        var dealId = _portal.AddDeal("Окрашивание", "FINAL_INVOICE", 6000m, contact, PaylinkHost.Start);
        _portal.ProductRows[dealId] = [new System.Text.Json.Nodes.JsonObject { ["PRODUCT_NAME"] = "Окрашивание", ["PRICE"] = 2500, ["QUANTITY"] = 2 },
            new System.Text.Json.Nodes.JsonObject { ["PRODUCT_NAME"] = "Уход", ["PRICE"] = "1000.00", ["QUANTITY"] = "1" }];
        var id = dealId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await (await EventAsync(account, id, token: "forged-token-000")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await EventAsync("crm_nope", id)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await host.Client().PostAsync($"/webhooks/bitrix24/{account}", HttpAssert.Json("{}"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        // A chunked 2 MB body (no Content-Length) is refused on the stream, not only by its header.
        var huge = new StreamContent(new UnknownLengthStream(System.Text.Encoding.ASCII.GetBytes("event=ONCRMDEALUPDATE&pad=" + new string('a', 2 * 1024 * 1024))));
        huge.Headers.ContentType = new("application/x-www-form-urlencoded");
        var chunked = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/bitrix24/{account}") { Content = huge };
        chunked.Headers.TransferEncodingChunked = true;
        Assert.Null(chunked.Content.Headers.ContentLength);
        await (await host.Client().SendAsync(chunked)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("ok", await (await EventAsync(account, id)).Content.ReadAsStringAsync());
        Assert.Equal("duplicate", await (await EventAsync(account, id)).Content.ReadAsStringAsync());
        await host.DrainAsync();

        var deals = await (await api.GetAsync("/api/v1/crm/deals")).ReadJsonAsync(HttpStatusCode.OK);
        var local = Assert.Single(deals.GetProperty("items").EnumerateArray());
        Assert.Equal("bitrix24", local.GetProperty("source").GetString());
        var link = await (await api.GetAsync("/api/v1/links/" + local.GetProperty("linkId").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(600000, link.GetProperty("amount").GetInt64());
        Assert.Equal(2, link.GetProperty("items").GetArrayLength());
        Assert.Equal($"b24-{id}", link.GetProperty("orderId").GetString());
        var tasks = await (await api.GetAsync("/api/v1/crm/tasks?status=open")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(link.GetProperty("url").GetString()!, Assert.Single(tasks.GetProperty("items").EnumerateArray()).GetProperty("text").GetString());
        // The link's own events went to the same remote deal, never a new one.
        Assert.Equal(0, _portal.Count("crm.deal.add"));
        Assert.Contains(_portal.Comments, c => c.EntityId == dealId && c.Comment.Contains(link.GetProperty("url").GetString()!));

        // A later event for the same deal issues nothing more.
        Assert.Equal("ok", await (await EventAsync(account, id, ts: "1795000999")).Content.ReadAsStringAsync());
        await host.DrainAsync();
        Assert.Single((await (await api.GetAsync("/api/v1/links")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Reconciliation_FindsDealWhoseEventWasMissed()
    {
        var (api, _) = await ConnectAsync();
        var contact = _portal.AddContact("Ирина", "+79161112299");
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        _portal.AddDeal("Маникюр", "FINAL_INVOICE", 2500m, contact, host.Clock.GetUtcNow());
        _portal.AddDeal("Старая сделка", "FINAL_INVOICE", 2500m, contact, PaylinkHost.Start.AddDays(-3));
        _portal.AddDeal("Другая стадия", "NEW", 2500m, contact, host.Clock.GetUtcNow());
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ReconcileCrmDeals>().RunAsync(CancellationToken.None);
        await host.DrainAsync();
        var links = (await (await api.GetAsync("/api/v1/links")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items");
        Assert.Equal(250000, Assert.Single(links.EnumerateArray()).GetProperty("amount").GetInt64());
    }
}

public sealed class Bitrix24SqliteTests(Bitrix24SqliteHost host) : Bitrix24Tests<Bitrix24SqliteHost>(host);
public sealed class Bitrix24PostgresTests(Bitrix24PostgresHost host) : Bitrix24Tests<Bitrix24PostgresHost>(host);

/// <summary>A body whose length is not known up front (what a chunked upload looks like to the server).</summary>
internal sealed class UnknownLengthStream(byte[] data) : Stream
{
    private readonly MemoryStream _inner = new(data);
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
