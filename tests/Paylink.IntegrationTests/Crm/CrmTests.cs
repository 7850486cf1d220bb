using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.IntegrationTests.Bookings;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Crm;

/// <summary>The built-in CRM: deals follow links and bookings, stage changes reach the booking, contacts dedupe and merge, tasks, tenancy.</summary>
public abstract class CrmTests<THost>(THost host) : IClassFixture<THost> where THost : BookingsHost
{
    private static async Task<JsonElement> DealOfAsync(HttpClient api, string contactId)
    {
        var list = await (await api.GetAsync("/api/v1/crm/deals?contactId=" + contactId)).ReadJsonAsync(HttpStatusCode.OK);
        var id = Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString();
        return await (await api.GetAsync("/api/v1/crm/deals/" + id)).ReadJsonAsync(HttpStatusCode.OK);
    }

    private async Task PaySandboxAsync(HttpClient api, string linkId)
    {
        var link = await (await api.GetAsync("/api/v1/links/" + linkId)).ReadJsonAsync(HttpStatusCode.OK);
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        await host.Client().PostAsync(pay.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
    }

    [Fact]
    public async Task PrepaidBooking_DealMovesNewPaidVisitDone_WithPaymentNote()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var b = await host.BookAsync(api, "2026-11-19T15:00:00+03:00", extra: ""","prepayment":{}""");
        await host.DrainAsync();
        var contact = b.GetProperty("customerId").GetString()!;
        var deal = await DealOfAsync(api, contact);
        Assert.Equal("new", deal.GetProperty("deal").GetProperty("stage").GetString());
        Assert.Equal("lead", deal.GetProperty("deal").GetProperty("kind").GetString());
        Assert.Equal(b.GetProperty("linkId").GetString(), deal.GetProperty("deal").GetProperty("linkId").GetString());

        host.Clock.Advance(TimeSpan.FromMinutes(42));
        await PaySandboxAsync(api, b.GetProperty("linkId").GetString()!);
        await host.DrainAsync();
        deal = await DealOfAsync(api, contact);
        Assert.Equal("paid", deal.GetProperty("deal").GetProperty("stage").GetString());
        Assert.Equal("deal", deal.GetProperty("deal").GetProperty("kind").GetString());
        var paidNote = deal.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("text").GetString()!).Single(t => t.StartsWith("Оплачено", StringComparison.Ordinal));
        Assert.Contains("2\u00A0500,00\u00A0₽", paidNote);
        Assert.Contains("sandbox", paidNote);
        Assert.Contains("42 мин", paidNote);
        Assert.Contains("/p/", paidNote);

        await (await api.PostAsync($"/api/v1/bookings/{b.GetProperty("id").GetString()}/complete", null)).ReadJsonAsync(HttpStatusCode.OK);
        await host.DrainAsync();
        deal = await DealOfAsync(api, contact);
        Assert.Equal("visit_done", deal.GetProperty("deal").GetProperty("stage").GetString());
        // Every event once, even though jobs ran several times over the same deal.
        var texts = deal.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("text").GetString()).ToList();
        Assert.Equal(texts.Count, texts.Distinct().Count());
    }

    [Fact]
    public async Task DealStage_NoShow_MovesBooking_IllegalMoveIs409AndChangesNothing()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var b = await host.BookAsync(api, "2026-11-19T15:00:00+03:00");
        await host.DrainAsync();
        var dealId = (await DealOfAsync(api, b.GetProperty("customerId").GetString()!)).GetProperty("deal").GetProperty("id").GetString();
        await (await api.PostJsonAsync($"/api/v1/crm/deals/{dealId}/stage", """{"stage":"sideways"}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "stage");
        await (await api.PostJsonAsync($"/api/v1/crm/deals/{dealId}/stage", """{"stage":"refunded"}""")).AssertProblemAsync(HttpStatusCode.Conflict);
        var moved = await (await api.PostJsonAsync($"/api/v1/crm/deals/{dealId}/stage", """{"stage":"no_show"}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("no_show", moved.GetProperty("stage").GetString());
        var booking = await (await api.GetAsync("/api/v1/bookings/" + b.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("no_show", booking.GetProperty("status").GetString());
        await host.DrainAsync();
        await (await api.PostJsonAsync($"/api/v1/crm/deals/{dealId}/stage", """{"stage":"visit_done"}""")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("no_show", (await DealOfAsync(api, b.GetProperty("customerId").GetString()!)).GetProperty("deal").GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Contacts_DedupedByPhoneAndEmail_MergeMovesEverything()
    {
        var (merchantId, api) = await host.MerchantWithCatalogAsync();
        var a = await host.BookAsync(api, "2026-11-19T15:00:00+03:00", phone: "8 (916) 555-11-22");
        var again = await api.PostJsonAsync("/api/v1/links", """{"amount":1000,"currency":"RUB","description":"Чай","customer":{"phone":"+79165551122"}}""");
        await again.ReadJsonAsync(HttpStatusCode.Created);
        var other = await api.PostJsonAsync("/api/v1/links", """{"amount":2000,"currency":"RUB","description":"Кофе","customer":{"email":"other@example.com","name":"Анна К."}}""");
        await other.ReadJsonAsync(HttpStatusCode.Created);
        await host.DrainAsync();
        var contacts = await (await api.GetAsync("/api/v1/crm/contacts")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, contacts.GetProperty("items").GetArrayLength());
        var first = a.GetProperty("customerId").GetString()!;
        var search = await (await api.GetAsync("/api/v1/crm/contacts?q=%2B7%20916%20555%2011%2022")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(first, Assert.Single(search.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var second = (await (await api.GetAsync("/api/v1/crm/contacts?q=other@")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("id").GetString()!;

        await (await api.PostJsonAsync($"/api/v1/crm/contacts/{second}/merge", """{"into":"cus_missing"}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "into");
        await (await api.PostJsonAsync($"/api/v1/crm/contacts/{second}/merge", $$"""{"into":"{{second}}"}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "into");
        var merged = await (await api.PostJsonAsync($"/api/v1/crm/contacts/{second}/merge", $$"""{"into":"{{first}}"}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("+79165551122", merged.GetProperty("phone").GetString());
        var details = await (await api.GetAsync("/api/v1/crm/contacts/" + first)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, details.GetProperty("deals").GetArrayLength());
        Assert.Single((await (await api.GetAsync("/api/v1/crm/contacts")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        await (await api.PostJsonAsync($"/api/v1/crm/contacts/{second}/merge", $$"""{"into":"{{first}}"}""")).AssertProblemAsync(HttpStatusCode.Conflict);

        // A later request with the merged contact's e-mail lands on the survivor.
        await api.PostJsonAsync("/api/v1/links", """{"amount":3000,"currency":"RUB","description":"Торт","customer":{"email":"other@example.com"}}""");
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(0, await db.PaymentLinks.CountAsync(l => l.MerchantId == merchantId && l.CustomerId == second));
    }

    [Fact]
    public async Task Tasks_CreateListComplete_AndNotes_AndTenancy()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var b = await host.BookAsync(api, "2026-11-19T15:00:00+03:00");
        await host.DrainAsync();
        var dealId = (await DealOfAsync(api, b.GetProperty("customerId").GetString()!)).GetProperty("deal").GetProperty("id").GetString();
        await (await api.PostJsonAsync("/api/v1/crm/tasks", """{"text":""}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "text");
        await (await api.PostJsonAsync("/api/v1/crm/tasks", """{"text":"x","dealId":"deal_nope"}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "dealId");
        var task = await (await api.PostJsonAsync("/api/v1/crm/tasks", $$"""{"text":"Клиент просит вернуть деньги","dueAt":"2026-11-18T18:00:00+03:00","dealId":"{{dealId}}"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var open = await (await api.GetAsync("/api/v1/crm/tasks?status=open")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(task.GetProperty("id").GetString(), Assert.Single(open.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("done", (await (await api.PostAsync($"/api/v1/crm/tasks/{task.GetProperty("id").GetString()}/complete", null)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Empty((await (await api.GetAsync("/api/v1/crm/tasks?status=open")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        await (await api.PostJsonAsync($"/api/v1/crm/deals/{dealId}/notes", """{"text":"Перезвонить вечером"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var deal = await (await api.GetAsync("/api/v1/crm/deals/" + dealId)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(deal.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("kind").GetString() == "note");
        Assert.Single(deal.GetProperty("tasks").EnumerateArray());

        var (_, intruder) = await host.MerchantWithCatalogAsync();
        await (await intruder.GetAsync("/api/v1/crm/deals/" + dealId)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.PostJsonAsync($"/api/v1/crm/deals/{dealId}/stage", """{"stage":"cancelled"}""")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.GetAsync("/api/v1/bookings/" + b.GetProperty("id").GetString())).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.PostJsonAsync($"/api/v1/crm/contacts/{b.GetProperty("customerId").GetString()}/merge", """{"into":"x"}""")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await intruder.GetAsync("/api/v1/crm/contacts")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }
}

public sealed class CrmSqliteTests(BookingsSqliteHost host) : CrmTests<BookingsSqliteHost>(host);
public sealed class CrmPostgresTests(BookingsPostgresHost host) : CrmTests<BookingsPostgresHost>(host);
