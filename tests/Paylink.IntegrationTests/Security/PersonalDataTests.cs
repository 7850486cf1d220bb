using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Common;
using Paylink.Core.Crm;
using Paylink.Core.Data;
using Paylink.Core.Messaging;
using Paylink.Core.PersonalData;
using Paylink.IntegrationTests.Bookings;
using Paylink.IntegrationTests.Dashboard;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Security;

/// <summary>152-FZ kit (docs/personal-data.md): export, erasure, audit, consent versions, retention job, flows, destruction act.</summary>
public abstract class PersonalDataTests<THost>(THost host) : IClassFixture<THost> where THost : BookingsHost
{
    private const string Phone = "+79035550101";

    /// <summary>A client with a paid link, a booking, a web-chat conversation with two messages, a deal with a note and a task.</summary>
    private async Task<(string MerchantId, HttpClient Api, string CustomerId, string PaidLinkId)> ClientAsync()
    {
        var (merchantId, api) = await host.MerchantWithCatalogAsync();
        var link = await (await api.PostJsonAsync("/api/v1/links",
            $$$"""{"amount":150000,"currency":"RUB","description":"Маникюр","customer":{"name":"Ирина Петрова","phone":"{{{Phone}}}","email":"irina@example.com"}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var pay = await host.Client().PostAsync($"/p/{link.GetProperty("code").GetString()}/pay", new FormUrlEncodedContent([]));
        await host.Client().PostAsync(new Uri(pay.Headers.Location!.ToString()).PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        await host.DrainAsync();
        var booking = await host.BookAsync(api, "2026-11-20T15:00:00+03:00", phone: Phone);
        var customerId = booking.GetProperty("customerId").GetString()!;
        var account = (await (await api.PostJsonAsync("/api/v1/channel-accounts", """{"provider":"webchat","name":"Сайт","settings":{}}"""))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var conv = Conversation.Create(merchantId, account, "webchat", "visitor-42", customerId, "Ирина", "ru", host.Clock);
        db.Conversations.Add(conv);
        db.ChannelMessages.Add(ChannelMessage.Incoming(conv, "Здравствуйте, я Ирина, мой телефон " + Phone, "m1", host.Clock));
        db.ChannelMessages.Add(ChannelMessage.Incoming(conv, "Хочу на маникюр", "m2", host.Clock));
        var deal = Deal.Create(merchantId, customerId, "Маникюр", new Money(150000, "RUB"), "test", host.Clock);
        db.Deals.Add(deal);
        db.TimelineEntries.Add(TimelineEntry.Note(merchantId, customerId, deal.Id, "Ирина просила перезвонить", host.Clock.GetUtcNow()));
        db.CrmTasks.Add(CrmTask.Create(merchantId, deal.Id, "Перезвонить Ирине", null, host.Clock));
        await db.SaveChangesAsync();
        Assert.True(link.TryGetProperty("id", out var id));
        return (merchantId, api, customerId, id.GetString()!);
    }

    private async Task<List<PersonalDataAuditEntry>> AuditAsync(string merchantId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().PersonalDataAudit.IgnoreQueryFilters().Where(a => a.MerchantId == merchantId).ToListAsync();
    }

    [Fact]
    public async Task Export_HoldsEverythingAboutTheClient_AndIsAudited()
    {
        var (merchantId, api, customerId, linkId) = await ClientAsync();
        var json = await (await api.GetAsync($"/api/v1/customers/{customerId}/personal-data")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Ирина Петрова", json.GetProperty("name").GetString());
        Assert.Equal(Phone, json.GetProperty("phone").GetString());
        Assert.Equal("irina@example.com", json.GetProperty("email").GetString());
        Assert.Contains(json.GetProperty("links").EnumerateArray(), l => l.GetProperty("id").GetString() == linkId && l.GetProperty("amount").GetInt64() == 150000);
        Assert.Single(json.GetProperty("bookings").EnumerateArray());
        var conv = Assert.Single(json.GetProperty("conversations").EnumerateArray());
        Assert.Equal(2, conv.GetProperty("messages").GetArrayLength());
        Assert.Contains(json.GetProperty("notes").EnumerateArray(), n => n.GetProperty("text").GetString() == "Ирина просила перезвонить");
        var html = await (await api.GetAsync($"/api/v1/customers/{customerId}/personal-data?format=html")).Content.ReadAsStringAsync();
        Assert.Contains("Ваши персональные данные", html);
        Assert.Contains("Хочу на маникюр", html);
        var audit = await AuditAsync(merchantId);
        Assert.Equal(2, audit.Count(a => a.Action == PersonalDataActions.Export && a.CustomerId == customerId && a.Actor.StartsWith("api-key:", StringComparison.Ordinal)));
        Assert.DoesNotContain(audit, a => a.Actor.Contains(api.DefaultRequestHeaders.Authorization!.Parameter!, StringComparison.Ordinal));
        (await (await host.NewMerchantAsync()).ApiKey.Let(k => host.Client(k).GetAsync($"/api/v1/customers/{customerId}/personal-data"))).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Erase_RemovesPiiEverywhere_KeepsPaymentsAndReceipts_AndTheActCarriesTheLog()
    {
        var (merchantId, api, customerId, linkId) = await ClientAsync();
        (await api.GetAsync($"/api/v1/customers/{customerId}/destruction-act")).AssertStatus(HttpStatusCode.Conflict);
        var erased = await (await api.PostAsync($"/api/v1/customers/{customerId}/erase", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, erased.GetProperty("messages").GetInt32());
        Assert.Equal(1, erased.GetProperty("paymentsKept").GetInt32());
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var c = await db.Customers.IgnoreQueryFilters().SingleAsync(x => x.Id == customerId);
            Assert.Null(c.Name); Assert.Null(c.Phone); Assert.Null(c.Email); Assert.NotNull(c.ErasedAt);
            Assert.All(await db.ChannelMessages.IgnoreQueryFilters().Where(m => m.MerchantId == merchantId).ToListAsync(), m => Assert.Equal("", m.Text));
            var conv = await db.Conversations.IgnoreQueryFilters().SingleAsync(x => x.MerchantId == merchantId);
            Assert.DoesNotContain("visitor-42", conv.Address); Assert.Null(conv.DisplayName);
            Assert.All(await db.TimelineEntries.IgnoreQueryFilters().Where(t => t.ContactId == customerId).ToListAsync(), t => Assert.DoesNotContain("Ирина", t.Text));
            Assert.All(await db.CrmTasks.IgnoreQueryFilters().Where(t => t.MerchantId == merchantId).ToListAsync(), t => Assert.DoesNotContain("Ирин", t.Text));
            Assert.Equal(1, await db.Payments.IgnoreQueryFilters().CountAsync(p => p.LinkId == linkId));
            Assert.Equal(150000, (await db.PaymentLinks.IgnoreQueryFilters().SingleAsync(l => l.Id == linkId)).AmountMinor);
            Assert.Equal(1, await db.Bookings.IgnoreQueryFilters().CountAsync(b => b.CustomerId == customerId));
        }
        var link = await (await api.GetAsync("/api/v1/links/" + linkId)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", link.GetProperty("status").GetString());
        var export = (await (await api.GetAsync($"/api/v1/customers/{customerId}/personal-data")).ReadJsonAsync(HttpStatusCode.OK)).GetRawText();
        Assert.DoesNotContain("Ирина", export);
        Assert.DoesNotContain(Phone, export);
        Assert.DoesNotContain("irina@", export);
        var act = await api.GetAsync($"/api/v1/customers/{customerId}/destruction-act");
        var actHtml = await act.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, act.StatusCode);
        Assert.Contains("Акт об уничтожении персональных данных", actHtml);
        Assert.Contains("erase", actHtml);
        Assert.DoesNotContain("Ирина", actHtml);
        var audit = await (await api.GetAsync($"/api/v1/personal-data/audit?customer={customerId}")).ReadJsonAsync(HttpStatusCode.OK);
        var actions = audit.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()).ToList();
        Assert.Contains("erase", actions);
        Assert.Contains("destruction_act", actions);
    }

    [Fact]
    public async Task ConsentDocument_VersionsAndRecords_TheVersionAccepted()
    {
        var (merchantId, api, customerId, _) = await ClientAsync();
        var first = await (await api.GetAsync("/api/v1/personal-data/consent-document")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, first.GetProperty("version").GetInt32());
        Assert.Contains("Согласие на обработку персональных данных", first.GetProperty("text").GetString());
        var v1 = await (await api.PutJsonAsync("/api/v1/personal-data/consent-document", """{"text":"Согласие, редакция 1"}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, v1.GetProperty("version").GetInt32());
        var recorded = await (await api.PostJsonAsync($"/api/v1/customers/{customerId}/consents", """{"channel":"api"}""")).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1, recorded.GetProperty("documentVersion").GetInt32());
        await (await api.PutJsonAsync("/api/v1/personal-data/consent-document", """{"text":""}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "text");
        await (await api.PostJsonAsync($"/api/v1/customers/{customerId}/consents", """{"channel":"api","version":7}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "version");
        var export = await (await api.GetAsync($"/api/v1/customers/{customerId}/personal-data")).ReadJsonAsync(HttpStatusCode.OK);
        var consent = Assert.Single(export.GetProperty("consents").EnumerateArray());
        Assert.Equal(1, consent.GetProperty("documentVersion").GetInt32());
        Assert.Equal("api", consent.GetProperty("channel").GetString());
        Assert.Contains(await AuditAsync(merchantId), a => a.Action == PersonalDataActions.ConsentDocument && a.Detail == "version=1");
    }

    [Fact]
    public async Task RetentionJob_AnonymisesInactiveClientsOnly()
    {
        var (merchantId, api, customerId, linkId) = await ClientAsync();
        await (await api.PutJsonAsync("/api/v1/personal-data/settings", """{"retentionDays":5}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "retentionDays");
        await (await api.PutJsonAsync("/api/v1/personal-data/settings", """{"retentionDays":30}""")).ReadJsonAsync(HttpStatusCode.OK);
        async Task RunAsync(TimeProvider clock)
        {
            // The job on its own clock: moving the class's shared clock 40 days would expire the other tests' links.
            await using var scope = host.Services.CreateAsyncScope();
            var sp = scope.ServiceProvider;
            var data = ActivatorUtilities.CreateInstance<ClientPersonalData>(sp, clock);
            await ActivatorUtilities.CreateInstance<AnonymiseExpiredClients>(sp, data, clock).RunAsync(CancellationToken.None);
        }
        async Task<bool> ErasedAsync()
        {
            await using var scope = host.Services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Customers.IgnoreQueryFilters().SingleAsync(c => c.Id == customerId)).ErasedAt is not null;
        }
        await RunAsync(host.Clock);
        Assert.False(await ErasedAsync());
        // A booking on 20 Nov keeps the client active until 30 days after it.
        await RunAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(host.Clock.GetUtcNow().AddDays(20)));
        Assert.False(await ErasedAsync());
        await RunAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(host.Clock.GetUtcNow().AddDays(40)));
        Assert.True(await ErasedAsync());
        Assert.Contains(await AuditAsync(merchantId), a => a.Action == PersonalDataActions.RetentionErase && a.Actor == "system:retention" && a.CustomerId == customerId);
        Assert.Equal("paid", (await (await api.GetAsync("/api/v1/links/" + linkId)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Flows_FlagCrossBorderAndActiveOnes_AndTheDashboardShowsThem()
    {
        var user = await host.NewUserAsync();
        var api = host.Client(user.ApiKey);
        var flows = await (await api.GetAsync("/api/v1/personal-data/flows")).ReadJsonAsync(HttpStatusCode.OK);
        var items = flows.GetProperty("items").EnumerateArray().ToList();
        Assert.True(items.Single(f => f.GetProperty("id").GetString() == "stripe").GetProperty("crossBorder").GetBoolean());
        Assert.False(items.Single(f => f.GetProperty("id").GetString() == "stripe").GetProperty("active").GetBoolean());
        Assert.Contains(items, f => f.GetProperty("id").GetString() == "llm");
        var dash = await host.SignedInAsync(user);
        var page = await dash.PageAsync("/dashboard/settings/personal-data");
        Assert.Contains("data-flow=\"telegram\"", page);
        Assert.Contains("Согласие на обработку", page);
        var saved = await dash.PostAsync("/dashboard/settings/personal-data/consent", ("text", "Согласие из кабинета"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var doc = await (await api.GetAsync("/api/v1/personal-data/consent-document")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Согласие из кабинета", doc.GetProperty("text").GetString());
        Assert.Contains(await AuditAsync(user.MerchantId), a => a.Action == PersonalDataActions.ConsentDocument && a.Actor == "user:" + user.Email);
    }
}

internal static class TestExtensions
{
    public static TOut Let<TIn, TOut>(this TIn value, Func<TIn, TOut> f) => f(value);

    public static void AssertStatus(this HttpResponseMessage r, HttpStatusCode status) =>
        Assert.True(r.StatusCode == status, $"expected {(int)status}, got {(int)r.StatusCode}: {r.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
}

public sealed class SqlitePersonalDataTests(BookingsSqliteHost host) : PersonalDataTests<BookingsSqliteHost>(host);
public sealed class PostgresPersonalDataTests(BookingsPostgresHost host) : PersonalDataTests<BookingsPostgresHost>(host);
