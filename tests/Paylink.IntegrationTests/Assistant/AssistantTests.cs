using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Assistant.Conversations;
using Paylink.Assistant.Dialogue;
using Paylink.Core.Catalog;
using Paylink.Core.Data;
using Paylink.Core.Messaging;
using Paylink.Core.Payments;
using Paylink.IntegrationTests.Bookings;
using Paylink.Providers.Gateways.Sandbox;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Assistant;

/// <summary>
/// The chat assistant wired into the server: a web-chat visitor writes, the <c>assistant.reply</c> job answers
/// through the dialogue over the real use cases (bookings, links, sandbox payments, refunds, CRM tasks), on both
/// databases. The clock starts on Wednesday 2026-11-18 10:00 Moscow time.
/// </summary>
public abstract class AssistantTests<THost>(THost host) : IClassFixture<THost> where THost : BookingsHost
{
    private sealed record Chat(HttpClient Api, string Slug, string AccountId, string Visitor, string MerchantId);

    private async Task<Chat> ChatAsync(string? settings = null)
    {
        var (merchantId, api) = await host.MerchantWithCatalogAsync();
        if (settings is not null) await (await api.PutJsonAsync("/api/v1/assistant/settings", settings)).ReadJsonAsync(HttpStatusCode.OK);
        var slug = "a-" + Guid.NewGuid().ToString("N")[..10];
        var account = await (await api.PostJsonAsync("/api/v1/channel-accounts", $$$"""{"provider":"webchat","name":"Чат","settings":{"slug":"{{{slug}}}"}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var page = await host.Client().GetAsync("/chat/" + slug);
        var cookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pl_wv=", StringComparison.Ordinal));
        return new Chat(api, slug, account.GetProperty("id").GetString()!, cookie[6..cookie.IndexOf(';')], merchantId);
    }

    private async Task SayAsync(Chat chat, string text, bool drain = true)
    {
        var post = new HttpRequestMessage(HttpMethod.Post, $"/chat/{chat.Slug}/messages") { Content = HttpAssert.Json(JsonSerializer.Serialize(new { text })) };
        post.Headers.Add("X-Chat-Visitor", chat.Visitor);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Client().SendAsync(post)).StatusCode);
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        if (drain) await host.DrainAsync();
    }

    /// <summary>What the visitor sees: the assistant's messages (text and button URLs) in order.</summary>
    private async Task<List<(string Text, string? Button)>> RepliesAsync(Chat chat)
    {
        var poll = new HttpRequestMessage(HttpMethod.Get, $"/chat/{chat.Slug}/messages");
        poll.Headers.Add("X-Chat-Visitor", chat.Visitor);
        var items = (await (await host.Client().SendAsync(poll)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray();
        return items.Where(i => !i.GetProperty("mine").GetBoolean())
            .Select(i => (i.GetProperty("text").GetString()!,
                i.TryGetProperty("buttons", out var b) && b.ValueKind == JsonValueKind.Array && b.GetArrayLength() > 0 ? b[0].GetProperty("url").GetString() : null))
            .ToList();
    }

    private static async Task<JsonElement> ConversationAsync(Chat chat)
    {
        var list = await (await chat.Api.GetAsync("/api/v1/conversations")).ReadJsonAsync(HttpStatusCode.OK);
        var id = list.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("address").GetString() == chat.Visitor).GetProperty("id").GetString();
        return await (await chat.Api.GetAsync("/api/v1/conversations/" + id)).ReadJsonAsync(HttpStatusCode.OK);
    }

    private static async Task<List<JsonElement>> BookingsAsync(Chat chat) =>
        (await (await chat.Api.GetAsync("/api/v1/bookings?from=2026-11-18T00:00:00%2B03:00&to=2026-12-31T00:00:00%2B03:00")).ReadJsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToList();

    private static async Task<List<JsonElement>> DecisionsAsync(Chat chat, string conversationId) =>
        (await (await chat.Api.GetAsync("/api/v1/assistant/decisions?conversation=" + conversationId)).ReadJsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToList();

    private async Task PayAsync(string payUrl)
    {
        var pay = await host.Client().PostAsync(new Uri(payUrl).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, pay.StatusCode);
        await host.Client().PostAsync(pay.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        await host.DrainAsync();
    }

    [Fact]
    public async Task Book_ConfirmWithYes_PrepaymentInvoiceInChat_PaidConfirmsBooking()
    {
        var chat = await ChatAsync("""{"prepayment":{"kind":"percent","value":50}}""");
        await SayAsync(chat, "хочу записаться на маникюр завтра в 15:00");
        var proposal = Assert.Single(await RepliesAsync(chat));
        Assert.Contains("15:00", proposal.Text);
        Assert.Contains("1 250", proposal.Text.Replace('\u00A0', ' '));   // half of 2 500 ₽
        Assert.Empty(await BookingsAsync(chat));                          // nothing is booked before "да"

        await SayAsync(chat, "да");
        var booking = Assert.Single(await BookingsAsync(chat));
        Assert.Equal("pending", booking.GetProperty("status").GetString());
        Assert.Equal("2026-11-19T15:00:00+03:00", booking.GetProperty("localStart").GetString());
        var replies = await RepliesAsync(chat);
        var invoice = replies.Last();
        Assert.True(invoice.Button is not null, string.Join("\n", replies.Select(r => r.Text + " | " + r.Button)));
        var link = await (await chat.Api.GetAsync("/api/v1/links/" + booking.GetProperty("linkId").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(125000, link.GetProperty("amount").GetInt64());
        Assert.Equal(link.GetProperty("url").GetString(), invoice.Button);

        var conversation = await ConversationAsync(chat);
        Assert.Equal(booking.GetProperty("customerId").GetString(), conversation.GetProperty("customerId").GetString());
        Assert.False(conversation.GetProperty("needsReply").GetBoolean());
        var decisions = await DecisionsAsync(chat, conversation.GetProperty("id").GetString()!);
        Assert.Equal("book", decisions[1].GetProperty("intent").GetString());
        Assert.Equal("propose: booking", decisions[1].GetProperty("action").GetString());
        Assert.Equal("book", decisions[0].GetProperty("action").GetString());
        Assert.Equal(booking.GetProperty("id").GetString(), decisions[0].GetProperty("bookingId").GetString());
        Assert.All(decisions, d => Assert.InRange(d.GetProperty("confidence").GetDouble(), 0.01, 1.0));

        await PayAsync(invoice.Button!);
        Assert.Equal("confirmed", Assert.Single(await BookingsAsync(chat)).GetProperty("status").GetString());

        // "Did I pay?" answers from the link.
        await SayAsync(chat, "я оплатила?");
        Assert.Contains("прошла", (await RepliesAsync(chat)).Last().Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Book_WithStaff_LandsWithStaff_AndAnotherStaffMembersTimeDoesNotBlock()
    {
        var chat = await ChatAsync();
        await using (var scope = host.Services.CreateAsyncScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<ImportCatalog>().HandleAsync(chat.MerchantId,
                [new CatalogEntry("manicure", "Маникюр с покрытием", 250000, "RUB", DurationMinutes: 60, Staff: ["Анна", "Ольга"])], CancellationToken.None)).IsSuccess);
        await host.BookAsync(chat.Api, "2026-11-19T15:00:00+03:00", staff: "Анна", phone: "+79160000001");

        await SayAsync(chat, "хочу записаться к Анне на маникюр завтра в 15:00");
        Assert.StartsWith("У мастера Анна это время занято", (await RepliesAsync(chat)).Last().Text);

        await SayAsync(chat, "а к Оле можно в 15:00?");
        Assert.Contains("к мастеру Ольга", (await RepliesAsync(chat)).Last().Text);
        Assert.Contains("15:00", (await RepliesAsync(chat)).Last().Text);
        await SayAsync(chat, "да");
        var olga = Assert.Single(await BookingsAsync(chat), b => b.GetProperty("staff").GetString() == "Ольга");
        Assert.Equal("2026-11-19T15:00:00+03:00", olga.GetProperty("localStart").GetString());
        Assert.Equal(2, (await BookingsAsync(chat)).Count);
    }

    /// <summary>The sandbox acquirer's notification for a checkout, sent again as a gateway redelivers it.</summary>
    private async Task RedeliverNotificationAsync(string checkoutUrl)
    {
        byte[] body;
        string accountId, secret;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var sp = scope.ServiceProvider;
            var db = sp.GetRequiredService<AppDbContext>();
            var id = checkoutUrl[(checkoutUrl.LastIndexOf('/') + 1)..];
            var c = await db.SandboxCheckouts.SingleAsync(x => x.Id == id);
            var account = await db.GatewayAccounts.SingleAsync(a => a.Id == c.AccountId);
            secret = sp.GetRequiredService<GatewayAccounts>().Open(account).Value.Context.Settings["secret"]!.GetValue<string>();
            body = JsonSerializer.SerializeToUtf8Bytes(new SandboxNotification($"evt_{c.Id}_{SandboxNotification.Succeeded}", SandboxNotification.Succeeded,
                c.CompletedAt ?? host.Clock.GetUtcNow(), new SandboxNotification.CheckoutInfo(c.Id, c.Reference, c.AmountMinor, c.Currency, "succeeded")), SandboxNotification.Json);
            accountId = account.Id;
        }
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/sandbox/{accountId}") { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new("application/json");
        req.Headers.TryAddWithoutValidation(SandboxSignature.Header, SandboxSignature.Sign(secret, host.Clock.GetUtcNow().ToUnixTimeSeconds(), body));
        Assert.Equal(HttpStatusCode.OK, (await host.Client().SendAsync(req)).StatusCode);
        await host.DrainAsync();
    }

    [Fact]
    public async Task Paid_ChatGetsTheConfirmationOnce_EvenWhenTheNotificationComesTwice_PayPageLeadsBack()
    {
        var chat = await ChatAsync("""{"prepayment":{"kind":"percent","value":50}}""");
        await SayAsync(chat, "хочу записаться на маникюр завтра в 15:00");
        await SayAsync(chat, "да");
        var invoiceUrl = (await RepliesAsync(chat)).Last().Button!;
        var pay = await host.Client().PostAsync(new Uri(invoiceUrl).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        var checkout = pay.Headers.Location!.ToString();
        await host.Client().PostAsync(new Uri(checkout).PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        await host.DrainAsync();

        const string Expected = "Оплата 1 250 ₽ получена, спасибо! Запись подтверждена: Маникюр с покрытием, 19 ноября 2026, 15:00.";
        var replies = (await RepliesAsync(chat)).Select(r => r.Text.Replace('\u00A0', ' ')).ToList();
        Assert.Equal(Expected, replies.Last());
        await RedeliverNotificationAsync(checkout);
        replies = (await RepliesAsync(chat)).Select(r => r.Text.Replace('\u00A0', ' ')).ToList();
        Assert.Single(replies, r => r == Expected);

        // Writing to the chat afterwards does not bring the confirmation back either.
        await SayAsync(chat, "спасибо");
        Assert.Single((await RepliesAsync(chat)).Select(r => r.Text.Replace('\u00A0', ' ')), r => r == Expected);

        var page = await (await host.Client().GetAsync(new Uri(invoiceUrl).PathAndQuery)).Content.ReadAsStringAsync();
        Assert.Contains("Оплачено", page);
        // The «Оплачено» view names the prepayment and shows the booking as it is now.
        Assert.Contains("<span id=\"kind\">Предоплата</span>: Маникюр с покрытием", page);
        Assert.Contains("Ваша запись: 19 ноября 2026, 15:00", page.Replace('\u00A0', ' '));
        Assert.Contains($"href=\"/chat/{chat.Slug}\"", page);
        Assert.Contains("Вернуться в чат", page);
    }

    [Fact]
    public async Task Paid_LinkNotFromTheChat_NoChatConfirmationNoWayBack()
    {
        var chat = await ChatAsync();
        await SayAsync(chat, "привет");
        var before = (await RepliesAsync(chat)).Count;
        var link = await (await chat.Api.PostJsonAsync("/api/v1/links", """{"amount":50000,"currency":"RUB","description":"Сертификат"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        await host.Client().PostAsync(pay.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        await host.DrainAsync();
        Assert.Equal(before, (await RepliesAsync(chat)).Count);
        var page = await (await host.Client().GetAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery)).Content.ReadAsStringAsync();
        Assert.Contains("Оплачено", page);
        Assert.DoesNotContain("back-to-chat", page);
    }

    [Fact]
    public async Task Correction_BeforeYes_BooksTheCorrectedTime_AndAServiceWithoutDurationIsInvoicedWithoutASlot()
    {
        var chat = await ChatAsync("""{"prepayment":{"kind":"percent","value":50}}""");
        await SayAsync(chat, "хочу на массаж спины завтра в 12:00");
        await SayAsync(chat, "ой, давайте лучше в 5");
        Assert.Contains("17:00", (await RepliesAsync(chat)).Last().Text);
        Assert.Empty(await BookingsAsync(chat));
        await SayAsync(chat, "да");
        Assert.Equal("2026-11-19T17:00:00+03:00", Assert.Single(await BookingsAsync(chat)).GetProperty("localStart").GetString());

        await SayAsync(chat, "а ещё консультацию хочу");
        Assert.Contains("Прислать ссылку на оплату?", (await RepliesAsync(chat)).Last().Text);
        await SayAsync(chat, "да");
        var invoice = (await RepliesAsync(chat)).Last();
        Assert.NotNull(invoice.Button);
        Assert.Single(await BookingsAsync(chat));   // no slot for a consultation without a duration
    }

    [Fact]
    public async Task EnglishClient_GetsEnglishReplies_AndStatusFromThePayment()
    {
        var chat = await ChatAsync("""{"prepayment":{"kind":"full"}}""");
        await SayAsync(chat, "hi! can I book a back massage tomorrow at 3pm?");
        Assert.StartsWith("Booking", (await RepliesAsync(chat)).Last().Text);
        await SayAsync(chat, "yes");
        var invoice = (await RepliesAsync(chat)).Last();
        Assert.StartsWith("Done, you are booked", (await RepliesAsync(chat))[^2].Text + invoice.Text);
        await PayAsync(invoice.Button!);
        await SayAsync(chat, "did the payment go through?");
        Assert.Contains("Your booking is confirmed", (await RepliesAsync(chat)).Last().Text);
        Assert.Equal("en", (await ConversationAsync(chat)).GetProperty("language").GetString());
    }

    [Fact]
    public async Task Cancel_MoreThanADayBefore_RefundsThePrepaymentThroughTheGateway()
    {
        var chat = await ChatAsync("""{"prepayment":{"kind":"full"},"cancellation":{"fullRefundHoursBefore":24,"keepDepositWhenLate":true}}""");
        await SayAsync(chat, "запишите на массаж в пятницу в 12:00");
        await SayAsync(chat, "да");
        var booking = Assert.Single(await BookingsAsync(chat));
        await PayAsync((await RepliesAsync(chat)).Last().Button!);

        await SayAsync(chat, "хочу отменить запись");
        Assert.Contains("4 000", (await RepliesAsync(chat)).Last().Text.Replace('\u00A0', ' '));
        Assert.Equal("confirmed", Assert.Single(await BookingsAsync(chat)).GetProperty("status").GetString());
        await SayAsync(chat, "да");
        Assert.Equal("cancelled", Assert.Single(await BookingsAsync(chat)).GetProperty("status").GetString());
        var link = await (await chat.Api.GetAsync("/api/v1/links/" + booking.GetProperty("linkId").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("refunded", link.GetProperty("status").GetString());
        var refunds = (await (await chat.Api.GetAsync($"/api/v1/links/{link.GetProperty("id").GetString()}/refunds")).ReadJsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(400000, Assert.Single(refunds).GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Reschedule_MovesTheBooking_AfterConfirmation()
    {
        var chat = await ChatAsync();
        await SayAsync(chat, "маникюр завтра в 11:00");
        await SayAsync(chat, "да");
        Assert.Equal("2026-11-19T11:00:00+03:00", Assert.Single(await BookingsAsync(chat)).GetProperty("localStart").GetString());
        await SayAsync(chat, "можно перенести запись на послезавтра в 16:00?");
        Assert.Contains("16:00", (await RepliesAsync(chat)).Last().Text);
        await SayAsync(chat, "да");
        var moved = Assert.Single(await BookingsAsync(chat));
        Assert.Equal("2026-11-20T16:00:00+03:00", moved.GetProperty("localStart").GetString());
        Assert.Equal("2026-11-20T17:00:00+03:00", moved.GetProperty("localEnd").GetString());
    }

    [Fact]
    public async Task NotUnderstoodTwice_HandsOverWithTask_QuietUntilHandedBack()
    {
        var chat = await ChatAsync();
        await SayAsync(chat, "фывапролд жэ");
        await SayAsync(chat, "ывапр олдж");
        var conversation = await ConversationAsync(chat);
        Assert.True(conversation.GetProperty("needsReply").GetBoolean(), string.Join("\n", (await DecisionsAsync(chat, conversation.GetProperty("id").GetString()!)).Select(d => d.GetRawText())));
        Assert.False(conversation.GetProperty("assistantActive").GetBoolean());
        var tasks = (await (await chat.Api.GetAsync("/api/v1/crm/tasks")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(conversation.GetProperty("id").GetString()!, Assert.Single(tasks).GetProperty("text").GetString());
        var before = (await RepliesAsync(chat)).Count;

        await SayAsync(chat, "хочу на маникюр завтра в 15:00");
        Assert.Equal(before, (await RepliesAsync(chat)).Count);   // a person has it now

        var id = conversation.GetProperty("id").GetString()!;
        await (await chat.Api.PostJsonAsync($"/api/v1/conversations/{id}/assistant", "{}")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "active");
        await (await chat.Api.PostJsonAsync("/api/v1/conversations/cnv_nope/assistant", """{"active":true}""")).AssertProblemAsync(HttpStatusCode.NotFound);
        var back = await (await chat.Api.PostJsonAsync($"/api/v1/conversations/{id}/assistant", """{"active":true}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(back.GetProperty("assistantActive").GetBoolean());
        await SayAsync(chat, "сколько стоит массаж?");
        // The message written while the manager had it is answered too: the price comes, and the proposal made
        // for that message is asked again after it.
        var last = await RepliesAsync(chat);
        Assert.Contains("4 000", last[^2].Text.Replace('\u00A0', ' '));
        Assert.StartsWith("Записываю: Маникюр с покрытием", last[^1].Text);

        // A manager's reply takes the conversation over again.
        await (await chat.Api.PostJsonAsync($"/api/v1/conversations/{id}/messages", """{"text":"Здравствуйте! Это Анна, администратор."}""")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.False((await ConversationAsync(chat)).GetProperty("assistantActive").GetBoolean());
    }

    [Fact]
    public async Task PayQuestion_AboutTheManagersInvoice_ShowsItAgainWithoutANewLink()
    {
        var chat = await ChatAsync();
        await SayAsync(chat, "здравствуйте");
        var link = await chat.Api.CreateLinkAsync(300000, "Курс массажа");
        var id = link.GetProperty("id").GetString()!;
        (await chat.Api.PostJsonAsync($"/api/v1/links/{id}/send", $$"""{"channelAccount":"{{chat.AccountId}}","to":"{{chat.Visitor}}"}""")).EnsureSuccessStatusCode();
        await host.DrainAsync();
        var before = (await (await chat.Api.GetAsync("/api/v1/links")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength();

        await SayAsync(chat, "а как оплатить?");
        var last = (await RepliesAsync(chat)).Last();
        Assert.Equal(link.GetProperty("url").GetString(), last.Button);
        Assert.Equal(before, (await (await chat.Api.GetAsync("/api/v1/links")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        var reminders = (await (await chat.Api.GetAsync($"/api/v1/links/{id}/reminders")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength();
        Assert.Equal(2, reminders);   // planned once, by the manager's send, not again
    }

    private static async Task<List<JsonElement>> InvoicesAsync(Chat chat) =>
        (await (await chat.Api.GetAsync("/api/v1/invoices")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task CompanyInvoice_ShowsExactlyWhatWillBeIssued_YesIssuesTheSchet_WithItsPdfAndPayLink()
    {
        var chat = await ChatAsync();
        await (await chat.Api.PutJsonAsync("/api/v1/requisites", Documents.RequisitesTests<THost>.CompanyJson)).ReadJsonAsync(HttpStatusCode.OK);
        await SayAsync(chat, "Здравствуйте, выставьте счёт на ООО «Вектор», ИНН 7736207543, КПП 770401001 за консультацию");
        var proposal = (await RepliesAsync(chat)).Last().Text.Replace('\u00a0', ' ');
        Assert.Contains("Выставлю счёт: Консультация — 1 000 ₽", proposal);
        Assert.Contains("Покупатель: ООО «Вектор», ИНН 7736207543, КПП 770401001", proposal);
        Assert.Contains("Всё верно?", proposal);
        Assert.Empty(await InvoicesAsync(chat));   // nothing before the yes

        await SayAsync(chat, "да");
        var invoice = Assert.Single(await InvoicesAsync(chat));
        Assert.Equal("ООО «Вектор»", invoice.GetProperty("buyer").GetProperty("name").GetString());
        Assert.Equal("7736207543", invoice.GetProperty("buyer").GetProperty("inn").GetString());
        Assert.Equal("770401001", invoice.GetProperty("buyer").GetProperty("kpp").GetString());
        Assert.Equal(100000, invoice.GetProperty("amount").GetInt64());
        Assert.Equal("Консультация", invoice.GetProperty("items")[0].GetProperty("name").GetString());
        var replies = await RepliesAsync(chat);
        var payUrl = invoice.GetProperty("payUrl").GetString()!;
        Assert.Contains(replies, r => r.Text.Contains("Счёт № 1 от 18.11.2026 выставлен", StringComparison.Ordinal)
                                      && r.Text.Contains(payUrl + "/invoice.pdf", StringComparison.Ordinal));
        Assert.Equal(payUrl, replies.Last().Button);
        var pdf = await host.Client().GetAsync(new Uri(payUrl + "/invoice.pdf").PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Contains("ООО «Вектор»", Documents.InvoicesTests<THost>.PdfText(await pdf.Content.ReadAsByteArrayAsync()));
        await SayAsync(chat, "да");   // a second yes issues nothing more
        Assert.Single(await InvoicesAsync(chat));
    }

    [Fact]
    public async Task CompanyInvoice_WrongInn_GetsASpecificReply_MissingDetailsAreAsked_NoIssuesNothing()
    {
        var chat = await ChatAsync();
        await (await chat.Api.PutJsonAsync("/api/v1/requisites", Documents.RequisitesTests<THost>.CompanyJson)).ReadJsonAsync(HttpStatusCode.OK);
        await SayAsync(chat, "нужен счёт для юрлица: ООО «Вектор», ИНН 7736207544");
        var wrong = (await RepliesAsync(chat)).Last().Text;
        Assert.Contains("ИНН 7736207544 не подходит: не сходится контрольная цифра", wrong);
        await SayAsync(chat, "ИНН 773620754");
        Assert.Contains("в нём 9 цифр", (await RepliesAsync(chat)).Last().Text);
        await SayAsync(chat, "ИНН 7736207543");
        Assert.Contains("За что выставить счёт?", (await RepliesAsync(chat)).Last().Text);
        await SayAsync(chat, "за консультацию");
        var proposal = (await RepliesAsync(chat)).Last().Text;
        Assert.Contains("Покупатель: ООО «Вектор», ИНН 7736207543.", proposal);
        await SayAsync(chat, "нет");
        Assert.Empty(await InvoicesAsync(chat));

        var en = await ChatAsync();
        await SayAsync(en, "Hello, please invoice our company, INN 7736207543");
        Assert.Contains("What is the company's name", (await RepliesAsync(en)).Last().Text);
    }

    [Fact]
    public async Task ReceiptsOn_NoContactYet_AsksForPhone_ThenBooksWithIt()
    {
        var chat = await ChatAsync("""{"prepayment":{"kind":"full"}}""");
        (await chat.Api.PutAsync("/api/v1/fiscal-settings", HttpAssert.Json("""{"receiptsEnabled":true,"taxSystem":"usn_income","defaultVat":"none","paymentMethod":"full_prepayment","defaultPaymentObject":"service","defaultMeasure":"piece","ffdVersion":"1.2"}""")))
            .EnsureSuccessStatusCode();
        await SayAsync(chat, "маникюр завтра в 12:00");
        await SayAsync(chat, "да");
        Assert.Contains("телефон или e-mail", (await RepliesAsync(chat)).Last().Text);
        Assert.Empty(await BookingsAsync(chat));   // nothing half-written: no booking without its prepayment link

        await SayAsync(chat, "мой номер 8 (916) 555-44-33");
        var booking = Assert.Single(await BookingsAsync(chat));
        Assert.Equal("2026-11-19T12:00:00+03:00", booking.GetProperty("localStart").GetString());
        var customer = await (await chat.Api.GetAsync("/api/v1/crm/contacts/" + booking.GetProperty("customerId").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("+79165554433", customer.GetProperty("contact").GetProperty("phone").GetString());
        Assert.NotNull((await RepliesAsync(chat)).Last().Button);
    }

    [Fact]
    public async Task Balance_AfterPrepayment_IsItsOwnInvoice_AndCountsAsPaid()
    {
        var chat = await ChatAsync("""{"prepayment":{"kind":"percent","value":50}}""");
        await SayAsync(chat, "маникюр завтра в 16:00");
        await SayAsync(chat, "да");
        await PayAsync((await RepliesAsync(chat)).Last().Button!);
        await SayAsync(chat, "хочу оплатить остаток");
        var balance = (await RepliesAsync(chat)).Last();
        Assert.Contains("1 250", balance.Text.Replace('\u00A0', ' '));
        await PayAsync(balance.Button!);

        await SayAsync(chat, "как оплатить?");   // nothing is due any more: no second balance invoice, no hand-over
        var conversation = await ConversationAsync(chat);
        Assert.True(conversation.GetProperty("assistantActive").GetBoolean());
        var decision = (await DecisionsAsync(chat, conversation.GetProperty("id").GetString()!))[0];
        Assert.Equal("ask: pay for what", decision.GetProperty("action").GetString());
    }

    [Fact]
    public async Task MessagesArrivingTogether_AnsweredOnceEach_InOrder()
    {
        var chat = await ChatAsync();
        await SayAsync(chat, "здравствуйте", drain: false);
        await SayAsync(chat, "сколько стоит маникюр", drain: false);
        await Task.WhenAll(host.DrainAsync(), host.DrainAsync());
        await host.DrainAsync();
        var replies = await RepliesAsync(chat);
        Assert.Equal(2, replies.Count);
        Assert.Contains("2 500", replies[1].Text.Replace('\u00A0', ' '));
        var conversation = await ConversationAsync(chat);
        Assert.Equal(2, (await DecisionsAsync(chat, conversation.GetProperty("id").GetString()!)).Count);
    }

    [Fact]
    public async Task Settings_ValidatedPerField_AndSwitchedOffPerChannel()
    {
        var chat = await ChatAsync();
        var api = chat.Api;
        var defaults = await (await api.GetAsync("/api/v1/assistant/settings")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(defaults.GetProperty("enabled").GetBoolean());
        Assert.Equal("none", defaults.GetProperty("prepayment").GetProperty("kind").GetString());
        await (await api.PutJsonAsync("/api/v1/assistant/settings", """{"hours":"mon-fri 25:00-20:00"}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "hours");
        await (await api.PutJsonAsync("/api/v1/assistant/settings", """{"prepayment":{"kind":"half"}}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "prepayment.kind");
        await (await api.PutJsonAsync("/api/v1/assistant/settings", """{"prepayment":{"kind":"percent","value":150}}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "prepayment.value");
        await (await api.PutJsonAsync("/api/v1/assistant/settings", """{"disabledChannelAccounts":["cha_nope"]}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "disabledChannelAccounts[0]");
        await (await api.PutJsonAsync("/api/v1/assistant/settings", """{"slotStepMinutes":"x"}""")).AssertProblemAsync(HttpStatusCode.BadRequest);
        // Nothing of the refused requests was stored.
        Assert.Equal(defaults.GetRawText(), (await (await api.GetAsync("/api/v1/assistant/settings")).ReadJsonAsync(HttpStatusCode.OK)).GetRawText());

        var saved = await (await api.PutJsonAsync("/api/v1/assistant/settings", $$"""{"disabledChannelAccounts":["{{chat.AccountId}}"],"hours":"mon-fri 10:00-20:00; sat 11:00-16:00"}"""))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(chat.AccountId, saved.GetProperty("disabledChannelAccounts")[0].GetString());
        await SayAsync(chat, "хочу на маникюр завтра в 15:00");
        Assert.Empty(await RepliesAsync(chat));
        Assert.True((await ConversationAsync(chat)).GetProperty("needsReply").GetBoolean());

        var other = host.Client((await host.NewMerchantAsync("Другой")).ApiKey);
        await (await other.PutJsonAsync("/api/v1/assistant/settings", $$"""{"disabledChannelAccounts":["{{chat.AccountId}}"]}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "disabledChannelAccounts[0]");   // another merchant's account is unknown
    }
}

public sealed class AssistantSqliteTests(BookingsSqliteHost host) : AssistantTests<BookingsSqliteHost>(host);
public sealed class AssistantPostgresTests(BookingsPostgresHost host) : AssistantTests<BookingsPostgresHost>(host);
