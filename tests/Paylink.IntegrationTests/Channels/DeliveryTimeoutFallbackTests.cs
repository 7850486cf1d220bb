using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Common;
using Paylink.Core.Messaging;
using Paylink.Core.Providers;
using Paylink.IntegrationTests.Bookings;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Channels;

/// <summary>
/// A test-only channel: writes to a customer's phone, optionally reports delivery, and records what it sent.
/// Registered through the ordinary <see cref="ProviderRegistry{T}"/> (an <see cref="IMessageChannel"/> singleton).
/// </summary>
public sealed class RecordingChannel(string id, bool reportsDelivery) : IMessageChannel
{
    public string Id => id;
    public ConcurrentQueue<OutgoingChannelMessage> Sent { get; } = new();
    public ChannelTraits Traits => new(false, false, false, ReportsDelivery: reportsDelivery, ReachesBy: ContactKind.Phone);
    public Result<JsonObject> ValidateSettings(JsonObject settings) => settings;
    public JsonObject MaskSettings(JsonObject settings) => settings;
    public Result<string> NormalizeRecipient(string to) => to;

    public Task<ChannelSendResult> SendAsync(ChannelContext context, OutgoingChannelMessage message, CancellationToken ct)
    {
        Sent.Enqueue(message);
        return Task.FromResult(ChannelSendResult.Sent("pm-" + message.MessageId));
    }
}

public class DeliveryHost(Db kind) : BookingsHost(kind)
{
    public RecordingChannel Reporting { get; } = new("test-reporting", reportsDelivery: true);
    public RecordingChannel Next { get; } = new("test-next", reportsDelivery: false);

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddSingleton<IMessageChannel>(Reporting);
        services.AddSingleton<IMessageChannel>(Next);
    }
}
public sealed class DeliverySqliteHost() : DeliveryHost(Db.Sqlite);
public sealed class DeliveryPostgresHost() : DeliveryHost(Db.Postgres);

/// <summary>
/// The delivery-timeout path of the channel fallback: on a channel that reports delivery, a message not delivered
/// within <c>deliveryTimeoutMinutes</c> falls back to exactly one message on the next channel; one delivered in time
/// does not; a late report after the fallback queues nothing more.
/// </summary>
public abstract class DeliveryTimeoutFallbackTests<THost>(THost host) : IClassFixture<THost> where THost : DeliveryHost
{
    private async Task<(HttpClient Api, string Account)> MerchantAsync()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        await api.AssistantOffAsync();
        var account = (await (await api.PostJsonAsync("/api/v1/channel-accounts", """{"provider":"test-reporting","name":"R","settings":{}}"""))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        (await api.PostJsonAsync("/api/v1/channel-accounts", """{"provider":"test-next","name":"N","settings":{}}""")).EnsureSuccessStatusCode();
        await (await api.PutJsonAsync("/api/v1/channel-fallback", """{"order":["test-reporting","test-next"],"deliveryTimeoutMinutes":20}"""))
            .ReadJsonAsync(HttpStatusCode.OK);
        // No reminders: every message of the link below is the invoice or its fallback.
        await (await api.PutJsonAsync("/api/v1/reminder-policy", """
            {"linkRemindersEnabled":false,"linkSteps":[{"afterMinutes":30}],"visitRemindersEnabled":false,"visitHoursBefore":[24],
             "quietFrom":"21:00","quietTo":"09:00","escalation":["same"]}
            """)).ReadJsonAsync(HttpStatusCode.OK);
        return (api, account);
    }

    private static string Phone() => "+7917" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> SendInvoiceAsync(HttpClient api, string account, string phone)
    {
        var link = (await (await api.PostAsJsonAsync("/api/v1/links", new { amount = 250000, currency = "RUB", description = "Маникюр", customer = new { name = "Анна", phone } }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        (await api.PostJsonAsync($"/api/v1/links/{link}/send", $$"""{"channelAccount":"{{account}}","to":"{{phone}}"}""")).EnsureSuccessStatusCode();
        return link;
    }

    private static async Task<List<JsonElement>> MessagesAsync(HttpClient api, string link) =>
        (await (await api.GetAsync($"/api/v1/links/{link}/messages")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();

    private async Task<bool> ReportDeliveredAsync(string account, string messageId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MessageDeliveryReports>().DeliveredAsync(account, "pm-" + messageId, CancellationToken.None);
    }

    private int NextSends(string phone) => host.Next.Sent.Count(m => m.To == phone);

    [Fact]
    public async Task NotDeliveredInTime_FallsBackOnce_LateReportQueuesNothing()
    {
        var (api, account) = await MerchantAsync();
        var phone = Phone();
        var link = await SendInvoiceAsync(api, account, phone);
        await host.DrainAsync();
        var first = Assert.Single(await MessagesAsync(api, link));
        Assert.Equal("sent", first.GetProperty("status").GetString());

        // Before the timeout nothing else goes: never two channels at once for one step.
        host.Clock.Advance(TimeSpan.FromMinutes(19));
        await host.DrainAsync();
        Assert.Single(await MessagesAsync(api, link));
        Assert.Equal(0, NextSends(phone));

        host.Clock.Advance(TimeSpan.FromMinutes(2));
        await host.DrainAsync();
        await host.DrainAsync();
        var messages = await MessagesAsync(api, link);
        Assert.Equal<string>(["test-reporting", "test-next"], messages.Select(m => m.GetProperty("channel").GetString()!).ToArray());
        Assert.Equal(first.GetProperty("id").GetString(), messages[1].GetProperty("fallbackFromId").GetString());
        Assert.Equal("sent", messages[1].GetProperty("status").GetString());
        Assert.Equal(1, NextSends(phone));

        // The report arrives late: the first message becomes delivered, and no further message is written or sent.
        Assert.True(await ReportDeliveredAsync(account, first.GetProperty("id").GetString()!));
        Assert.False(await ReportDeliveredAsync(account, first.GetProperty("id").GetString()!));
        host.Clock.Advance(TimeSpan.FromMinutes(30));
        await host.DrainAsync();
        await host.DrainAsync();
        messages = await MessagesAsync(api, link);
        Assert.Equal(2, messages.Count);
        Assert.Equal("delivered", messages[0].GetProperty("status").GetString());
        Assert.Equal(1, NextSends(phone));
    }

    [Fact]
    public async Task DeliveredInTime_NoFallback()
    {
        var (api, account) = await MerchantAsync();
        var phone = Phone();
        var link = await SendInvoiceAsync(api, account, phone);
        await host.DrainAsync();
        var first = Assert.Single(await MessagesAsync(api, link));
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await ReportDeliveredAsync(account, first.GetProperty("id").GetString()!));

        host.Clock.Advance(TimeSpan.FromMinutes(30));
        await host.DrainAsync();
        await host.DrainAsync();
        var only = Assert.Single(await MessagesAsync(api, link));
        Assert.Equal("delivered", only.GetProperty("status").GetString());
        Assert.Equal(0, NextSends(phone));
    }
}

public sealed class DeliveryTimeoutFallbackSqliteTests(DeliverySqliteHost host) : DeliveryTimeoutFallbackTests<DeliverySqliteHost>(host);
public sealed class DeliveryTimeoutFallbackPostgresTests(DeliveryPostgresHost host) : DeliveryTimeoutFallbackTests<DeliveryPostgresHost>(host);
