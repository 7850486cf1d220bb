using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Assistant.Conversations;
using Paylink.Core.Data;
using Paylink.Core.Messaging;
using Paylink.Core.PersonalData;
using Paylink.IntegrationTests.Bookings;
using Paylink.IntegrationTests.Dashboard;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Security;

/// <summary>
/// The 152-FZ consent as a step of its own (docs/personal-data.md): when the merchant requires it, the pay page shows
/// the consent document before the pay button and the chat assistant asks before its first answer; the consent is
/// recorded with time, channel, version (and IP / user agent on the pay page) and nothing is paid or answered before it.
/// </summary>
public abstract class ConsentStepTests<THost>(THost host) : IClassFixture<THost> where THost : BookingsHost
{
    private static Task RequireConsentAsync(HttpClient api, bool on = true) =>
        api.PutJsonAsync("/api/v1/personal-data/settings", $$"""{"retentionDays":null,"consentRequired":{{(on ? "true" : "false")}}}""")
            .ContinueWith(t => t.Result.ReadJsonAsync(HttpStatusCode.OK)).Unwrap();

    private async Task<List<ConsentRecord>> ConsentsAsync(string merchantId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().ConsentRecords.IgnoreQueryFilters().AsNoTracking()
            .Where(r => r.MerchantId == merchantId).ToListAsync();
    }

    private static async Task<string> LinkCodeAsync(HttpClient api) =>
        (await (await api.PostJsonAsync("/api/v1/links",
            """{"amount":150000,"currency":"RUB","description":"Маникюр","customer":{"name":"Ирина","phone":"+79035550111"}}"""))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("code").GetString()!;

    [Fact]
    public async Task PayPage_NotRequired_ShowsThePayButtonAtOnce()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var code = await LinkCodeAsync(api);
        var page = await (await host.Client().GetAsync("/p/" + code)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"pay\"", page);
        Assert.DoesNotContain("id=\"agree\"", page);
    }

    [Fact]
    public async Task PayPage_Required_ConsentStepFirst_RecordedWithIpAndVersion_ThenPay()
    {
        var (merchantId, api) = await host.MerchantWithCatalogAsync();
        await RequireConsentAsync(api);
        await (await api.PutJsonAsync("/api/v1/personal-data/consent-document", """{"text":"Текст согласия, версия 1"}""")).ReadJsonAsync(HttpStatusCode.OK);
        var code = await LinkCodeAsync(api);
        var web = host.Client();
        web.DefaultRequestHeaders.UserAgent.ParseAdd("ConsentTest/1.0");

        var page = await (await web.GetAsync("/p/" + code)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"agree\"", page);
        Assert.Contains("Текст согласия, версия 1", page);
        Assert.DoesNotContain("id=\"pay\"", page);

        // Paying around the step (a form posted directly) leads back to it and starts nothing.
        var around = await web.PostAsync($"/p/{code}/pay", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, around.StatusCode);
        Assert.Equal("/p/" + code, around.Headers.Location!.ToString());
        await using (var scope = host.Services.CreateAsyncScope())
            Assert.False(await scope.ServiceProvider.GetRequiredService<AppDbContext>().PaymentAttempts.IgnoreQueryFilters().AnyAsync(a => a.MerchantId == merchantId));

        // A page older than the current text (or a forged version) is asked again, nothing recorded.
        var stale = await web.PostAsync($"/p/{code}/consent", new FormUrlEncodedContent([new("version", "0")]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stale.StatusCode);
        Assert.Contains("id=\"agree\"", await stale.Content.ReadAsStringAsync());
        Assert.Empty(await ConsentsAsync(merchantId));

        var agree = await web.PostAsync($"/p/{code}/consent", new FormUrlEncodedContent([new("version", "1")]));
        Assert.Equal(HttpStatusCode.SeeOther, agree.StatusCode);
        var record = Assert.Single(await ConsentsAsync(merchantId));
        Assert.Equal("pay_page", record.Channel);
        Assert.Equal(1, record.DocumentVersion);
        Assert.NotNull(record.CustomerId);
        Assert.NotNull(record.LinkId);
        Assert.Equal("ConsentTest/1.0", record.UserAgent);

        page = await (await web.GetAsync("/p/" + code)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"pay\"", page);
        var pay = await web.PostAsync($"/p/{code}/pay", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, pay.StatusCode);
        Assert.Contains("/sandbox/checkout/", pay.Headers.Location!.ToString());

        // Agreeing twice records once; the client's consent then covers their next link too.
        await web.PostAsync($"/p/{code}/consent", new FormUrlEncodedContent([new("version", "1")]));
        Assert.Single(await ConsentsAsync(merchantId));
        var next = await LinkCodeAsync(api);
        Assert.Contains("id=\"pay\"", await (await web.GetAsync("/p/" + next)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Chat_Required_AsksFirst_HoldsTheMessage_AnswersItAfterAgreement()
    {
        var (merchantId, api) = await host.MerchantWithCatalogAsync();
        await RequireConsentAsync(api);
        var chat = await WebChat.OpenAsync(host, api);

        await chat.SayAsync("Здравствуйте! Сколько стоит маникюр?");
        var replies = await chat.RepliesAsync();
        var ask = Assert.Single(replies);
        Assert.Contains("согласие на обработку персональных данных", ask);
        Assert.Contains($"/consent/{merchantId}?v=0", ask);
        Assert.Empty(await ConsentsAsync(merchantId));

        // The document the link points to.
        var doc = await host.Client().GetAsync($"/consent/{merchantId}?v=0");
        Assert.Equal(HttpStatusCode.OK, doc.StatusCode);
        Assert.Contains("Согласие на обработку персональных данных", await doc.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client().GetAsync($"/consent/{merchantId}?v=7")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client().GetAsync("/consent/mer_nobody")).StatusCode);

        await chat.SayAsync("а что это?");
        replies = await chat.RepliesAsync();
        Assert.Equal(2, replies.Count);
        Assert.Contains("ответьте «Согласен»", replies[1]);

        await chat.SayAsync("Согласна");
        var record = Assert.Single(await ConsentsAsync(merchantId));
        Assert.Equal("webchat", record.Channel);
        Assert.Equal(0, record.DocumentVersion);
        Assert.NotNull(record.ConversationId);
        replies = await chat.RepliesAsync();
        Assert.True(replies.Count >= 3, string.Join(" | ", replies));
        // The held question is answered now (the price), and «Согласна» itself is not taken as a reply to the dialogue.
        Assert.Contains(replies.Skip(2), r => r.Contains("₽", StringComparison.Ordinal));

        await chat.SayAsync("спасибо");
        Assert.Single(await ConsentsAsync(merchantId));
        Assert.DoesNotContain((await chat.RepliesAsync()).Skip(2), r => r.Contains("ответьте «Согласен»", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chat_Refused_HandsTheConversationToTheManager_AndEnglishIsAskedInEnglish()
    {
        var (merchantId, api) = await host.MerchantWithCatalogAsync();
        await RequireConsentAsync(api);
        var chat = await WebChat.OpenAsync(host, api);
        await chat.SayAsync("Hi, how much is a manicure?");
        Assert.Contains("I agree", Assert.Single(await chat.RepliesAsync()));
        await chat.SayAsync("no");
        var replies = await chat.RepliesAsync();
        Assert.Equal(2, replies.Count);
        Assert.Contains("manager", replies[1]);
        Assert.Empty(await ConsentsAsync(merchantId));
        await using var scope = host.Services.CreateAsyncScope();
        var conv = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Conversations.IgnoreQueryFilters().SingleAsync(c => c.MerchantId == merchantId);
        Assert.True(conv.NeedsReply);
        Assert.True(conv.AssistantPaused);
    }

    [Fact]
    public async Task Dashboard_SwitchesTheStep_AndKeepsRetention()
    {
        var user = await host.NewUserAsync();
        var api = host.Client(user.ApiKey);
        await (await api.PutJsonAsync("/api/v1/personal-data/settings", """{"retentionDays":365}""")).ReadJsonAsync(HttpStatusCode.OK);
        var dash = await host.SignedInAsync(user);
        Assert.Contains("consent-step-form", await dash.PageAsync("/dashboard/settings/personal-data"));
        Assert.Equal(HttpStatusCode.Redirect, (await dash.PostAsync("/dashboard/settings/personal-data/consent-step", ("consentRequired", "on"))).StatusCode);
        var s = await (await api.GetAsync("/api/v1/personal-data/settings")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(s.GetProperty("consentRequired").GetBoolean());
        Assert.Equal(365, s.GetProperty("retentionDays").GetInt32());
        Assert.Equal(HttpStatusCode.Redirect, (await dash.PostAsync("/dashboard/settings/personal-data/retention", ("retentionDays", "400"))).StatusCode);
        s = await (await api.GetAsync("/api/v1/personal-data/settings")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(s.GetProperty("consentRequired").GetBoolean());
        Assert.Equal(400, s.GetProperty("retentionDays").GetInt32());
        Assert.Equal(HttpStatusCode.Redirect, (await dash.PostAsync("/dashboard/settings/personal-data/consent-step")).StatusCode);
        s = await (await api.GetAsync("/api/v1/personal-data/settings")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(s.GetProperty("consentRequired").GetBoolean());
    }

    [Theory]
    [InlineData("Согласен", ChatConsent.Reply.Agree)]
    [InlineData("да, согласна!", ChatConsent.Reply.Agree)]
    [InlineData("I agree.", ChatConsent.Reply.Agree)]
    [InlineData("Ок", ChatConsent.Reply.Agree)]
    [InlineData("не согласен", ChatConsent.Reply.Refuse)]
    [InlineData("Нет", ChatConsent.Reply.Refuse)]
    [InlineData("да, хочу на маникюр завтра", ChatConsent.Reply.Other)]
    [InlineData("согласен ли я? а что это за текст", ChatConsent.Reply.Other)]
    public void ConsentReplies_OnlyAPlainYesOrNoCounts(string text, ChatConsent.Reply expected) => Assert.Equal(expected, ChatConsent.Answer(text));
}

/// <summary>A web-chat visitor of a new chat account (the page sets the visitor cookie), saying things and reading replies.</summary>
internal sealed class WebChat(BookingsHost host, string slug, string visitor)
{
    public static async Task<WebChat> OpenAsync(BookingsHost host, HttpClient api)
    {
        var slug = "c-" + Guid.NewGuid().ToString("N")[..10];
        await (await api.PostJsonAsync("/api/v1/channel-accounts", $$$"""{"provider":"webchat","name":"Чат","settings":{"slug":"{{{slug}}}"}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var page = await host.Client().GetAsync("/chat/" + slug);
        var cookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pl_wv=", StringComparison.Ordinal));
        return new WebChat(host, slug, cookie[6..cookie.IndexOf(';')]);
    }

    public async Task SayAsync(string text)
    {
        var post = new HttpRequestMessage(HttpMethod.Post, $"/chat/{slug}/messages") { Content = HttpAssert.Json(JsonSerializer.Serialize(new { text })) };
        post.Headers.Add("X-Chat-Visitor", visitor);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Client().SendAsync(post)).StatusCode);
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        await host.DrainAsync();
    }

    public async Task<List<string>> RepliesAsync()
    {
        var poll = new HttpRequestMessage(HttpMethod.Get, $"/chat/{slug}/messages");
        poll.Headers.Add("X-Chat-Visitor", visitor);
        return (await (await host.Client().SendAsync(poll)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Where(i => !i.GetProperty("mine").GetBoolean()).Select(i => i.GetProperty("text").GetString()!).ToList();
    }
}

public sealed class SqliteConsentStepTests(BookingsSqliteHost host) : ConsentStepTests<BookingsSqliteHost>(host);
public sealed class PostgresConsentStepTests(BookingsPostgresHost host) : ConsentStepTests<BookingsPostgresHost>(host);
