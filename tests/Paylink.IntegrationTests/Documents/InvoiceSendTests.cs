using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Paylink.Core.Data;
using Paylink.IntegrationTests.Channels;
using Paylink.IntegrationTests.Infrastructure;
using UglyToad.PdfPig;

namespace Paylink.IntegrationTests.Documents;

/// <summary>Sending a счёт: by e-mail with the PDF attached (real SMTP listener), in Telegram as a document (Bot API fake), once per recipient.</summary>
public abstract class InvoiceSendTests<THost>(THost host) : IClassFixture<THost>, IAsyncLifetime where THost : ChannelsHost
{
    private readonly SmtpTestServer _smtp = new();
    private FakeBotApi _bot = null!;
    private static long _chat = 800_000_000 + Random.Shared.Next(1_000_000);

    public async Task InitializeAsync() => _bot = await FakeBotApi.StartAsync();

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private async Task<HttpClient> MerchantAsync()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        await (await c.PutJsonAsync("/api/v1/requisites", RequisitesTests<THost>.CompanyJson)).ReadJsonAsync(HttpStatusCode.OK);
        await (await c.PostJsonAsync("/api/v1/channel-accounts", $$$"""
            {"provider":"email","name":"Почта","settings":{"host":"127.0.0.1","port":{{{_smtp.Port}}},"security":"none","from":"Ромашка <noreply@romashka.ru>"}}
            """)).ReadJsonAsync(HttpStatusCode.Created);
        await (await c.PostJsonAsync("/api/v1/channel-accounts",
            $$$"""{"provider":"telegram","name":"Бот","settings":{"botToken":"{{{FakeBotApi.Token}}}","baseUrl":"{{{_bot.Url}}}"}}""")).ReadJsonAsync(HttpStatusCode.Created);
        return c;
    }

    private static async Task<System.Text.Json.JsonElement> InvoiceAsync(HttpClient c) =>
        await (await c.PostJsonAsync("/api/v1/invoices", InvoicesTests<THost>.InvoiceJson)).ReadJsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task Email_PdfAttached_ReadsBack_AndADoubleClickSendsOnce()
    {
        var c = await MerchantAsync();
        var inv = await InvoiceAsync(c);
        var id = inv.GetProperty("id").GetString();
        var before = _smtp.Messages.Count;
        // Two clicks at once and one after: one message.
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => c.PostJsonAsync($"/api/v1/invoices/{id}/send", """{"channel":"email"}""")));
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, a.StatusCode.ToString()));
        var bodies = await Task.WhenAll(answers.Select(a => a.ReadJsonAsync(a.StatusCode)));
        Assert.Single(bodies.Select(b => b.GetProperty("messageId").GetString()).Distinct());
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        var again = await (await c.PostJsonAsync($"/api/v1/invoices/{id}/send", """{"channel":"email","to":"buh@vector.example"}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(again.GetProperty("alreadySent").GetBoolean());
        Assert.Equal(bodies[0].GetProperty("messageId").GetString(), again.GetProperty("messageId").GetString());
        Assert.DoesNotContain("buh@", again.GetProperty("to").GetString());   // masked

        await host.DrainAsync();
        Assert.Equal(before + 1, _smtp.Messages.Count);
        var mail = _smtp.Messages.Last();
        Assert.Equal(["buh@vector.example"], mail.RcptTo);
        var mime = MimeMessage.Load(new MemoryStream(mail.Data));
        Assert.Equal("Счёт на оплату № 1 от 18.11.2026 — ООО «Ромашка»", mime.Subject);
        Assert.Contains("Сумма: 22\u00a0200,00 ₽", mime.TextBody);
        Assert.Contains("Оплатить до 23.11.2026", mime.TextBody);
        Assert.Contains(inv.GetProperty("payUrl").GetString()!, mime.TextBody);
        var attachment = Assert.Single(mime.Attachments.OfType<MimePart>());
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        Assert.Equal("schet-2026-1.pdf", attachment.FileName);
        using var ms = new MemoryStream();
        await attachment.Content!.DecodeToAsync(ms);
        using var pdf = PdfDocument.Open(ms.ToArray());
        var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)).Replace('\u00a0', ' ');
        Assert.Contains("Счёт на оплату № 1 от 18.11.2026", text);
        Assert.Contains("Всего к оплате: 22 200,00", text);

        var message = await (await c.GetAsync("/api/v1/messages/" + again.GetProperty("messageId").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("sent", message.GetProperty("status").GetString());
        var linkId = inv.GetProperty("linkId").GetString();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1, await db.LinkEvents.IgnoreQueryFilters().CountAsync(e => e.LinkId == linkId && e.Type == "sent"));
    }

    [Fact]
    public async Task Telegram_MessageHasNumberAmountDueDatePayLinkAndPdfLink()
    {
        var c = await MerchantAsync();
        var inv = await InvoiceAsync(c);
        var id = inv.GetProperty("id").GetString();
        var chat = Interlocked.Increment(ref _chat).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await (await c.PostJsonAsync($"/api/v1/invoices/{id}/send", """{"channel":"telegram"}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "to");
        await (await c.PostJsonAsync($"/api/v1/invoices/{id}/send", $$"""{"channel":"telegram","to":"{{chat}}"}""")).ReadJsonAsync(HttpStatusCode.Accepted);
        await (await c.PostJsonAsync($"/api/v1/invoices/{id}/send", $$"""{"channel":"telegram","to":"{{chat}}"}""")).ReadJsonAsync(HttpStatusCode.OK);
        await host.DrainAsync();
        // Telegram takes files: the PDF goes as sendDocument (multipart) with the message as its caption.
        Assert.DoesNotContain(_bot.Calls("sendMessage"), m => m["chat_id"]!.ToJsonString().Trim('"') == chat);
        var call = Assert.Single(_bot.Calls("sendDocument"), m => m["chat_id"]!.ToJsonString().Trim('"') == chat);
        var text = call["caption"]!.GetValue<string>();
        var file = Assert.Single(_bot.Files, f => f.Method == "sendDocument" && f.FileName == "schet-2026-1.pdf");
        Assert.Equal(("document", "application/pdf"), (file.Field, file.ContentType));
        Assert.Contains("Всего к оплате: 22 200,00", InvoicesTests<THost>.PdfText(file.Content));
        Assert.Contains("Счёт на оплату № 1 от 18.11.2026", text);
        Assert.Contains("22\u00a0200,00 ₽", text);
        Assert.Contains("Оплатить до 23.11.2026", text);
        var payUrl = inv.GetProperty("payUrl").GetString()!;
        Assert.Contains(payUrl, text);
        Assert.Contains(payUrl + "/invoice.pdf", text);
        Assert.Equal(payUrl, call["reply_markup"]!["inline_keyboard"]![0]![0]!["url"]!.GetValue<string>());
        // The PDF link works without a key: the link's code is the capability.
        var pdf = await host.Client().GetAsync(new Uri(payUrl + "/invoice.pdf").PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Contains("Счёт на оплату № 1", InvoicesTests<THost>.PdfText(await pdf.Content.ReadAsByteArrayAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client().GetAsync("/p/NOSUCHCODE/invoice.pdf")).StatusCode);
    }

    [Fact]
    public async Task Refusals_NameTheProblem_AndQueueNothing()
    {
        var c = await MerchantAsync();
        var inv = await InvoiceAsync(c);
        var id = inv.GetProperty("id").GetString();
        await (await c.PostJsonAsync($"/api/v1/invoices/{id}/send", "{}")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "channel");
        await (await c.PostJsonAsync($"/api/v1/invoices/{id}/send", """{"channel":"pigeon"}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "channel");
        await (await c.PostJsonAsync($"/api/v1/invoices/{id}/send", """{"channel":"email","to":"not-an-address"}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "to");
        var other = host.Client((await host.NewMerchantAsync()).ApiKey);
        await (await other.PostJsonAsync($"/api/v1/invoices/{id}/send", """{"channel":"email"}""")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await c.PostAsync($"/api/v1/invoices/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);
        await (await c.PostJsonAsync($"/api/v1/invoices/{id}/send", """{"channel":"email"}""")).AssertProblemAsync(HttpStatusCode.Conflict);
        var messages = await (await c.GetAsync($"/api/v1/links/{inv.GetProperty("linkId").GetString()}/messages")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, messages.GetProperty("items").GetArrayLength());
    }
}

public sealed class InvoiceSendSqliteTests(ChannelsSqliteHost host) : InvoiceSendTests<ChannelsSqliteHost>(host);
public sealed class InvoiceSendPostgresTests(ChannelsPostgresHost host) : InvoiceSendTests<ChannelsPostgresHost>(host);
