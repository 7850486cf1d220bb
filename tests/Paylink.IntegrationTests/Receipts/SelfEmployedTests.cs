using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Receipts;
using Paylink.IntegrationTests.Bookings;
using Paylink.IntegrationTests.Dashboard;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Receipts;

/// <summary>A host whose «Мой налог» is the wire-level fake (the deployment-level base URL override).</summary>
public class SelfEmployedHost(Db kind) : BookingsHost(kind), IAsyncLifetime
{
    public FakeMoyNalog Fake { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>(base.ExtraSettings) { ["Receipts:MoyNalog:BaseUrl"] = Fake.BaseUrl };

    public new async Task InitializeAsync()
    {
        Fake = await FakeMoyNalog.StartAsync();
        await base.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
public sealed class SelfEmployedSqliteHost() : SelfEmployedHost(Db.Sqlite);
public sealed class SelfEmployedPostgresHost() : SelfEmployedHost(Db.Postgres);

/// <summary>НПД: the tax regime, the «Мой налог» connection, receipts registered once per payment (through outages,
/// unknown outcomes, expired tokens and wrong credentials), cancelled and re-registered on refunds, shown to the buyer.</summary>
public abstract class SelfEmployedTests<THost>(THost host) : IClassFixture<THost>, IAsyncLifetime where THost : SelfEmployedHost
{
    private FakeMoyNalog Fake => host.Fake;

    public async Task InitializeAsync()
    {
        // Earlier tests of this class share the host and may leave retries due later (an outage, an unknown outcome).
        // Run them out against a healthy fake now, or one could register its income in this test's fake mid-test.
        Fake.Reset();
        for (var i = 0; i < 3; i++)
        {
            host.Clock.Advance(TimeSpan.FromHours(2));
            await host.DrainAsync();
        }
        Fake.Reset();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpClient> NpdMerchantAsync(bool connect = true)
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        await (await api.PutJsonAsync("/api/v1/fiscal-settings", """{"taxSystem":"npd"}""")).ReadJsonAsync(HttpStatusCode.OK);
        if (connect) await ConnectAsync(api);
        return api;
    }

    private static async Task<JsonElement> ConnectAsync(HttpClient api, string password = "correct-horse") =>
        await (await api.PutJsonAsync("/api/v1/self-employed", $$$"""{"settings":{"inn":"{{{FakeMoyNalog.Inn}}}","password":"{{{password}}}"}}"""))
            .ReadJsonAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> LinkAsync(HttpClient api, string extra = "") =>
        await (await api.PostJsonAsync("/api/v1/links",
            $$$"""{"amount":350000,"currency":"RUB","description":"Тренировка","items":[{"name":"Персональная тренировка","quantity":1,"amount":250000},{"name":"Разминка","quantity":2,"amount":100000}]{{{extra}}}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);

    private async Task PayAsync(JsonElement link)
    {
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        await host.Client().PostAsync(pay.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
    }

    private static async Task<List<JsonElement>> ReceiptsAsync(HttpClient api, string query = "") =>
        (await (await api.GetAsync("/api/v1/self-employed/receipts" + query)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();

    /// <summary>Moves the fake clock past any retry delay and runs the jobs due.</summary>
    private async Task LaterAsync(TimeSpan? by = null)
    {
        host.Clock.Advance(by ?? TimeSpan.FromMinutes(3));
        await host.DrainAsync();
    }

    private async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> read)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [Fact]
    public async Task TaxRegime_Npd_RefusesGatewayReceipts_AndForeignCurrency()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        await (await api.PutJsonAsync("/api/v1/fiscal-settings", """{"receiptsEnabled":true,"taxSystem":"npd"}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "receiptsEnabled");
        var s = await (await api.PutJsonAsync("/api/v1/fiscal-settings", """{"taxSystem":"npd"}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("npd", s.GetProperty("taxSystem").GetString());
        Assert.False(s.GetProperty("receiptsEnabled").GetBoolean());
        await (await api.PostJsonAsync("/api/v1/links", """{"amount":1000,"currency":"EUR","description":"x"}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "currency");
        // No buyer contact is needed: «Мой налог» receipts are links, not fiscal receipts mailed by a cash register.
        await (await api.PostJsonAsync("/api/v1/links", """{"amount":1000,"currency":"RUB","description":"x"}""")).ReadJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Connect_ValidatedPerField_WrongPasswordRefused_SecretsMasked_OtherMerchantsSeeNothing()
    {
        var api = await NpdMerchantAsync(connect: false);
        await (await api.GetAsync("/api/v1/self-employed")).AssertProblemAsync(HttpStatusCode.NotFound);
        var bad = await (await api.PutJsonAsync("/api/v1/self-employed", """{"settings":{"inn":"12345","refreshToken":"x","foo":1}}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        foreach (var f in new[] { "settings.inn", "settings.deviceId", "settings.foo" })
            Assert.True(bad.GetProperty("errors").TryGetProperty(f, out _), f);
        await (await api.PutJsonAsync("/api/v1/self-employed", """{"provider":"sbis","settings":{}}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider");

        var wrong = await (await api.PutJsonAsync("/api/v1/self-employed", $$$"""{"settings":{"inn":"{{{FakeMoyNalog.Inn}}}","password":"nope"}}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "settings");
        Assert.Contains("wrong ИНН or password", wrong.GetProperty("detail").GetString());
        Assert.DoesNotContain("Указан", wrong.ToString());   // the cabinet's free text never reaches the merchant (ADR 8)
        await (await api.GetAsync("/api/v1/self-employed")).AssertProblemAsync(HttpStatusCode.NotFound);

        var connected = await ConnectAsync(api);
        var json = connected.ToString();
        Assert.DoesNotContain("correct-horse", json);
        Assert.Equal(FakeMoyNalog.Inn, connected.GetProperty("inn").GetString());
        Assert.Equal("password", connected.GetProperty("settings").GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, connected.GetProperty("lastError").ValueKind);
        var stored = await DbAsync(db => db.SelfEmployedAccounts.IgnoreQueryFilters().SingleAsync(a => a.Id == connected.GetProperty("id").GetString()));
        Assert.DoesNotContain("correct-horse", stored.ProtectedSettings);
        Assert.DoesNotContain("at-", stored.ProtectedSession ?? "");
        Assert.True((await (await api.PostAsync("/api/v1/self-employed/test", null)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("ok").GetBoolean());

        var (_, intruder) = await host.MerchantWithCatalogAsync();
        await (await intruder.GetAsync("/api/v1/self-employed")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.PostAsync("/api/v1/self-employed/test", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.DeleteAsync("/api/v1/self-employed")).StatusCode);
        Assert.Empty(await ReceiptsAsync(intruder));

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/self-employed")).StatusCode);
        await (await api.GetAsync("/api/v1/self-employed")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Paid_RegistersOneIncome_WithServicesAndTag_LinkOnPaidPage_RunsTwiceNoDuplicate()
    {
        var api = await NpdMerchantAsync();
        var link = await LinkAsync(api);
        await PayAsync(link);
        await host.DrainAsync();

        var income = Assert.Single(Fake.Incomes);
        Assert.Equal(3500m, income["totalAmount"]!.GetValue<decimal>());
        Assert.Equal("FROM_INDIVIDUAL", income["client"]!["incomeType"]!.GetValue<string>());
        Assert.Equal("WIRE", income["paymentType"]!.GetValue<string>());
        var services = income["services"]!.AsArray();
        Assert.Equal(2, services.Count);
        Assert.StartsWith("Персональная тренировка [npr_", services[0]!["name"]!.GetValue<string>());
        Assert.Equal(500m, services[1]!["amount"]!.GetValue<decimal>());
        Assert.Equal(2, services[1]!["quantity"]!.GetValue<int>());
        Assert.EndsWith("+03:00", income["operationTime"]!.GetValue<string>());

        var receipt = Assert.Single(await ReceiptsAsync(api));
        Assert.Equal("registered", receipt.GetProperty("status").GetString());
        var url = receipt.GetProperty("receiptUrl").GetString()!;
        Assert.Equal($"{Fake.BaseUrl}receipt/{FakeMoyNalog.Inn}/{income["approvedReceiptUuid"]}/print", url);

        var page = await (await host.Client().GetAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery)).HtmlAsync();
        Assert.Contains(url, page);
        Assert.Contains("Чек", page);

        // Another run (a retried job, a sweep) changes nothing.
        var linkId = link.GetProperty("id").GetString()!;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var row = await db.SelfEmployedReceipts.IgnoreQueryFilters().FirstAsync(r => r.LinkId == linkId);
            scope.ServiceProvider.GetRequiredService<IJobQueue>().Enqueue(db, SyncSelfEmployedReceipts.JobType, new SyncSelfEmployedReceipts.Payload(row.MerchantId, linkId));
            await db.SaveChangesAsync();
        }
        await LaterAsync();
        Assert.Single(Fake.Incomes);
        Assert.Equal(1, Fake.Count("income"));
    }

    [Fact]
    public async Task TwoJobsAtOnce_OneReceipt_TheOtherWaitsForTheClaim()
    {
        var api = await NpdMerchantAsync();
        var link = await LinkAsync(api);
        await PayAsync(link);
        Fake.IncomeDelay = TimeSpan.FromMilliseconds(400);
        var payload = await DbAsync(async db => JsonSerializer.Serialize(new SyncSelfEmployedReceipts.Payload(
            (await db.PaymentLinks.IgnoreQueryFilters().SingleAsync(l => l.Id == link.GetProperty("id").GetString())).MerchantId, link.GetProperty("id").GetString()!),
            JsonSerializerOptions.Web));
        async Task<JobResult> RunAsync(long id)
        {
            await using var scope = host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SyncSelfEmployedReceipts>()
                .HandleAsync(new JobContext(id, SyncSelfEmployedReceipts.JobType, payload, 1, 10, host.Clock.GetUtcNow()), CancellationToken.None);
        }
        var results = await Task.WhenAll(RunAsync(-1), RunAsync(-2));
        Assert.Contains(results, r => r.Outcome == JobOutcome.Done);
        Assert.Single(Fake.Incomes);
        await LaterAsync();
        Assert.Single(Fake.Incomes);
        Assert.Equal("registered", Assert.Single(await ReceiptsAsync(api)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task OtherRegimes_NoSelfEmployedReceiptsAtAll()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        await ConnectAsync(api);   // even connected: the regime decides
        var link = await LinkAsync(api);
        await PayAsync(link);
        await host.DrainAsync();
        Assert.Empty(Fake.Incomes);
        Assert.Empty(await ReceiptsAsync(api));
        var id = link.GetProperty("id").GetString();
        Assert.Equal(0, await DbAsync(db => db.SelfEmployedReceipts.IgnoreQueryFilters().CountAsync(r => r.LinkId == id)));
    }

    [Fact]
    public async Task Company_Buyer_FromLinkMetadata_IsLegalEntityWithInn()
    {
        var api = await NpdMerchantAsync();
        var link = await LinkAsync(api, ""","metadata":{"buyerInn":"7707083893","buyerName":"ООО Ромашка"}""");
        await PayAsync(link);
        await host.DrainAsync();
        var client = Assert.Single(Fake.Incomes)["client"]!;
        Assert.Equal("FROM_LEGAL_ENTITY", client["incomeType"]!.GetValue<string>());
        Assert.Equal("7707083893", client["inn"]!.GetValue<string>());
        Assert.Equal("ООО Ромашка", client["displayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExpiredAccessToken_RefreshedOnce_ThenRegistered()
    {
        var api = await NpdMerchantAsync();
        Fake.ExpireAccessTokens();
        var signIns = Fake.Count("auth/lkfl");
        await PayAsync(await LinkAsync(api));
        await host.DrainAsync();
        Assert.Single(Fake.Incomes);
        Assert.Equal(1, Fake.Count("auth/token"));
        Assert.Equal(signIns, Fake.Count("auth/lkfl"));
        Assert.Equal(2, Fake.Count("income"));   // the 401, then the one retry
    }

    [Fact]
    public async Task Gosuslugi_RefreshTokenAndDevice_Connects_AndRegisters_WrongDeviceRefused()
    {
        var api = await NpdMerchantAsync(connect: false);
        await (await api.PutJsonAsync("/api/v1/self-employed",
                $$$"""{"settings":{"inn":"{{{FakeMoyNalog.Inn}}}","refreshToken":"{{{Fake.GosuslugiRefreshToken}}}","deviceId":"other-device"}}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "settings");
        var connected = await (await api.PutJsonAsync("/api/v1/self-employed",
                $$$"""{"settings":{"inn":"{{{FakeMoyNalog.Inn}}}","refreshToken":"{{{Fake.GosuslugiRefreshToken}}}","deviceId":"{{{FakeMoyNalog.DeviceId}}}"}}"""))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("refreshToken", connected.GetProperty("settings").GetProperty("mode").GetString());
        Assert.DoesNotContain(Fake.GosuslugiRefreshToken, connected.ToString());
        await PayAsync(await LinkAsync(api));
        await host.DrainAsync();
        Assert.Single(Fake.Incomes);
        Assert.Equal(0, Fake.Count("auth/lkfl"));
    }

    [Fact]
    public async Task Outage_QueuesReceipt_ListedAsWaiting_ThenRegisteredOnce()
    {
        var api = await NpdMerchantAsync();
        Fake.Outage = true;
        await PayAsync(await LinkAsync(api));
        await host.DrainAsync();
        Assert.Empty(Fake.Incomes);
        var waiting = Assert.Single(await ReceiptsAsync(api, "?status=waiting"));
        Assert.Equal("queued", waiting.GetProperty("status").GetString());
        Assert.Contains("503", waiting.GetProperty("lastError").GetString());
        var summary = await (await api.GetAsync("/api/v1/self-employed/summary")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, summary.GetProperty("waiting").GetInt32());
        Assert.Equal(350000, summary.GetProperty("year").GetProperty("waitingMinor").GetInt64());

        await LaterAsync();
        Assert.Empty(Fake.Incomes);
        Fake.Outage = false;
        await LaterAsync(TimeSpan.FromMinutes(10));
        Assert.Single(Fake.Incomes);
        Assert.Empty(await ReceiptsAsync(api, "?status=waiting"));
        Assert.Equal("registered", Assert.Single(await ReceiptsAsync(api)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task TimeoutAfterProcessing_UnknownOutcome_ResolvedByLookup_NeverSentTwice()
    {
        var api = await NpdMerchantAsync();
        Fake.TimeoutAfterProcessing = 1;
        await PayAsync(await LinkAsync(api));
        await host.DrainAsync();
        Assert.Single(Fake.Incomes);
        var r = Assert.Single(await ReceiptsAsync(api));
        Assert.Equal("sending", r.GetProperty("status").GetString());
        Assert.Contains("unknown", r.GetProperty("lastError").GetString());

        await LaterAsync();
        var after = Assert.Single(await ReceiptsAsync(api));
        Assert.Equal("registered", after.GetProperty("status").GetString());
        Assert.Equal(Fake.Incomes[0]["approvedReceiptUuid"]!.GetValue<string>(), after.GetProperty("receiptId").GetString());
        Assert.Equal(1, Fake.Count("income"));
        Assert.True(Fake.Count("incomes") >= 1);
        Assert.Single(Fake.Incomes);
    }

    [Fact]
    public async Task TimeoutBeforeProcessing_LookupFindsNothing_SentAgain_Once()
    {
        var api = await NpdMerchantAsync();
        Fake.TimeoutBeforeProcessing = 1;
        await PayAsync(await LinkAsync(api));
        await host.DrainAsync();
        Assert.Empty(Fake.Incomes);
        Assert.Equal("sending", Assert.Single(await ReceiptsAsync(api)).GetProperty("status").GetString());
        await LaterAsync();
        Assert.Single(Fake.Incomes);
        Assert.Equal(2, Fake.Count("income"));
        Assert.Equal("registered", Assert.Single(await ReceiptsAsync(api)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task WrongCredentials_ClearErrorAndWarning_NothingLost_ReconnectRegisters()
    {
        var api = await NpdMerchantAsync();
        Fake.Password = "changed-in-the-cabinet";
        Fake.ExpireAccessTokens();
        Fake.RefreshTokens.Clear();
        await PayAsync(await LinkAsync(api));
        await host.DrainAsync();
        Assert.Empty(Fake.Incomes);
        var account = await (await api.GetAsync("/api/v1/self-employed")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("credentials", account.GetProperty("lastErrorKind").GetString());
        Assert.Contains("wrong ИНН or password", account.GetProperty("lastError").GetString());
        Assert.Contains("authentication.failed", account.GetProperty("lastError").GetString());
        Assert.DoesNotContain("Указан", account.ToString());
        Assert.Equal("queued", Assert.Single(await ReceiptsAsync(api, "?status=waiting")).GetProperty("status").GetString());
        var dead = await DbAsync(db => db.Jobs.Where(j => j.Type == SyncSelfEmployedReceipts.JobType && j.State == JobState.Dead).CountAsync());
        Assert.True(dead >= 1);
        // Further payments wait without trying the refused password again (the cabinet could lock the account).
        var signIns = Fake.Count("auth/lkfl");
        await PayAsync(await LinkAsync(api));
        await host.DrainAsync();
        await LaterAsync(TimeSpan.FromMinutes(20));
        Assert.Equal(signIns, Fake.Count("auth/lkfl"));
        Assert.Equal(2, (await ReceiptsAsync(api, "?status=waiting")).Count);

        await ConnectAsync(api, "changed-in-the-cabinet");
        await host.DrainAsync();
        Assert.Equal(2, Fake.Incomes.Count);
        Assert.Empty(await ReceiptsAsync(api, "?status=waiting"));
        Assert.Equal(JsonValueKind.Null, (await (await api.GetAsync("/api/v1/self-employed")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("lastError").ValueKind);
    }

    [Fact]
    public async Task PaidBeforeConnecting_Waits_ThenRegisteredOnConnect()
    {
        var api = await NpdMerchantAsync(connect: false);
        await PayAsync(await LinkAsync(api));
        await host.DrainAsync();
        var waiting = Assert.Single(await ReceiptsAsync(api, "?status=waiting"));
        Assert.Contains("not connected", waiting.GetProperty("lastError").GetString());
        await ConnectAsync(api);
        await host.DrainAsync();
        Assert.Single(Fake.Incomes);
    }

    [Fact]
    public async Task PartialRefund_CancelsAndRegistersRemainder_FullRefundCancels()
    {
        var api = await NpdMerchantAsync();
        var link = await LinkAsync(api);
        var id = link.GetProperty("id").GetString();
        await PayAsync(link);
        await host.DrainAsync();
        var first = Assert.Single(Fake.Incomes);

        await (await api.PostJsonAsync($"/api/v1/links/{id}/refunds", """{"amount":100000}""")).ReadJsonAsync(HttpStatusCode.Created);
        await host.DrainAsync();
        Assert.NotNull(first["cancellationInfo"]);
        Assert.Equal("Возврат средств", first["cancellationInfo"]!["comment"]!.GetValue<string>());
        var second = Assert.Single(Fake.Live());
        Assert.Equal(2500m, second["totalAmount"]!.GetValue<decimal>());
        Assert.Equal(2500m, second["services"]!.AsArray().Sum(s => s!["amount"]!.GetValue<decimal>() * s["quantity"]!.GetValue<int>()));
        var receipts = await ReceiptsAsync(api, $"?linkId={id}");
        Assert.Equal(["registered", "cancelled"], receipts.Select(r => r.GetProperty("status").GetString()));
        var page = await (await host.Client().GetAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery)).HtmlAsync();
        Assert.Contains(second["approvedReceiptUuid"]!.GetValue<string>(), page);

        await (await api.PostJsonAsync($"/api/v1/links/{id}/refunds", "{}")).ReadJsonAsync(HttpStatusCode.Created);
        await host.DrainAsync();
        Assert.Empty(Fake.Live());
        Assert.Equal(2, Fake.Incomes.Count);
        Assert.All(await ReceiptsAsync(api, $"?linkId={id}"), r => Assert.Equal("cancelled", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task ReceiptLink_SentToBuyer_InTheChannelTheLinkWentTo_Once()
    {
        var api = await NpdMerchantAsync();
        var account = (await (await api.PostJsonAsync("/api/v1/channel-accounts", """{"provider":"webchat","name":"Чат","settings":{}}"""))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var link = await LinkAsync(api);
        await (await api.PostJsonAsync($"/api/v1/links/{link.GetProperty("id").GetString()}/send",
            $$$"""{"channelAccount":"{{{account}}}","to":"wv_abcdefghijklmnop12"}""")).ReadJsonAsync(HttpStatusCode.Accepted);
        await host.DrainAsync();
        await PayAsync(link);
        await host.DrainAsync();
        await LaterAsync();
        var url = Assert.Single(await ReceiptsAsync(api)).GetProperty("receiptUrl").GetString()!;
        var texts = await DbAsync(db => db.ChannelMessages.IgnoreQueryFilters()
            .Where(m => m.LinkId == link.GetProperty("id").GetString() && m.Template == SyncSelfEmployedReceipts.MessageTemplate).Select(m => m.Text).ToListAsync());
        var text = Assert.Single(texts);
        Assert.StartsWith("Ваш чек на 3", text);
        Assert.EndsWith(": " + url, text);
    }

    [Fact]
    public async Task YearTotal_AgainstLimit_WarnsNearIt()
    {
        var api = await NpdMerchantAsync();
        var link = await (await api.PostJsonAsync("/api/v1/links", """{"amount":200000000,"currency":"RUB","description":"Годовой курс"}""")).ReadJsonAsync(HttpStatusCode.Created);
        await PayAsync(link);
        await host.DrainAsync();
        var year = (await (await api.GetAsync("/api/v1/self-employed/summary")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("year");
        Assert.Equal(200000000, year.GetProperty("registeredMinor").GetInt64());
        Assert.Equal(240000000, year.GetProperty("limitMinor").GetInt64());
        Assert.Equal(83, year.GetProperty("percent").GetInt32());
        Assert.Equal("near", year.GetProperty("level").GetString());
        Assert.Equal(2026, year.GetProperty("year").GetInt32());
    }

    [Fact]
    public async Task Dashboard_RegimeAndConnectionForm_WarningOnWrongCredentials_WaitingList_YearOnOverview()
    {
        var user = await host.NewUserAsync();
        var api = host.Client(user.ApiKey);
        var dash = await host.SignedInAsync(user);
        var page = await dash.PageAsync("/dashboard/settings/self-employed");
        Assert.Contains("Налоговый режим", page);
        Assert.Contains("Госуслуги", page);
        Assert.Equal(HttpStatusCode.Redirect, (await dash.PostAsync("/dashboard/settings/self-employed/regime", ("taxSystem", "npd"))).StatusCode);
        var fiscal = await (await api.GetAsync("/api/v1/fiscal-settings")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("npd", fiscal.GetProperty("taxSystem").GetString());

        // Not connected yet: the overview says so, a payment waits.
        await PayAsync(await LinkAsync(api));
        await host.DrainAsync();
        var overview = await dash.PageAsync("/dashboard");
        Assert.Contains("id=\"npd-overview\"", overview);
        Assert.Contains("не подключён", overview);
        Assert.Contains("Чеков в ожидании: 1", overview);

        await dash.PageAsync("/dashboard/settings/self-employed");
        var wrong = await dash.PostAsync("/dashboard/settings/self-employed/connect", ("mode", "password"), ("inn", FakeMoyNalog.Inn), ("password", "nope"));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("не принял вход", await wrong.HtmlAsync());
        await dash.PageAsync("/dashboard/settings/self-employed");
        Assert.Equal(HttpStatusCode.Redirect,
            (await dash.PostAsync("/dashboard/settings/self-employed/connect", ("mode", "password"), ("inn", FakeMoyNalog.Inn), ("password", "correct-horse"))).StatusCode);
        await host.DrainAsync();
        Assert.Single(Fake.Incomes);

        // The password changes in the cabinet: the next receipt waits, both pages warn.
        Fake.Password = "changed";
        Fake.ExpireAccessTokens();
        Fake.RefreshTokens.Clear();
        await PayAsync(await LinkAsync(api));
        await host.DrainAsync();
        var settings = await dash.PageAsync("/dashboard/settings/self-employed");
        Assert.Contains("id=\"npd-warning\"", settings);
        Assert.Contains("id=\"npd-waiting\"", settings);
        Assert.Contains("ждёт отправки", settings);
        Assert.Contains("3 500", System.Net.WebUtility.HtmlDecode(settings).Replace('\u00A0', ' '));
        Assert.Contains("id=\"npd-warning\"", await dash.PageAsync("/dashboard"));
    }
}

public sealed class SelfEmployedSqliteTests(SelfEmployedSqliteHost host) : SelfEmployedTests<SelfEmployedSqliteHost>(host);
public sealed class SelfEmployedPostgresTests(SelfEmployedPostgresHost host) : SelfEmployedTests<SelfEmployedPostgresHost>(host);
