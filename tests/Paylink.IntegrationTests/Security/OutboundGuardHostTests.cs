using System.Net;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Security;

/// <summary>The server as deployed (<c>Outbound:AllowPrivateNetworks</c> false): no merchant setting may name a
/// destination inside the server's own network.</summary>
public class StrictOutboundHost(Db kind) : PaylinkHost(kind)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Outbound:AllowPrivateNetworks"] = "false",
        ["Jobs:Enabled"] = "false",
    };
}

public sealed class StrictOutboundSqliteHost() : StrictOutboundHost(Db.Sqlite);
public sealed class StrictOutboundPostgresHost() : StrictOutboundHost(Db.Postgres);

public abstract class OutboundGuardHostTests<THost>(THost host) : IClassFixture<THost> where THost : StrictOutboundHost
{
    [Theory]
    [InlineData("gateway-accounts", """{"provider":"tbank","name":"T","settings":{"terminalKey":"T1","password":"p","baseUrl":"http://127.0.0.1:1/v2/"}}""", "settings.baseUrl")]
    [InlineData("gateway-accounts", """{"provider":"yookassa","name":"Y","settings":{"shopId":"123","secretKey":"test_x","baseUrl":"http://[::ffff:127.0.0.1]/v3/"}}""", "settings.baseUrl")]
    [InlineData("gateway-accounts", """{"provider":"stripe","name":"S","settings":{"secretKey":"sk_test_x","webhookSecret":"whsec_x","baseUrl":"http://169.254.169.254/"}}""", "settings.baseUrl")]
    [InlineData("channel-accounts", """{"provider":"exolve","name":"SMS","settings":{"apiKey":"k","sender":"79990001122","baseUrl":"http://10.0.0.5/"}}""", "settings.baseUrl")]
    [InlineData("channel-accounts", """{"provider":"telegram","name":"Bot","settings":{"botToken":"123456789:AAFakeTokenForTestsOnly_abcdefghijk","baseUrl":"http://LOCALHOST./"}}""", "settings.baseUrl")]
    [InlineData("channel-accounts", """{"provider":"email","name":"Mail","settings":{"host":"LOCALHOST.","port":25,"security":"starttls","from":"shop@romashka.ru"}}""", "settings.host")]
    [InlineData("channel-accounts", """{"provider":"email","name":"Mail","settings":{"host":"192.168.0.10","port":25,"security":"starttls","from":"shop@romashka.ru"}}""", "settings.host")]
    [InlineData("crm-accounts", """{"provider":"bitrix24","settings":{"webhookUrl":"https://[64:ff9b::a00:1]/rest/1/abc/"}}""", "settings.webhookUrl")]
    [InlineData("webhook-endpoints", """{"url":"https://[2002:7f00:1::]/h","events":["link.paid"]}""", "url")]
    public async Task Save_PrivateDestination_Returns422NamingTheField(string resource, string json, string field)
    {
        var m = await host.NewMerchantAsync();
        await (await host.Client(m.ApiKey).PostJsonAsync($"/api/v1/{resource}", json)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, field);
    }

    [Fact]
    public async Task Update_ToPrivateDestination_Refused_AndStoredSettingsKept()
    {
        var m = await host.NewMerchantAsync();
        var api = host.Client(m.ApiKey);
        var created = await (await api.PostJsonAsync("/api/v1/gateway-accounts",
            """{"provider":"tbank","name":"T","settings":{"terminalKey":"T1","password":"p"}}""")).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        await (await api.PatchAsync($"/api/v1/gateway-accounts/{id}", HttpAssert.Json("""{"settings":{"baseUrl":"http://0x7f.1/"}}""")))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "settings.baseUrl");
        var after = await (await api.GetAsync($"/api/v1/gateway-accounts/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(after.GetProperty("settings").TryGetProperty("baseUrl", out _));
    }
}

public sealed class OutboundGuardHostSqliteTests(StrictOutboundSqliteHost host) : OutboundGuardHostTests<StrictOutboundSqliteHost>(host);
public sealed class OutboundGuardHostPostgresTests(StrictOutboundPostgresHost host) : OutboundGuardHostTests<StrictOutboundPostgresHost>(host);
