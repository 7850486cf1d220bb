using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Providers;
using Paylink.IntegrationTests.Gateways;
using Paylink.IntegrationTests.Infrastructure;
using Paylink.Providers.Crm.Bitrix24;

namespace Paylink.IntegrationTests.Security;

/// <summary>
/// A hostile "provider" on 127.0.0.1 that answers every provider's error shape with a marker in every free-text
/// field (the issue: a merchant points a baseUrl at a host it controls, or a real provider answers an error).
/// Whatever reaches the merchant — /test answers, checkout, sends, CRM calls, the link afterwards — names the code
/// or status and our meaning, never the remote's words.
/// </summary>
public abstract class RemoteErrorTextTests<THost>(THost host) : IClassFixture<THost>, IAsyncLifetime where THost : GatewaysHost
{
    private const string Marker = "hunter2 internal 10.0.0.5";
    private WebApplication _remote = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _remote = await LoopbackApp.StartAsync(MapHostile);
        _url = _remote.Urls.First();
    }

    public async Task DisposeAsync() => await _remote.DisposeAsync();

    private static void MapHostile(WebApplication a)
    {
        // T-Bank: HTTP 200 with Success=false; 204 ("invalid token") for every method.
        // (A JsonObject keeps the bank's PascalCase names; an anonymous object would be camel-cased.)
        a.MapPost("/v2/{method}", (string method) => Results.Json(new JsonObject
        {
            ["Success"] = false, ["ErrorCode"] = "204", ["Message"] = Marker, ["Details"] = Marker, ["TerminalKey"] = Marker,
        }));
        // YooKassa: the documented error object.
        a.Map("/v3/{**path}", () => Results.Json(new { type = "error", id = "err-1", code = "invalid_credentials", description = Marker, parameter = "Authorization" }, statusCode: 401));
        // Stripe: an error object with message (and a code that is not a token).
        a.Map("/v1/{**path}", () => Results.Json(new { error = new { type = "invalid_request_error", code = "api_key_invalid", message = Marker, param = Marker, decline_code = Marker } }, statusCode: 401));
        // Bitrix24: error + error_description.
        a.MapPost("/rest/{user}/{code}/{method}", () => Results.Json(new { error = "ERROR_CORE", error_description = Marker }, statusCode: 400));
        // Telegram Bot API.
        a.MapPost("/tg/{bot}/{method}", () => Results.Json(new { ok = false, error_code = 400, description = Marker }, statusCode: 400));
        // MAX: {"code","message"} with an HTTP error status.
        a.Map("/max/{**path}", () => Results.Json(new { code = "bad.request", message = Marker }, statusCode: 400));
        // VK: HTTP 200 with error.error_msg.
        a.MapPost("/vk/method/{name}", () => Results.Json(new { error = new { error_code = 100, error_msg = Marker, request_params = new[] { new { key = "x", value = Marker } } } }));
        // Exolve: HTTP 400 with an error message.
        a.MapPost("/ex/messaging/v1/{method}", () => Results.Json(new { error = new { message = Marker, code = 400 } }, statusCode: 400));
    }

    private static void AssertClean(string text)
    {
        Assert.DoesNotContain("hunter2", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("10.0.0.5", text, StringComparison.Ordinal);
    }

    private async Task<(HttpClient Api, string Id)> GatewayAsync(string provider, string settings)
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var created = await (await api.PostJsonAsync("/api/v1/gateway-accounts", $$"""{"provider":"{{provider}}","name":"Hostile","settings":{{settings}}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        (await api.PostJsonAsync("/api/v1/gateway-accounts/order", $$"""{"ids":["{{id}}"]}""")).EnsureSuccessStatusCode();
        return (api, id);
    }

    public static TheoryData<string, string, string> Gateways => new()
    {
        { "tbank", """{"terminalKey":"T1","password":"p","baseUrl":"{url}/v2/"}""", "204" },
        { "yookassa", """{"shopId":"123","secretKey":"test_x","baseUrl":"{url}/v3/"}""", "invalid_credentials" },
        { "stripe", """{"secretKey":"sk_test_x","webhookSecret":"whsec_x","baseUrl":"{url}"}""", "api_key_invalid" },
    };

    [Theory]
    [MemberData(nameof(Gateways))]
    public async Task GatewayTestAndCheckout_HostileErrors_NameTheCodeButNeverEchoTheRemoteText(string provider, string settings, string code)
    {
        var (api, id) = await GatewayAsync(provider, settings.Replace("{url}", _url, StringComparison.Ordinal));

        var test = await api.PostAsync($"/api/v1/gateway-accounts/{id}/test", null);
        var testBody = await test.Content.ReadAsStringAsync();
        Assert.False(test.IsSuccessStatusCode, testBody);
        AssertClean(testBody);
        Assert.Contains(code, testBody, StringComparison.Ordinal);

        var link = await api.CreateLinkAsync();
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay",
            new FormUrlEncodedContent([new("consent", "on")]));
        AssertClean(await pay.Content.ReadAsStringAsync());
        var after = await (await api.GetAsync($"/api/v1/links/{link.GetProperty("id").GetString()}")).Content.ReadAsStringAsync();
        AssertClean(after);
        AssertClean(await (await api.GetAsync("/api/v1/gateway-accounts")).Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, string, string> Channels => new()
    {
        { "telegram", """{"botToken":"123456789:AAFakeTokenForTestsOnly_abcdefghijk","baseUrl":"{url}/tg/"}""", "12345", "400" },
        { "max", """{"botToken":"max-bot-token-for-tests-0123456789","baseUrl":"{url}/max/"}""", "12345", "400" },
        { "vk", """{"accessToken":"vk1.a.hostile-community-token-1","groupId":1,"confirmationCode":"a1b2c3d4","secret":"vk-callback-secret-1","baseUrl":"{url}/vk/"}""", "12345", "100" },
        { "exolve", """{"apiKey":"k","sender":"79990001122","baseUrl":"{url}/ex/"}""", "+79161234567", "HTTP 400" },
    };

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task ChannelTestAndSend_HostileErrors_NameTheCodeButNeverEchoTheRemoteText(string provider, string settings, string to, string code)
    {
        settings = settings.Replace("{url}", _url, StringComparison.Ordinal);
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var created = await (await api.PostJsonAsync("/api/v1/channel-accounts", $$"""{"provider":"{{provider}}","name":"Hostile","settings":{{settings}}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;

        var test = await api.PostAsync($"/api/v1/channel-accounts/{id}/test", null);
        var testBody = await test.Content.ReadAsStringAsync();
        Assert.False(test.IsSuccessStatusCode, testBody);
        AssertClean(testBody);
        Assert.Contains(code, testBody, StringComparison.Ordinal);

        if (provider is "telegram" or "max")
            AssertClean(await (await api.PostAsync($"/api/v1/channel-accounts/{id}/register-webhook", null)).Content.ReadAsStringAsync());

        // A real send, as the message.send job does it; its error is what the message row and job keep.
        var channel = host.Services.GetRequiredService<ProviderRegistry<IMessageChannel>>().Get(provider);
        var valid = channel.ValidateSettings(JsonNode.Parse(settings)!.AsObject());
        Assert.True(valid.IsSuccess, valid.Error?.Message);
        var recipient = channel.NormalizeRecipient(to);
        Assert.True(recipient.IsSuccess, recipient.Error?.Message);
        var sent = await channel.SendAsync(new ChannelContext(m.Merchant.Id, id, valid.Value, null),
            new OutgoingChannelMessage("msg_hostile", recipient.Value, "Оплатите заказ"), CancellationToken.None);
        Assert.NotEqual(ChannelSendStatus.Sent, sent.Status);
        AssertClean(sent.Error!);
        Assert.Contains(code, sent.Error!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bitrix24TestAndCall_HostileErrors_NameTheCodeButNeverEchoTheRemoteText()
    {
        var webhook = $"{_url}/rest/1/hostilecode/";
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var created = await api.PostJsonAsync("/api/v1/crm-accounts", $$$"""{"provider":"bitrix24","settings":{"webhookUrl":"{{{webhook}}}"}}""");
        var createdBody = await created.Content.ReadAsStringAsync();
        AssertClean(createdBody);
        Assert.True(created.IsSuccessStatusCode, createdBody);
        var id = JsonDocument.Parse(createdBody).RootElement.GetProperty("id").GetString()!;

        var test = await api.PostAsync($"/api/v1/crm-accounts/{id}/test", null);
        var testBody = await test.Content.ReadAsStringAsync();
        Assert.False(test.IsSuccessStatusCode, testBody);
        AssertClean(testBody);
        Assert.Contains("ERROR_CORE", testBody, StringComparison.Ordinal);
        AssertClean(await (await api.GetAsync($"/api/v1/crm-accounts/{id}/log")).Content.ReadAsStringAsync());

        var client = host.Services.GetRequiredService<Bitrix24Client>();
        var settings = Bitrix24Settings.Parse(Bitrix24Settings.Validate(new JsonObject { ["webhookUrl"] = webhook }).Value);
        var r = await client.CallAsync(settings, "crm.deal.add", new { fields = new { TITLE = "x" } }, CancellationToken.None);
        Assert.False(r.IsSuccess);
        AssertClean(r.Failure!.Message);
        Assert.Equal("ERROR_CORE", r.Failure.Code);
        Assert.Contains("ERROR_CORE", r.Failure.Message, StringComparison.Ordinal);
    }
}

public sealed class RemoteErrorTextSqliteTests(GatewaysSqliteHost host) : RemoteErrorTextTests<GatewaysSqliteHost>(host);
public sealed class RemoteErrorTextPostgresTests(GatewaysPostgresHost host) : RemoteErrorTextTests<GatewaysPostgresHost>(host);
