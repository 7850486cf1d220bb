using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.IntegrationTests.Bookings;
using Paylink.IntegrationTests.Infrastructure;
using Paylink.Providers.Channels.Max;
using Paylink.Providers.Channels.Vk;

namespace Paylink.IntegrationTests.Channels;

/// <summary>The bookings host (catalog, assistant on) without pacing between messages of one dialog.</summary>
public class MaxVkHost(Db kind) : BookingsHost(kind)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Channels:Max:PerDialogIntervalMs"] = "0", ["Channels:Max:PerBotPerSecond"] = "1000",
        ["Channels:Vk:PerDialogIntervalMs"] = "0", ["Channels:Vk:PerCommunityPerSecond"] = "1000",
        ["Channels:Telegram:PerChatIntervalMs"] = "0", ["Channels:Telegram:GlobalPerSecond"] = "1000",
    };
}
public sealed class MaxVkSqliteHost() : MaxVkHost(Db.Sqlite);
public sealed class MaxVkPostgresHost() : MaxVkHost(Db.Postgres);

/// <summary>
/// MAX and VK channels against wire-level fakes of their APIs: accounts, sends with a pay button, forged and
/// repeated inbound events, rate limits and retries, VK's confirmation handshake and random_id, MAX long polling,
/// and a conversation with the assistant through each.
/// </summary>
public abstract class MaxVkChannelsTests<THost>(THost host) : IClassFixture<THost>, IAsyncLifetime where THost : MaxVkHost
{
    private FakeMaxApi _max = null!;
    private FakeVkApi _vk = null!;
    private FakeBotApi _bot = null!;
    private static long _user = 40_000_000 + Random.Shared.Next(1_000_000);

    public async Task InitializeAsync()
    {
        _max = await FakeMaxApi.StartAsync();
        _vk = await FakeVkApi.StartAsync();
        _bot = await FakeBotApi.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _max.DisposeAsync();
        await _vk.DisposeAsync();
        await _bot.DisposeAsync();
    }

    private static string NewUser() => Interlocked.Increment(ref _user).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(HttpClient Api, string AccountId)> MaxAccountAsync(bool webhook = true, HttpClient? api = null)
    {
        api ??= (await host.MerchantWithCatalogAsync()).Api;
        var created = await (await api.PostJsonAsync("/api/v1/channel-accounts",
            $$$"""{"provider":"max","name":"MAX","settings":{"botToken":"{{{FakeMaxApi.Token}}}","baseUrl":"{{{_max.Url}}}"}}""")).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        if (webhook) (await api.PostAsync($"/api/v1/channel-accounts/{id}/register-webhook", null)).EnsureSuccessStatusCode();
        return (api, id);
    }

    private string MaxSecret(string account) =>
        _max.Requests.Last(r => r.Path == "/subscriptions" && r.Body!["url"]!.GetValue<string>().EndsWith(account, StringComparison.Ordinal)).Body!["secret"]!.GetValue<string>();

    private async Task<(HttpClient Api, string AccountId)> VkAccountAsync(HttpClient? api = null)
    {
        api ??= (await host.MerchantWithCatalogAsync()).Api;
        var created = await (await api.PostJsonAsync("/api/v1/channel-accounts", $$$"""
            {"provider":"vk","name":"VK","settings":{"accessToken":"{{{FakeVkApi.Token}}}","groupId":{{{FakeVkApi.GroupId}}},
             "confirmationCode":"a1b2c3d4","secret":"vk-callback-secret-1","baseUrl":"{{{_vk.Url}}}"}}
            """)).ReadJsonAsync(HttpStatusCode.Created);
        return (api, created.GetProperty("id").GetString()!);
    }

    private Task<HttpResponseMessage> MaxUpdateAsync(string account, string? secret, string json)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/max/{account}") { Content = HttpAssert.Json(json) };
        if (secret is not null) req.Headers.Add(MaxWebhookEndpoint.SecretHeader, secret);
        return host.Client().SendAsync(req);
    }

    private Task<HttpResponseMessage> VkEventAsync(string account, string json) =>
        host.Client().PostAsync($"/webhooks/vk/{account}", HttpAssert.Json(json));

    private static long _event = Random.Shared.Next(1_000_000);

    private static string VkMessage(string user, string text, string? secret = "vk-callback-secret-1", string? eventId = null, long group = FakeVkApi.GroupId) =>
        JsonSerializer.Serialize(new
        {
            type = "message_new", group_id = group, event_id = eventId ?? "ev" + Interlocked.Increment(ref _event), v = "5.199", secret,
            @object = new
            {
                message = new { id = Interlocked.Increment(ref _event), date = 1795000000, from_id = long.Parse(user), peer_id = long.Parse(user), text },
                client_info = new { lang_id = 0, keyboard = true, inline_keyboard = true },
            },
        });

    private static async Task<JsonElement?> ConversationAsync(HttpClient api, string address)
    {
        var list = await (await api.GetAsync("/api/v1/conversations")).ReadJsonAsync(HttpStatusCode.OK);
        var c = list.GetProperty("items").EnumerateArray().Where(x => x.GetProperty("address").GetString() == address).ToList();
        if (c.Count == 0) return null;
        return await (await api.GetAsync("/api/v1/conversations/" + c.Single().GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);
    }

    private static int Inbound(JsonElement conversation) =>
        conversation.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("direction").GetString() == "in");

    private static async Task<string> SendLinkAsync(HttpClient api, string account, string to, long amount = 250000)
    {
        var link = await api.CreateLinkAsync(amount, "Маникюр");
        var sent = await (await api.PostJsonAsync($"/api/v1/links/{link.GetProperty("id").GetString()}/send",
            $$"""{"channelAccount":"{{account}}","to":"{{to}}"}""")).ReadJsonAsync(HttpStatusCode.Accepted);
        return sent.GetProperty("messageId").GetString()!;
    }

    private static async Task<JsonElement> MessageAsync(HttpClient api, string id) =>
        await (await api.GetAsync("/api/v1/messages/" + id)).ReadJsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Max_AccountMaskedTested_SubscribedWithSecret_ForgedRejected_DuplicateStoredOnce()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        await api.AssistantOffAsync();
        await (await api.PostJsonAsync("/api/v1/channel-accounts", """{"provider":"max","name":"MAX","settings":{"botToken":"short"}}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "settings.botToken");
        var created = await (await api.PostJsonAsync("/api/v1/channel-accounts",
            $$$"""{"provider":"max","name":"MAX","settings":{"botToken":"{{{FakeMaxApi.Token}}}","baseUrl":"{{{_max.Url}}}"}}""")).ReadJsonAsync(HttpStatusCode.Created);
        var account = created.GetProperty("id").GetString()!;
        Assert.DoesNotContain(FakeMaxApi.Token, created.GetRawText());
        Assert.Equal($"http://localhost/webhooks/max/{account}", created.GetProperty("webhookUrl").GetString());

        var test = await (await api.PostAsync($"/api/v1/channel-accounts/{account}/test", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains("@lavanda_bot", test.GetProperty("message").GetString());
        var me = _max.Requests.Last(r => r.Path == "/me");
        Assert.Equal(FakeMaxApi.Token, me.Authorization);
        Assert.DoesNotContain("token", me.Query, StringComparison.OrdinalIgnoreCase);

        (await api.PostAsync($"/api/v1/channel-accounts/{account}/register-webhook", null)).EnsureSuccessStatusCode();
        var subscription = _max.Requests.Last(r => r.Path == "/subscriptions").Body!;
        Assert.Equal($"http://localhost/webhooks/max/{account}", subscription["url"]!.GetValue<string>());
        Assert.Contains("message_created", subscription["update_types"]!.ToJsonString());
        var secret = MaxSecret(account);

        var user = NewUser();
        var update = FakeMaxApi.TextUpdate(user, "Здравствуйте, можно на маникюр?").ToJsonString();
        await (await MaxUpdateAsync(account, null, update)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await MaxUpdateAsync(account, secret + "x", update)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await MaxUpdateAsync(account, secret, "{not json")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Null(await ConversationAsync(api, user));
        Assert.Equal(HttpStatusCode.OK, (await MaxUpdateAsync(account, secret, update)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MaxUpdateAsync(account, secret, update)).StatusCode);   // MAX repeats
        var conversation = (await ConversationAsync(api, user))!.Value;
        Assert.Equal(1, Inbound(conversation));
        Assert.Equal("max", conversation.GetProperty("channel").GetString());
        Assert.True(conversation.GetProperty("needsReply").GetBoolean());

        // A disabled account refuses updates without processing them.
        await (await api.PatchAsync($"/api/v1/channel-accounts/{account}", HttpAssert.Json("""{"enabled":false}"""))).ReadJsonAsync(HttpStatusCode.OK);
        await (await MaxUpdateAsync(account, secret, FakeMaxApi.TextUpdate(user, "ещё").ToJsonString())).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(1, Inbound((await ConversationAsync(api, user))!.Value));
    }

    [Fact]
    public async Task Max_Send_InlineLinkButton_429RetriedAfterRetryAfter_BlockedFailsAtOnce()
    {
        var (api, account) = await MaxAccountAsync();
        var user = NewUser();
        _max.FloodNext.Enqueue(7);
        var messageId = await SendLinkAsync(api, account, user);
        await host.DrainAsync();
        Assert.Single(_max.Sends(user));
        Assert.Equal("queued", (await MessageAsync(api, messageId)).GetProperty("status").GetString());
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Type == "message.send" && j.DedupeKey == messageId);
            Assert.Equal(host.Clock.GetUtcNow().AddSeconds(7), job.RunAt);
        }
        host.Clock.Advance(TimeSpan.FromSeconds(7));
        await host.DrainAsync();
        var sends = _max.Sends(user).ToList();
        Assert.Equal(2, sends.Count);
        var sent = await MessageAsync(api, messageId);
        Assert.Equal("sent", sent.GetProperty("status").GetString());
        Assert.StartsWith("mid.", sent.GetProperty("providerMessageId").GetString());
        var body = sends[1].Body!;
        Assert.Contains("2\u00A0500,00\u00A0₽", body["text"]!.GetValue<string>());
        var keyboard = body["attachments"]![0]!;
        Assert.Equal("inline_keyboard", keyboard["type"]!.GetValue<string>());
        var button = keyboard["payload"]!["buttons"]![0]![0]!;
        Assert.Equal("link", button["type"]!.GetValue<string>());
        Assert.Equal("Оплатить 2\u00A0500\u00A0₽", button["text"]!.GetValue<string>());
        Assert.Matches("^http://localhost/p/", button["url"]!.GetValue<string>());
        Assert.All(sends, s => Assert.Equal(FakeMaxApi.Token, s.Authorization));

        var blocked = NewUser();
        _max.BlockedUsers[blocked] = true;
        var refused = await SendLinkAsync(api, account, blocked);
        await host.DrainAsync();
        var failed = await MessageAsync(api, refused);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("403", failed.GetProperty("error").GetString());
        Assert.Single(_max.Sends(blocked));
    }

    [Fact]
    public async Task Max_LongPolling_WithoutSubscription_StoresMarker_RepeatsNothing()
    {
        var (api, account) = await MaxAccountAsync(webhook: false);
        await api.AssistantOffAsync();
        var user = NewUser();
        lock (_max.Pending)
        {
            _max.Pending.Add(FakeMaxApi.TextUpdate(user, "Добрый день"));
            _max.Pending.Add(FakeMaxApi.TextUpdate(user, "Есть запись на завтра?"));
        }
        await PollAsync();
        Assert.Equal(2, Inbound((await ConversationAsync(api, user))!.Value));
        Assert.DoesNotContain("marker=", _max.Requests.Last(r => r.Path == "/updates").Query, StringComparison.Ordinal);

        // The next run asks after the stored marker (a new scope: as after a restart) and stores nothing twice.
        await PollAsync();
        Assert.Contains("marker=2", _max.Requests.Last(r => r.Path == "/updates").Query, StringComparison.Ordinal);
        lock (_max.Pending) _max.Pending.Add(FakeMaxApi.TextUpdate(user, "Спасибо"));
        await PollAsync();
        Assert.Equal(3, Inbound((await ConversationAsync(api, user))!.Value));

        // Once subscribed to webhooks, the account is no longer polled (other tests' accounts point at other fakes).
        (await api.PostAsync($"/api/v1/channel-accounts/{account}/register-webhook", null)).EnsureSuccessStatusCode();
        var polls = _max.Requests.Count(r => r.Path == "/updates");
        await PollAsync();
        Assert.Equal(polls, _max.Requests.Count(r => r.Path == "/updates"));
    }

    private async Task PollAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MaxLongPolling>().RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Max_Conversation_ClientWritesByWebhook_AssistantAnswersWithPayButton()
    {
        var (api, account) = await MaxAccountAsync();
        await (await api.PutJsonAsync("/api/v1/assistant/settings", """{"prepayment":{"kind":"percent","value":50}}""")).ReadJsonAsync(HttpStatusCode.OK);
        var secret = MaxSecret(account);
        var user = NewUser();
        Assert.Equal(HttpStatusCode.OK, (await MaxUpdateAsync(account, secret, FakeMaxApi.TextUpdate(user, "хочу записаться на маникюр завтра в 15:00").ToJsonString())).StatusCode);
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        await host.DrainAsync();
        await host.DrainAsync();
        Assert.Contains("15:00", Assert.Single(_max.Sends(user)).Body!["text"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await MaxUpdateAsync(account, secret, FakeMaxApi.TextUpdate(user, "да").ToJsonString())).StatusCode);
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        await host.DrainAsync();
        await host.DrainAsync();
        var invoice = _max.Sends(user).Last(s => s.Body!["attachments"] is not null).Body!;
        var button = invoice["attachments"]![0]!["payload"]!["buttons"]![0]![0]!;
        Assert.Equal("link", button["type"]!.GetValue<string>());
        Assert.StartsWith("Оплатить 1\u00A0250", button["text"]!.GetValue<string>());
        Assert.Matches("^http://localhost/p/", button["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Vk_ConfirmationHandshake_SecretAndGroupChecked_OkFast_DuplicateEventStoredOnce()
    {
        var (api, account) = await VkAccountAsync();
        await api.AssistantOffAsync();
        var view = await (await api.GetAsync($"/api/v1/channel-accounts/{account}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal($"http://localhost/webhooks/vk/{account}", view.GetProperty("webhookUrl").GetString());
        Assert.DoesNotContain(FakeVkApi.Token, view.GetRawText());
        Assert.DoesNotContain("vk-callback-secret-1", view.GetRawText());
        var test = await (await api.PostAsync($"/api/v1/channel-accounts/{account}/test", null)).ReadJsonAsync(HttpStatusCode.OK);
        // The community's name is VK's free text, so the answer names the group by its id only (RemoteText).
        Assert.Contains($"club{FakeVkApi.GroupId}", test.GetProperty("message").GetString());
        Assert.DoesNotContain("Лаванда", test.GetProperty("message").GetString());
        Assert.Equal("5.199", _vk.Requests.Last().Fields["v"]);

        var confirm = await VkEventAsync(account, $$"""{"type":"confirmation","group_id":{{FakeVkApi.GroupId}}}""");
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal("a1b2c3d4", await confirm.Content.ReadAsStringAsync());
        await (await VkEventAsync(account, """{"type":"confirmation","group_id":1}""")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var user = NewUser();
        await (await VkEventAsync(account, VkMessage(user, "Здравствуйте", secret: null))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await VkEventAsync(account, VkMessage(user, "Здравствуйте", secret: "guess"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await VkEventAsync(account, VkMessage(user, "Здравствуйте", group: 42))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await VkEventAsync(account, "{oops")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Null(await ConversationAsync(api, user));

        var e = VkMessage(user, "Здравствуйте, можно на маникюр?", eventId: "ev-dup-" + user);
        foreach (var _ in Enumerable.Range(0, 2))   // VK resends an event it thinks was not answered
        {
            var r = await VkEventAsync(account, e);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("ok", await r.Content.ReadAsStringAsync());
            Assert.Equal("text/plain", r.Content.Headers.ContentType!.MediaType);
        }
        var other = await VkEventAsync(account, JsonSerializer.Serialize(new { type = "message_allow", group_id = FakeVkApi.GroupId, event_id = "ev-allow-" + user, secret = "vk-callback-secret-1", @object = new { user_id = long.Parse(user) } }));
        Assert.Equal("ok", await other.Content.ReadAsStringAsync());
        var conversation = (await ConversationAsync(api, user))!.Value;
        Assert.Equal(1, Inbound(conversation));
        Assert.Equal("vk", conversation.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task Vk_Send_OpenLinkButton_RandomIdStableAcrossRetries_RateLimitRetried_901Permanent()
    {
        var (api, account) = await VkAccountAsync();
        var user = NewUser();
        _vk.ErrorNext.Enqueue(6);
        var messageId = await SendLinkAsync(api, account, user);
        await host.DrainAsync();
        Assert.Equal("queued", (await MessageAsync(api, messageId)).GetProperty("status").GetString());
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        _vk.LoseAnswerNext = 1;            // delivered, but the answer is lost: the job must retry without doubling
        await host.DrainAsync();
        Assert.Equal("queued", (await MessageAsync(api, messageId)).GetProperty("status").GetString());
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.DrainAsync();

        var sends = _vk.Sends(user).ToList();
        Assert.Equal(3, sends.Count);
        Assert.Single(sends.Select(s => s["random_id"]).Distinct());
        Assert.Equal(VkChannel.RandomId(messageId).ToString(System.Globalization.CultureInfo.InvariantCulture), sends[0]["random_id"]);
        Assert.Single(_vk.Delivered, d => d["peer_id"] == user);
        var sent = await MessageAsync(api, messageId);
        Assert.Equal("sent", sent.GetProperty("status").GetString());
        Assert.Contains("2\u00A0500,00\u00A0₽", sends[2]["message"]);
        Assert.Equal("5.199", sends[2]["v"]);
        var keyboard = JsonNode.Parse(sends[2]["keyboard"])!;
        Assert.True(keyboard["inline"]!.GetValue<bool>());
        var action = keyboard["buttons"]![0]![0]!["action"]!;
        Assert.Equal("open_link", action["type"]!.GetValue<string>());
        Assert.Equal("Оплатить 2\u00A0500\u00A0₽", action["label"]!.GetValue<string>());
        Assert.Matches("^http://localhost/p/", action["link"]!.GetValue<string>());

        // Flood control waits a minute; "user has not allowed messages" fails at once, without retries.
        var flooded = NewUser();
        _vk.ErrorNext.Enqueue(9);
        var floodedId = await SendLinkAsync(api, account, flooded);
        await host.DrainAsync();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var job = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Jobs.AsNoTracking()
                .SingleAsync(j => j.Type == "message.send" && j.DedupeKey == floodedId);
            Assert.Equal(host.Clock.GetUtcNow().AddMinutes(1), job.RunAt);
        }
        var closed = NewUser();
        _vk.NotAllowed[closed] = true;
        var refused = await SendLinkAsync(api, account, closed);
        await host.DrainAsync();
        var failed = await MessageAsync(api, refused);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("901", failed.GetProperty("error").GetString());
        Assert.Single(_vk.Sends(closed));
    }

    [Fact]
    public async Task Vk_Conversation_ClientWritesByCallback_AssistantAnswersWithPayButton()
    {
        var (api, account) = await VkAccountAsync();
        await (await api.PutJsonAsync("/api/v1/assistant/settings", """{"prepayment":{"kind":"percent","value":50}}""")).ReadJsonAsync(HttpStatusCode.OK);
        var user = NewUser();
        Assert.Equal("ok", await (await VkEventAsync(account, VkMessage(user, "хочу записаться на маникюр завтра в 15:00"))).Content.ReadAsStringAsync());
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        await host.DrainAsync();
        await host.DrainAsync();
        Assert.Contains("15:00", Assert.Single(_vk.Sends(user))["message"]);
        Assert.Equal("ok", await (await VkEventAsync(account, VkMessage(user, "да"))).Content.ReadAsStringAsync());
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        await host.DrainAsync();
        await host.DrainAsync();
        var invoice = _vk.Sends(user).Last(s => s.ContainsKey("keyboard"));
        var action = JsonNode.Parse(invoice["keyboard"])!["buttons"]![0]![0]!["action"]!;
        Assert.Equal("open_link", action["type"]!.GetValue<string>());
        Assert.StartsWith("Оплатить 1\u00A0250", action["label"]!.GetValue<string>());
    }

    private static async Task<string> LinkForAsync(HttpClient api, string phone, long amount = 250000) =>
        (await (await api.PostAsJsonAsync("/api/v1/links", new { amount, currency = "RUB", description = "Маникюр", customer = new { name = "Анна", phone } }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private static async Task<List<JsonElement>> LinkMessagesAsync(HttpClient api, string linkId) =>
        (await (await api.GetAsync($"/api/v1/links/{linkId}/messages")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task Fallback_TelegramBlocked_MaxClosed_VkReaches_OneChannelAtATime_ReminderFollows()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        await api.AssistantOffAsync();
        var telegram = (await (await api.PostJsonAsync("/api/v1/channel-accounts",
            $$$"""{"provider":"telegram","name":"Бот","settings":{"botToken":"{{{FakeBotApi.Token}}}","baseUrl":"{{{_bot.Url}}}"}}""")).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var (_, max) = await MaxAccountAsync(api: api);
        var (_, vk) = await VkAccountAsync(api: api);
        await (await api.PutJsonAsync("/api/v1/channel-fallback", """{"order":["telegram","pigeon"]}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "order[1]");
        var policy = await (await api.PutJsonAsync("/api/v1/channel-fallback", """{"order":["telegram","max","vk","exolve","email"],"deliveryTimeoutMinutes":30}"""))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, policy.GetProperty("order").GetArrayLength());

        // The client is known on MAX and VK (earlier messages reached them there).
        var phone = "+7916" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (maxUser, vkUser, chat) = (NewUser(), NewUser(), (700_000_000 + Random.Shared.Next(1_000_000)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var earlier = await LinkForAsync(api, phone, 100000);
        // One after the other, so the first send (the one metrics count) is MAX's whatever the job runner's concurrency.
        foreach (var (account, to) in new[] { (max, maxUser), (vk, vkUser) })
        {
            (await api.PostJsonAsync($"/api/v1/links/{earlier}/send", $$"""{"channelAccount":"{{account}}","to":"{{to}}"}""")).EnsureSuccessStatusCode();
            await host.DrainAsync();
        }
        Assert.Single(_max.Sends(maxUser));
        Assert.Single(_vk.Delivered, d => d["peer_id"] == vkUser);

        // Telegram: the bot is blocked → MAX (next in the order): the dialog is closed → VK reaches the client.
        _bot.BlockedChats[chat] = true;
        _max.BlockedUsers[maxUser] = true;
        var link = await LinkForAsync(api, phone);
        (await api.PostJsonAsync($"/api/v1/links/{link}/send", $$"""{"channelAccount":"{{telegram}}","to":"{{chat}}"}""")).EnsureSuccessStatusCode();
        await host.DrainAsync();
        await host.DrainAsync();
        var messages = await LinkMessagesAsync(api, link);
        Assert.Equal<string>(["telegram", "max", "vk"], messages.Select(m => m.GetProperty("channel").GetString()!).ToArray());
        Assert.Equal<string>(["failed", "failed", "sent"], messages.Select(m => m.GetProperty("status").GetString()!).ToArray());
        for (var i = 1; i < messages.Count; i++)
        {
            // Each channel's message is written only once the previous one failed: never two channels at once.
            Assert.Equal(messages[i - 1].GetProperty("id").GetString(), messages[i].GetProperty("fallbackFromId").GetString());
            Assert.True(messages[i].GetProperty("createdAt").GetDateTimeOffset() >= messages[i - 1].GetProperty("failedAt").GetDateTimeOffset());
        }
        Assert.Single(_bot.Calls("sendMessage"), c => c["chat_id"]!.ToJsonString() == chat);
        Assert.Equal(2, _max.Sends(maxUser).Count());
        var vkInvoice = _vk.Sends(vkUser).Last();
        Assert.Contains("2\u00A0500,00\u00A0₽", vkInvoice["message"]);
        Assert.Equal("open_link", JsonNode.Parse(vkInvoice["keyboard"])!["buttons"]![0]![0]!["action"]!["type"]!.GetValue<string>());

        // The link's "sent" event names the channel that reached the client; nothing else goes out for this step.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var sent = await scope.ServiceProvider.GetRequiredService<AppDbContext>().LinkEvents.IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.LinkId == link && e.Type == "sent").Select(e => e.DataJson).ToListAsync();
            Assert.Contains("\"vk\"", Assert.Single(sent));
        }
        await host.DrainAsync();
        Assert.Equal(3, (await LinkMessagesAsync(api, link)).Count);

        // Metrics by channel count the link where it reached the client: the earlier one by MAX, this one by VK.
        var metrics = await (await api.GetAsync("/api/v1/metrics?from=2026-11-01&to=2026-12-31")).ReadJsonAsync(HttpStatusCode.OK);
        var byChannel = metrics.GetProperty("byChannel").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!, r => r.GetProperty("sent").GetInt32());
        Assert.Equal(1, byChannel["max"]);
        Assert.Equal(1, byChannel["vk"]);
        Assert.False(byChannel.ContainsKey("telegram"));

        // The 30-minute reminder ("same") follows the fallback: it goes by VK, where the invoice reached the client.
        host.Clock.Advance(TimeSpan.FromMinutes(31));
        await host.DrainAsync();
        await host.DrainAsync();
        messages = await LinkMessagesAsync(api, link);
        var reminder = messages.Single(m => m.GetProperty("template").GetString() == "reminder");
        Assert.Equal("vk", reminder.GetProperty("channel").GetString());
        Assert.Equal("sent", reminder.GetProperty("status").GetString());

        // A client's own order replaces the merchant's.
        var customer = (await (await api.GetAsync("/api/v1/crm/contacts?q=" + Uri.EscapeDataString(phone))).ReadJsonAsync(HttpStatusCode.OK))
            .GetProperty("items")[0].GetProperty("id").GetString();
        await (await api.PutJsonAsync($"/api/v1/crm/contacts/{customer}/channel-order", """{"order":["vk","vk"]}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "order[1]");
        var own = await (await api.PutJsonAsync($"/api/v1/crm/contacts/{customer}/channel-order", """{"order":["telegram","vk"]}""")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, own.GetProperty("channelOrder").GetArrayLength());
        var third = await LinkForAsync(api, phone, 300000);
        (await api.PostJsonAsync($"/api/v1/links/{third}/send", $$"""{"channelAccount":"{{telegram}}","to":"{{chat}}"}""")).EnsureSuccessStatusCode();
        await host.DrainAsync();
        await host.DrainAsync();
        Assert.Equal<string>(["telegram", "vk"], (await LinkMessagesAsync(api, third)).Select(m => m.GetProperty("channel").GetString()!).ToArray());
    }
}

public sealed class MaxVkChannelsSqliteTests(MaxVkSqliteHost host) : MaxVkChannelsTests<MaxVkSqliteHost>(host);
public sealed class MaxVkChannelsPostgresTests(MaxVkPostgresHost host) : MaxVkChannelsTests<MaxVkPostgresHost>(host);
