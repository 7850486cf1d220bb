using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Paylink.Core.Common;
using Paylink.Core.Providers;
using Paylink.Providers;
using Paylink.Providers.Channels.Exolve;

namespace Paylink.IntegrationTests.Channels;

/// <summary>The Exolve SMS channel, resolved as the host registers it, against <see cref="FakeExolve"/>.</summary>
public sealed class ExolveChannelTests : IAsyncLifetime
{
    private FakeExolve _fake = null!;
    private ServiceProvider _services = null!;
    private ExolveChannel _channel = null!;
    private readonly CapturingLogger _log = new();

    public async Task InitializeAsync()
    {
        _fake = await FakeExolve.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PublicBaseUrl"] = "https://pay.romashka.ru",
            ["Gateways:Http:AttemptTimeoutSeconds"] = "3", // the timeout test waits this long
            ["Gateways:Http:BaseDelayMilliseconds"] = "1",
            ["Outbound:AllowPrivateNetworks"] = "true",   // the fake Exolve listens on loopback
        }).Build());
        services.AddLogging(l => l.AddProvider(_log));
        services.AddOptions<PaylinkOptions>().BindConfiguration("");
        services.AddSingleton<PublicUrls>();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 18, 7, 0, 0, TimeSpan.Zero)));
        services.AddSingleton(typeof(ProviderRegistry<>));
        services.AddPaylinkProviders();
        _services = services.BuildServiceProvider();
        _channel = (ExolveChannel)_services.GetRequiredService<ProviderRegistry<IMessageChannel>>().Get("exolve");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private ChannelContext Context(string? apiKey = null, string? shortHost = null, string? baseUrl = null)
    {
        var s = new JsonObject { ["apiKey"] = apiKey ?? FakeExolve.ApiKey, ["sender"] = "8 (999) 111-22-33", ["baseUrl"] = baseUrl ?? _fake.Url };
        if (shortHost is not null) s["shortHost"] = shortHost;
        var v = _channel.ValidateSettings(s);
        Assert.True(v.IsSuccess, v.Error?.Message);
        return new ChannelContext("mer_1", "cha_1", v.Value, null);
    }

    [Fact]
    public async Task Send_WireFormat_IsExolves()
    {
        var to = _channel.NormalizeRecipient("8 (916) 123-45-67").Value;
        Assert.Equal("+79161234567", to);

        var result = await _channel.SendAsync(Context(), new OutgoingChannelMessage("msg_1", to, "Ваш заказ №42: оплатите по ссылке"), CancellationToken.None);

        Assert.Equal(ChannelSendStatus.Sent, result.Status);
        Assert.Equal("439166538239448537", result.ProviderMessageId);
        var call = Assert.Single(_fake.Calls);
        Assert.Equal("SendSMS", call.Method);
        Assert.Equal("Bearer " + FakeExolve.ApiKey, call.Authorization);
        Assert.StartsWith("application/json", call.ContentType);
        Assert.Equal("""{"number":"79991112233","destination":"79161234567","text":"Ваш заказ №42: оплатите по ссылке"}""", call.Body);
        var logged = string.Join("\n", _log.Lines);
        Assert.Contains("+7916***4567", logged);
        Assert.DoesNotContain("79161234567", logged);
        Assert.DoesNotContain(FakeExolve.ApiKey, logged);
        Assert.DoesNotContain("оплатите", logged);
    }

    [Fact]
    public async Task Buttons_GoIntoTheText_AndLinksUseTheShortHost()
    {
        var m = new OutgoingChannelMessage("msg_2", "+79161234567", "Заказ №42 на 1 500 ₽",
            Buttons: [new MessageButton("Оплатить", "https://pay.romashka.ru/p/AB12CD")]);
        await _channel.SendAsync(Context(shortHost: "https://PL.example/"), m, CancellationToken.None);
        var body = JsonNode.Parse(Assert.Single(_fake.Calls).Body)!;
        Assert.Equal("Заказ №42 на 1 500 ₽\nОплатить: https://pl.example/p/AB12CD", body["text"]!.GetValue<string>());

        // A link already in the text is not repeated; other hosts are left alone.
        var inText = new OutgoingChannelMessage("msg_3", "+79161234567", "Оплата: https://pay.romashka.ru/p/AB12CD, правила: https://romashka.ru/rules",
            Buttons: [new MessageButton("Оплатить", "https://pay.romashka.ru/p/AB12CD")]);
        Assert.Equal("Оплата: https://pl.example/p/AB12CD, правила: https://romashka.ru/rules", _channel.RenderText(Context(shortHost: "pl.example").Settings, inText));
        Assert.Equal(inText.Text, _channel.RenderText(Context().Settings, inText));
    }

    [Fact]
    public async Task InvalidNumber_IsPermanent_WithExolvesMessage()
    {
        _fake.Next.Enqueue(new FakeExolve.Answer(400, """{"error":{"message":"Number does not exist"}}"""));
        var result = await _channel.SendAsync(Context(), new OutgoingChannelMessage("msg_4", "+79161234567", "Текст"), CancellationToken.None);
        Assert.Equal(ChannelSendStatus.Permanent, result.Status);
        Assert.Equal("Exolve answered HTTP 400", result.Error);
    }

    [Fact]
    public async Task WrongKey_IsPermanent_AndTheCheckNamesIt()
    {
        var send = await _channel.SendAsync(Context(apiKey: "wrong-key"), new OutgoingChannelMessage("msg_5", "+79161234567", "Текст"), CancellationToken.None);
        Assert.Equal(ChannelSendStatus.Permanent, send.Status);
        Assert.Contains("apiKey", send.Error);

        var bad = await _channel.CheckCredentialsAsync(Context(apiKey: "wrong-key"), CancellationToken.None);
        Assert.Equal(["settings.apiKey"], bad.Error!.Fields!.Keys);
        var good = await _channel.CheckCredentialsAsync(Context(), CancellationToken.None);
        Assert.True(good.IsSuccess, good.Error?.Message);
        var check = _fake.Calls.Last();
        Assert.Equal("GetCount", check.Method);
        Assert.Equal("""{"date_gte":"2026-11-18T06:59:00Z","date_lte":"2026-11-18T07:00:00Z"}""", check.Body);
        Assert.DoesNotContain(_fake.Calls, c => c.Method == "SendSMS" && c.Authorization == "Bearer " + FakeExolve.ApiKey);
    }

    [Theory]
    [InlineData(429, 7)]
    [InlineData(503, null)]
    public async Task Throttled_OrDown_IsTransient_WithRetryAfter_AndNotRepeated(int status, int? retryAfter)
    {
        _fake.Next.Enqueue(new FakeExolve.Answer(status, """{"error":{"message":"try later"}}""", retryAfter));
        var result = await _channel.SendAsync(Context(), new OutgoingChannelMessage("msg_6", "+79161234567", "Текст"), CancellationToken.None);
        Assert.Equal(ChannelSendStatus.Transient, result.Status);
        Assert.Equal(retryAfter is null ? null : TimeSpan.FromSeconds(retryAfter.Value), result.RetryAfter);
        // SendSMS has no idempotency key: the HTTP client must not repeat it (a repeat could send a second SMS).
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task Timeout_IsTransient_AndNotRepeated()
    {
        _fake.Next.Enqueue(new FakeExolve.Answer(200, """{"message_id":"1"}""", Delay: TimeSpan.FromSeconds(30)));
        var result = await _channel.SendAsync(Context(), new OutgoingChannelMessage("msg_7", "+79161234567", "Текст"), CancellationToken.None);
        Assert.Equal(ChannelSendStatus.Transient, result.Status);
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task NothingListening_IsTransient()
    {
        var result = await _channel.SendAsync(Context(baseUrl: "http://127.0.0.1:1/"), new OutgoingChannelMessage("msg_8", "+79161234567", "Текст"), CancellationToken.None);
        Assert.Equal(ChannelSendStatus.Transient, result.Status);
    }

    [Fact]
    public void Settings_AndRecipients_AreValidated()
    {
        var bad = _channel.ValidateSettings(new JsonObject { ["apiKey"] = "Bearer abc", ["sender"] = "Too-long-alpha-name", ["shortHost"] = "pl/x", ["baseUrl"] = "ftp://x", ["x"] = 1 });
        Assert.Equal(["settings.apiKey", "settings.baseUrl", "settings.sender", "settings.shortHost", "settings.x"], bad.Error!.Fields!.Keys.Order());
        Assert.Equal(["settings.apiKey", "settings.sender"], _channel.ValidateSettings(new JsonObject()).Error!.Fields!.Keys.Order());

        var alpha = _channel.ValidateSettings(new JsonObject { ["apiKey"] = "key-123456789", ["sender"] = "Romashka" }).Value;
        Assert.Equal("Romashka", alpha["sender"]!.GetValue<string>());
        var masked = _channel.MaskSettings(alpha);
        Assert.Equal("****6789", masked["apiKey"]!.GetValue<string>());

        foreach (var ok in new[] { "+7 916 123-45-67", "89161234567", "9161234567", "7(916)1234567" })
            Assert.Equal("+79161234567", _channel.NormalizeRecipient(ok).Value);
        foreach (var no in new[] { "", "12345", "+44 20 7946 0958", "abc" })
            Assert.Equal("to", _channel.NormalizeRecipient(no).Error!.Fields!.Keys.Single());
        Assert.Equal(new ChannelTraits(SupportsButtons: false, SupportsHtml: false, IsSms: true, ReachesBy: ContactKind.Phone), _channel.Traits);
    }
}

/// <summary>Collects formatted log lines so tests can check that nothing sensitive is logged.</summary>
public sealed class CapturingLogger : ILoggerProvider, ILogger
{
    public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();
    public ILogger CreateLogger(string categoryName) => this;
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
    public void Dispose() { }
}
