using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Messaging;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Channels;

/// <summary>Background runner off (tests drain jobs), no per-chat pacing (each test uses its own chats).</summary>
public class ChannelsHost(Db kind) : PaylinkHost(kind)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "false",
        ["Channels:Telegram:PerChatIntervalMs"] = "0",
        ["Channels:Telegram:GlobalPerSecond"] = "1000",
        ["Gateways:Http:AttemptTimeoutSeconds"] = "2",
    };

    public Task<int> DrainAsync() => Services.GetRequiredService<JobRunner>().DrainAsync();
}
public sealed class ChannelsSqliteHost() : ChannelsHost(Db.Sqlite);
public sealed class ChannelsPostgresHost() : ChannelsHost(Db.Postgres);

/// <summary>Channel accounts, sending through the Bot API fake, faults, inbound updates, conversations, opt-out, reminders, templates.</summary>
public abstract class ChannelsTests<THost>(THost host) : IClassFixture<THost>, IAsyncLifetime where THost : ChannelsHost
{
    private FakeBotApi _bot = null!;
    private static long _chat = 700_000_000 + Random.Shared.Next(1_000_000);

    public async Task InitializeAsync() => _bot = await FakeBotApi.StartAsync();
    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private static string NewChat() => Interlocked.Increment(ref _chat).ToString();

    private async Task<(HttpClient Api, string AccountId, string Secret)> TelegramAsync()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var created = await (await api.PostJsonAsync("/api/v1/channel-accounts",
            $$$"""{"provider":"telegram","name":"Бот","settings":{"botToken":"{{{FakeBotApi.Token}}}","baseUrl":"{{{_bot.Url}}}"}}""")).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        (await api.PostAsync($"/api/v1/channel-accounts/{id}/register-webhook", null)).EnsureSuccessStatusCode();
        var secret = _bot.Calls("setWebhook").Last(c => c["url"]!.GetValue<string>().EndsWith(id, StringComparison.Ordinal))["secret_token"]!.GetValue<string>();
        return (api, id, secret);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient api, string linkId, string account, string to, string? key = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/links/{linkId}/send") { Content = HttpAssert.Json($$"""{"channelAccount":"{{account}}","to":"{{to}}"}""") };
        if (key is not null) req.Headers.Add("Idempotency-Key", key);
        return await api.SendAsync(req);
    }

    private Task<HttpResponseMessage> UpdateAsync(string account, string? secret, string json)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{account}") { Content = HttpAssert.Json(json) };
        if (secret is not null) req.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        return host.Client().SendAsync(req);
    }

    private static long _update = 50_000 + Random.Shared.Next(1_000_000);

    private static string TextUpdate(string chat, string text) => JsonSerializer.Serialize(new
    {
        update_id = Interlocked.Increment(ref _update),
        message = new { message_id = 5, date = 1795000000, from = new { id = long.Parse(chat), is_bot = false, first_name = "Анна", language_code = "ru" },
            chat = new { id = long.Parse(chat), type = "private", first_name = "Анна" }, text },
    });

    private static async Task<JsonElement> MessageAsync(HttpClient api, string id) =>
        await (await api.GetAsync("/api/v1/messages/" + id)).ReadJsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Invoice_MerchantDefaultSbp_PayButtonOpensSbpStep()
    {
        var (api, account, _) = await TelegramAsync();
        (await api.PutAsync("/api/v1/payment-method-settings", HttpAssert.Json("""{"defaultMethod":"sbp"}"""))).EnsureSuccessStatusCode();
        var link = await api.CreateLinkAsync(250000, "Маникюр");
        var chat = NewChat();
        await (await SendAsync(api, link.GetProperty("id").GetString()!, account, chat)).ReadJsonAsync(HttpStatusCode.Accepted);
        await host.DrainAsync();
        var call = Assert.Single(_bot.Calls("sendMessage"), c => c["chat_id"]!.ToJsonString() == chat);
        var button = call["reply_markup"]!["inline_keyboard"]![0]![0]!;
        Assert.Equal("Оплатить через СБП 2\u00A0500\u00A0₽", button["text"]!.GetValue<string>());
        Assert.Equal(link.GetProperty("url").GetString() + "/sbp", button["url"]!.GetValue<string>());
        // Without a QR yet the SBP step offers to make one (the chat button is a plain link, no form).
        var step = await host.Client().GetStringAsync(new Uri(button["url"]!.GetValue<string>()).PathAndQuery);
        Assert.Contains("Получить новый QR-код", step, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accounts_ValidatedMaskedTestedAndWebhookRegistered_OtherMerchantSeesNothing()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        await (await api.PostJsonAsync("/api/v1/channel-accounts", """{"provider":"pigeon","name":"x","settings":{}}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider");
        await (await api.PostJsonAsync("/api/v1/channel-accounts", """{"provider":"telegram","name":"Бот","settings":{"botToken":"nope"}}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "settings.botToken");
        await (await api.PostJsonAsync("/api/v1/channel-accounts", $$$"""{"provider":"telegram","name":"Бот","settings":{"botToken":"{{{FakeBotApi.Token}}}","colour":"red"}}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "settings.colour");

        var created = await (await api.PostJsonAsync("/api/v1/channel-accounts",
            $$$"""{"provider":"telegram","name":"Бот","settings":{"botToken":"{{{FakeBotApi.Token}}}","baseUrl":"{{{_bot.Url}}}"}}""")).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("123456789:****hijk", created.GetProperty("settings").GetProperty("botToken").GetString());
        Assert.Equal($"http://localhost/webhooks/telegram/{id}", created.GetProperty("webhookUrl").GetString());
        Assert.False(created.GetProperty("webhookRegistered").GetBoolean());

        var test = await (await api.PostAsync($"/api/v1/channel-accounts/{id}/test", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains("@lavanda_bot", test.GetProperty("message").GetString());
        (await api.PostAsync($"/api/v1/channel-accounts/{id}/register-webhook", null)).EnsureSuccessStatusCode();
        var set = _bot.Calls("setWebhook").Last();
        Assert.Equal($"http://localhost/webhooks/telegram/{id}", set["url"]!.GetValue<string>());
        Assert.Matches("^[A-Za-z0-9_-]{40,}$", set["secret_token"]!.GetValue<string>());
        Assert.Contains("pre_checkout_query", set["allowed_updates"]!.ToJsonString());
        Assert.True((await (await api.GetAsync($"/api/v1/channel-accounts/{id}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("webhookRegistered").GetBoolean());

        // A wrong token is reported by the test call, not stored as working.
        await (await api.PatchAsync($"/api/v1/channel-accounts/{id}", HttpAssert.Json("""{"settings":{"botToken":"123456789:AAWrongTokenxxxxxxxxxxxxxxxxxxxxx"}}"""))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/channel-accounts/{id}/test", null)).StatusCode);

        var other = host.Client((await host.NewMerchantAsync("Другой")).ApiKey);
        await (await other.GetAsync($"/api/v1/channel-accounts/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await (await other.GetAsync("/api/v1/channel-accounts")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/channel-accounts/{id}")).StatusCode);
        await (await api.GetAsync($"/api/v1/channel-accounts/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Send_Invoice_QueuedThenSentOnceWithPayButton_IdempotentAndValidated()
    {
        var (api, account, _) = await TelegramAsync();
        var link = await api.CreateLinkAsync(250000, "Маникюр");
        var linkId = link.GetProperty("id").GetString()!;
        var chat = NewChat();

        await (await SendAsync(api, linkId, account, "not a chat")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "to");
        await (await SendAsync(api, "lnk_unknown", account, chat)).AssertProblemAsync(HttpStatusCode.NotFound);
        var other = host.Client((await host.NewMerchantAsync("Другой")).ApiKey);
        await (await SendAsync(other, linkId, account, chat)).AssertProblemAsync(HttpStatusCode.NotFound);

        var sent = await (await SendAsync(api, linkId, account, chat, key: "send-1")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("queued", sent.GetProperty("status").GetString());
        var messageId = sent.GetProperty("messageId").GetString()!;
        var replay = await (await SendAsync(api, linkId, account, chat, key: "send-1")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(messageId, replay.GetProperty("messageId").GetString());
        Assert.Equal("queued", (await MessageAsync(api, messageId)).GetProperty("status").GetString());

        await host.DrainAsync();
        await host.DrainAsync();
        var call = Assert.Single(_bot.Calls("sendMessage"), c => c["chat_id"]!.ToJsonString() == chat);
        Assert.Contains("2\u00A0500,00\u00A0₽", call["text"]!.GetValue<string>());
        var button = call["reply_markup"]!["inline_keyboard"]![0]![0]!;
        Assert.Equal("Оплатить 2\u00A0500\u00A0₽", button["text"]!.GetValue<string>());
        Assert.Equal(link.GetProperty("url").GetString(), button["url"]!.GetValue<string>());
        var got = await MessageAsync(api, messageId);
        Assert.Equal("sent", got.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(got.GetProperty("providerMessageId").GetString()));

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1, await db.LinkEvents.CountAsync(e => e.LinkId == linkId && e.Type == "sent"));

        (await api.PostAsync($"/api/v1/links/{linkId}/cancel", null)).EnsureSuccessStatusCode();
        await (await SendAsync(api, linkId, account, chat)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task NativeInvoices_Off_UntilRecorded_PayButtonSent_PreCheckoutRefused()
    {
        var (api, account, secret) = await TelegramAsync();
        (await api.PatchAsync($"/api/v1/channel-accounts/{account}", HttpAssert.Json("""{"settings":{"paymentsProviderToken":"284685063:TEST:abc"}}"""))).EnsureSuccessStatusCode();
        var link = await api.CreateLinkAsync(250000, "Маникюр");
        var linkId = link.GetProperty("id").GetString()!;
        var chat = NewChat();
        await (await SendAsync(api, linkId, account, chat)).ReadJsonAsync(HttpStatusCode.Accepted);
        await host.DrainAsync();
        Assert.DoesNotContain(_bot.Calls("sendInvoice"), c => c["chat_id"]!.ToJsonString() == chat);
        Assert.Single(_bot.Calls("sendMessage"), c => c["chat_id"]!.ToJsonString() == chat && c.ToJsonString().Contains("/p/", StringComparison.Ordinal));

        // Even a checkout for an open link with the right amount is refused: a native payment would not be booked.
        var queryId = "pcq-" + chat;
        var update = JsonSerializer.Serialize(new
        {
            update_id = Interlocked.Increment(ref _update),
            pre_checkout_query = new { id = queryId, from = new { id = long.Parse(chat), is_bot = false, first_name = "Анна" }, currency = "RUB", total_amount = 250000, invoice_payload = linkId },
        });
        Assert.Equal(HttpStatusCode.OK, (await UpdateAsync(account, secret, update)).StatusCode);
        var answer = Assert.Single(_bot.Calls("answerPreCheckoutQuery"), c => c["pre_checkout_query_id"]!.GetValue<string>() == queryId);
        Assert.False(answer["ok"]!.GetValue<bool>());
        Assert.Contains("«Оплатить»", answer["error_message"]!.GetValue<string>());
    }

    [Fact]
    public async Task VisitReminders_PlannedWhenPrepaidBookingConfirmed_CancelledWhenCancelled()
    {
        var (api, account, _) = await TelegramAsync();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var key = api.DefaultRequestHeaders.Authorization!.Parameter!;
            var mine = await scope.ServiceProvider.GetRequiredService<Paylink.Core.Merchants.ApiKeyAuthenticator>().AuthenticateAsync(key, CancellationToken.None);
            var r = await scope.ServiceProvider.GetRequiredService<Paylink.Core.Catalog.ImportCatalog>().HandleAsync(mine!,
                [new Paylink.Core.Catalog.CatalogEntry("manicure", "Маникюр", 250000, "RUB", DurationMinutes: 60)], CancellationToken.None);
            Assert.True(r.IsSuccess);
        }
        // The visit is in three days at 15:00 Moscow time: reminders at 24 h and 2 h before.
        var visit = host.Clock.GetUtcNow().AddDays(3).Date.AddHours(12);
        var start = visit.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "Z";
        var booking = await (await api.PostJsonAsync("/api/v1/bookings",
            $$$"""{"customer":{"name":"Анна","phone":"+79165550101"},"serviceId":"manicure","start":"{{{start}}}","prepayment":{}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var linkId = booking.GetProperty("linkId").GetString()!;
        await (await SendAsync(api, linkId, account, NewChat())).ReadJsonAsync(HttpStatusCode.Accepted);
        await host.DrainAsync();

        var link = await (await api.GetAsync("/api/v1/links/" + linkId)).ReadJsonAsync(HttpStatusCode.OK);
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        await host.Client().PostAsync(pay.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        await host.DrainAsync();
        await host.DrainAsync();

        async Task<List<Reminder>> VisitRemindersAsync()
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var customer = booking.GetProperty("customerId").GetString();
            return await db.Reminders.IgnoreQueryFilters().Where(r => r.CustomerId == customer && r.Kind == ReminderKinds.Visit).ToListAsync();
        }
        var planned = await VisitRemindersAsync();
        Assert.Equal(2, planned.Count);
        Assert.All(planned, r => Assert.Equal(ReminderStatuses.Scheduled, r.Status));
        Assert.Equal([visit.AddHours(-24), visit.AddHours(-2)], planned.OrderBy(r => r.DueAt).Select(r => r.DueAt.UtcDateTime));

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/bookings/{booking.GetProperty("id").GetString()}/cancel", null)).StatusCode);
        await host.DrainAsync();
        Assert.All(await VisitRemindersAsync(), r => Assert.Equal(ReminderStatuses.Cancelled, r.Status));
    }

    [Fact]
    public async Task Send_Faults_BlockedAndUnknownFailAtOnce_FloodAnd5xxRetried()
    {
        var (api, account, _) = await TelegramAsync();
        var blocked = NewChat(); var unknown = NewChat(); var flood = NewChat();
        _bot.BlockedChats[blocked] = true;
        _bot.UnknownChats[unknown] = true;
        var b = (await (await SendAsync(api, (await api.CreateLinkAsync()).GetProperty("id").GetString()!, account, blocked)).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("messageId").GetString()!;
        var u = (await (await SendAsync(api, (await api.CreateLinkAsync()).GetProperty("id").GetString()!, account, unknown)).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("messageId").GetString()!;
        await host.DrainAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        await host.DrainAsync();
        var bm = await MessageAsync(api, b);
        Assert.Equal("failed", bm.GetProperty("status").GetString());
        Assert.Contains("blocked", bm.GetProperty("error").GetString());
        Assert.Contains("chat not found", (await MessageAsync(api, u)).GetProperty("error").GetString());
        Assert.Single(_bot.Calls("sendMessage"), c => c["chat_id"]!.ToJsonString() == blocked);
        Assert.Single(_bot.Calls("sendMessage"), c => c["chat_id"]!.ToJsonString() == unknown);

        _bot.FloodNext.Enqueue(7);
        var f = (await (await SendAsync(api, (await api.CreateLinkAsync()).GetProperty("id").GetString()!, account, flood)).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("messageId").GetString()!;
        await host.DrainAsync();
        var fm = await MessageAsync(api, f);
        Assert.Equal("queued", fm.GetProperty("status").GetString());
        Assert.Contains("429", fm.GetProperty("error").GetString());
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var job = (await db.Jobs.Where(j => j.DedupeKey == f).ToListAsync()).Single();
            Assert.Equal(host.Clock.GetUtcNow().AddSeconds(7), job.RunAt);
        }
        host.Clock.Advance(TimeSpan.FromSeconds(6));
        await host.DrainAsync();
        Assert.Equal("queued", (await MessageAsync(api, f)).GetProperty("status").GetString());
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        _bot.FailNext = 1;   // then a 500 once: retried with the policy's backoff
        await host.DrainAsync();
        Assert.Equal("queued", (await MessageAsync(api, f)).GetProperty("status").GetString());
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.DrainAsync();
        var done = await MessageAsync(api, f);
        Assert.Equal("sent", done.GetProperty("status").GetString());
        Assert.Equal(3, done.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Telegram_AssistantAnswersThroughTheBotApi_AndStaysQuietWhenSwitchedOffForTheBot()
    {
        var (api, account, secret) = await TelegramAsync();
        var chat = NewChat();
        Assert.Equal(HttpStatusCode.OK, (await UpdateAsync(account, secret, TextUpdate(chat, "/start"))).StatusCode);
        await host.DrainAsync();
        var hello = Assert.Single(_bot.Calls("sendMessage"), c => c["chat_id"]!.ToJsonString() == chat)["text"]!.GetValue<string>();
        Assert.StartsWith("Здравствуйте! Это Тестовый салон.", hello);

        await (await api.PutJsonAsync("/api/v1/assistant/settings", $$"""{"disabledChannelAccounts":["{{account}}"]}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await UpdateAsync(account, secret, TextUpdate(chat, "сколько стоит маникюр?"))).StatusCode);
        await host.DrainAsync();
        Assert.Single(_bot.Calls("sendMessage"), c => c["chat_id"]!.ToJsonString() == chat);   // nothing more from the bot
        var waiting = await (await api.GetAsync("/api/v1/conversations?needsReply=true")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(chat, Assert.Single(waiting.GetProperty("items").EnumerateArray()).GetProperty("address").GetString());
    }

    [Fact]
    public async Task Inbound_ForgedDisabledDuplicateHugeBinary_StoredOnceAndManagerReplies()
    {
        var (api, account, secret) = await TelegramAsync();
        await api.AssistantOffAsync();
        var chat = NewChat();
        var update = TextUpdate(chat, "Здравствуйте, можно на маникюр завтра?");
        await (await UpdateAsync(account, null, update)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await UpdateAsync(account, secret + "x", update)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await UpdateAsync(account, secret, "{not json")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await UpdateAsync(account, secret, update)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await UpdateAsync(account, secret, update)).StatusCode);   // Telegram repeats

        var list = await (await api.GetAsync("/api/v1/conversations?needsReply=true")).ReadJsonAsync(HttpStatusCode.OK);
        var conv = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(chat, conv.GetProperty("address").GetString());
        Assert.Equal("Анна", conv.GetProperty("displayName").GetString());
        var convId = conv.GetProperty("id").GetString()!;
        var full = await (await api.GetAsync("/api/v1/conversations/" + convId)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Single(full.GetProperty("messages").EnumerateArray());

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await UpdateAsync(account, secret, TextUpdate(chat, new string('я', 20000) + "\0"))).StatusCode);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var photo = JsonSerializer.Serialize(new { update_id = Interlocked.Increment(ref _update), message = new { message_id = 6, date = 1, chat = new { id = long.Parse(chat), type = "private" },
            photo = new[] { new { file_id = "AgAD", file_unique_id = "x", width = 90, height = 90 } } } });
        Assert.Equal(HttpStatusCode.OK, (await UpdateAsync(account, secret, photo)).StatusCode);
        var big = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{account}") { Content = new ByteArrayContent(new byte[300_000]) };
        big.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await host.Client().SendAsync(big)).StatusCode);
        full = await (await api.GetAsync("/api/v1/conversations/" + convId)).ReadJsonAsync(HttpStatusCode.OK);
        var texts = full.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()!).ToList();
        Assert.Equal(3, texts.Count);
        Assert.Equal(ChannelMessage.MaxText, texts[1].Length);
        Assert.EndsWith("…", texts[1]);
        Assert.Equal("[photo]", texts[2]);

        var reply = await (await api.PostJsonAsync($"/api/v1/conversations/{convId}/messages", """{"text":"Да, есть окно в 15:00"}""")).ReadJsonAsync(HttpStatusCode.Accepted);
        await host.DrainAsync();
        Assert.Equal("sent", (await MessageAsync(api, reply.GetProperty("messageId").GetString()!)).GetProperty("status").GetString());
        Assert.Equal("Да, есть окно в 15:00", Assert.Single(_bot.Calls("sendMessage"), c => c["chat_id"]!.ToJsonString() == chat)["text"]!.GetValue<string>());
        Assert.False((await (await api.GetAsync("/api/v1/conversations/" + convId)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("needsReply").GetBoolean());
        await (await api.PostJsonAsync($"/api/v1/conversations/{convId}/messages", """{"text":""}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "text");

        // Disabled: rejected, nothing stored.
        (await api.PatchAsync($"/api/v1/channel-accounts/{account}", HttpAssert.Json("""{"enabled":false}"""))).EnsureSuccessStatusCode();
        await (await UpdateAsync(account, secret, TextUpdate(chat, "ещё вопрос"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        full = await (await api.GetAsync("/api/v1/conversations/" + convId)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, full.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task Reminders_PlannedInLocalTime_SentOnce_StopCancelsAndConfirmsOnce()
    {
        var (api, account, secret) = await TelegramAsync();
        var chat = NewChat();
        var linkId = (await api.CreateLinkAsync()).GetProperty("id").GetString()!;
        var sentAt = host.Clock.GetUtcNow();
        (await SendAsync(api, linkId, account, chat)).EnsureSuccessStatusCode();
        await host.DrainAsync();
        var reminders = (await (await api.GetAsync($"/api/v1/links/{linkId}/reminders")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items");
        Assert.Equal(2, reminders.GetArrayLength());
        Assert.Equal(sentAt.AddMinutes(30), reminders[0].GetProperty("dueAt").GetDateTimeOffset());
        // Next day 11:00 Moscow = 08:00 UTC.
        var local = TimeZoneInfo.ConvertTime(sentAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"));
        Assert.Equal(new DateTimeOffset(local.Date.AddDays(1).AddHours(11), TimeSpan.FromHours(3)), reminders[1].GetProperty("dueAt").GetDateTimeOffset());

        // A second send plans nothing more.
        (await SendAsync(api, linkId, account, chat)).EnsureSuccessStatusCode();
        Assert.Equal(2, (await (await api.GetAsync($"/api/v1/links/{linkId}/reminders")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());

        host.Clock.Advance(TimeSpan.FromMinutes(31));
        await host.DrainAsync();
        await host.DrainAsync();
        var calls = _bot.Calls("sendMessage").Where(c => c["chat_id"]!.ToJsonString() == chat).ToList();
        Assert.Equal(3, calls.Count);
        Assert.Contains("ещё не оплачен", calls[2]["text"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await UpdateAsync(account, secret, TextUpdate(chat, "Стоп"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await UpdateAsync(account, secret, TextUpdate(chat, "/stop"))).StatusCode);
        await host.DrainAsync();
        reminders = (await (await api.GetAsync($"/api/v1/links/{linkId}/reminders")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items");
        Assert.Equal("sent", reminders[0].GetProperty("status").GetString());
        Assert.Equal("cancelled", reminders[1].GetProperty("status").GetString());
        host.Clock.Advance(TimeSpan.FromDays(1));
        await host.DrainAsync();
        calls = _bot.Calls("sendMessage").Where(c => c["chat_id"]!.ToJsonString() == chat).ToList();
        Assert.Equal(4, calls.Count);   // + one confirmation, no reminder
        Assert.Contains("больше не будем", calls[3]["text"]!.GetValue<string>());
        var conv = (await (await api.GetAsync("/api/v1/conversations")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.True(conv.GetProperty("optedOut").GetBoolean());
    }

    [Fact]
    public async Task Reminders_PayingOneLinkOfOrder_CancelsOtherLinksAndTheirReminders()
    {
        var (api, account, _) = await TelegramAsync();
        var order = "ord-" + Guid.NewGuid().ToString("N")[..8];
        var a = await (await api.PostJsonAsync("/api/v1/links", $$"""{"amount":100000,"currency":"RUB","description":"Предоплата","orderId":"{{order}}"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var b = await (await api.PostJsonAsync("/api/v1/links", $$"""{"amount":100000,"currency":"RUB","description":"Предоплата (другой способ)","orderId":"{{order}}"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var aId = a.GetProperty("id").GetString()!; var bId = b.GetProperty("id").GetString()!;
        (await SendAsync(api, bId, account, NewChat())).EnsureSuccessStatusCode();
        await host.DrainAsync();

        var pay = await host.Client().PostAsync(new Uri(a.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, pay.StatusCode);
        (await host.Client().PostAsync(pay.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]))).Dispose();
        await host.DrainAsync();
        Assert.Equal("paid", (await (await api.GetAsync("/api/v1/links/" + aId)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("cancelled", (await (await api.GetAsync("/api/v1/links/" + bId)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        var reminders = (await (await api.GetAsync($"/api/v1/links/{bId}/reminders")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items");
        Assert.All(reminders.EnumerateArray(), r => Assert.Equal("cancelled", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Templates_UnknownPlaceholder422_SavedUsed_PreviewCountsSms()
    {
        var (api, account, _) = await TelegramAsync();
        var bad = await api.PutAsync("/api/v1/templates/invoice", HttpAssert.Json("""{"text":"Счёт {{amount}} для {{client.surname}}"}"""));
        var problem = await bad.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "text");
        Assert.Contains("{{client.surname}}", problem.GetRawText());
        await (await api.GetAsync("/api/v1/templates/nonsense")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await api.GetAsync("/api/v1/templates/invoice?lang=de")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "lang");
        (await api.PutAsync("/api/v1/templates/invoice", HttpAssert.Json("""{"text":"{{merchant.name}}: к оплате {{amount}}, ссылка {{link}}"}"""))).EnsureSuccessStatusCode();
        var got = await (await api.GetAsync("/api/v1/templates/invoice")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(got.GetProperty("custom").GetBoolean());

        var preview = await (await api.PostJsonAsync("/api/v1/templates/reminder/preview", """{"channel":"exolve"}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains("2\u00A0500,00\u00A0₽", preview.GetProperty("text").GetString());
        Assert.Equal("ucs2", preview.GetProperty("sms").GetProperty("encoding").GetString());
        Assert.True(preview.GetProperty("sms").GetProperty("segments").GetInt32() >= 2);
        var en = await (await api.PostJsonAsync("/api/v1/templates/payment_received/preview?lang=en", """{"text":"Paid, thank you: {{link}}","channel":"exolve"}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("gsm7", en.GetProperty("sms").GetProperty("encoding").GetString());

        var chat = NewChat();
        var link = await api.CreateLinkAsync(150000);
        (await SendAsync(api, link.GetProperty("id").GetString()!, account, chat)).EnsureSuccessStatusCode();
        await host.DrainAsync();
        var text = Assert.Single(_bot.Calls("sendMessage"), c => c["chat_id"]!.ToJsonString() == chat)["text"]!.GetValue<string>();
        Assert.Equal($"Тестовый салон: к оплате 1\u00A0500,00\u00A0₽, ссылка {link.GetProperty("url").GetString()}", text);

        await (await api.PutAsync("/api/v1/reminder-policy", HttpAssert.Json("""{"linkRemindersEnabled":true,"linkSteps":[{"afterMinutes":30},{"nextDayAt":"25:00"}],"visitRemindersEnabled":true,"visitHoursBefore":[24,2],"quietFrom":"21:00","quietTo":"09:00","escalation":["same","pigeon"]}""")))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "linkSteps[1].nextDayAt");
        var saved = await (await api.PutAsync("/api/v1/reminder-policy", HttpAssert.Json("""{"linkRemindersEnabled":true,"linkSteps":[{"afterMinutes":60}],"visitRemindersEnabled":false,"visitHoursBefore":[24],"quietFrom":"22:00","quietTo":"08:00","escalation":["telegram","manager"]}""")))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(60, (await (await api.GetAsync("/api/v1/reminder-policy")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("linkSteps")[0].GetProperty("afterMinutes").GetInt32());
        Assert.Equal("manager", saved.GetProperty("escalation")[1].GetString());
    }
    [Fact]
    public async Task WebChat_VisitorWrites_ManagerSendsInvoiceCard_PayButtonToPayPage()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        await api.AssistantOffAsync();
        var slug = "salon-" + Guid.NewGuid().ToString("N")[..8];
        var created = await (await api.PostJsonAsync("/api/v1/channel-accounts", $$$"""{"provider":"webchat","name":"Чат","settings":{"slug":"{{{slug}}}"}}""")).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Contains($"data-chat=\"{slug}\"", created.GetProperty("settings").GetProperty("widget").GetString());
        var other = host.Client((await host.NewMerchantAsync("Другой")).ApiKey);
        await (await other.PostJsonAsync("/api/v1/channel-accounts", $$$"""{"provider":"webchat","name":"Чат","settings":{"slug":"{{{slug}}}"}}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "settings.slug");

        var visitor = host.Client();
        var page = await visitor.GetAsync("/chat/" + slug);
        var html = await page.HtmlAsync();
        Assert.Contains("Тестовый салон", html);
        Assert.DoesNotContain("<script src=", html);
        var cookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pl_wv=", StringComparison.Ordinal));
        var visitorId = cookie[6..cookie.IndexOf(';')];
        var post = new HttpRequestMessage(HttpMethod.Post, $"/chat/{slug}/messages") { Content = HttpAssert.Json("""{"text":"Хочу на маникюр"}""") };
        post.Headers.Add("X-Chat-Visitor", visitorId);
        Assert.Equal(HttpStatusCode.Accepted, (await visitor.SendAsync(post)).StatusCode);
        var conv = Assert.Single((await (await api.GetAsync("/api/v1/conversations?needsReply=true")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(visitorId, conv.GetProperty("address").GetString());

        host.Clock.Advance(TimeSpan.FromSeconds(5));
        var link = await api.CreateLinkAsync(250000);
        (await SendAsync(api, link.GetProperty("id").GetString()!, created.GetProperty("id").GetString()!, visitorId)).EnsureSuccessStatusCode();
        await host.DrainAsync();
        var poll = new HttpRequestMessage(HttpMethod.Get, $"/chat/{slug}/messages");
        poll.Headers.Add("X-Chat-Visitor", visitorId);
        var items = (await (await visitor.SendAsync(poll)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
        var card = items[1].GetProperty("buttons")[0];
        Assert.Equal(link.GetProperty("url").GetString(), card.GetProperty("url").GetString());
        Assert.Equal("Оплатить 2\u00A0500\u00A0₽", card.GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/chat/nobody-here")).StatusCode);
    }
}

public sealed class ChannelsSqliteTests(ChannelsSqliteHost host) : ChannelsTests<ChannelsSqliteHost>(host);
public sealed class ChannelsPostgresTests(ChannelsPostgresHost host) : ChannelsTests<ChannelsPostgresHost>(host);
