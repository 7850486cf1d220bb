using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Dashboard;

/// <summary>The client's own channel order on the conversation page: set, rejected with the error in the form, cleared — as the API sees it.</summary>
public abstract class ContactChannelOrderDashboardTests<THost>(THost host) : IClassFixture<THost> where THost : PaylinkHost
{
    [Fact]
    public async Task ConversationPage_SetsAndClearsTheClientsChannelOrder()
    {
        var owner = await host.NewUserAsync();
        var api = host.Client(owner.ApiKey);
        var c = await host.SignedInAsync(owner);
        var account = (await (await api.PostJsonAsync("/api/v1/channel-accounts",
            $$$"""{"provider":"webchat","name":"Сайт","settings":{"slug":"co-{{{Guid.NewGuid().ToString("N")[..10]}}}"}}""")).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        var phone = "+7918" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var visitor = "wv_" + Guid.NewGuid().ToString("N");
        var link = (await (await api.PostAsJsonAsync("/api/v1/links", new { amount = 150000, currency = "RUB", description = "Стрижка", customer = new { name = "Ольга", phone } }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        (await api.PostJsonAsync($"/api/v1/links/{link}/send", $$"""{"channelAccount":"{{account}}","to":"{{visitor}}"}""")).EnsureSuccessStatusCode();
        var conv = (await (await api.GetAsync("/api/v1/conversations")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Single(x => x.GetProperty("address").GetString() == visitor).GetProperty("id").GetString()!;

        async Task<string[]> ApiOrderAsync() =>
            (await (await api.GetAsync("/api/v1/crm/contacts?q=" + Uri.EscapeDataString(phone))).ReadJsonAsync(HttpStatusCode.OK))
                .GetProperty("items")[0].GetProperty("channelOrder").EnumerateArray().Select(x => x.GetString()!).ToArray();

        var page = await c.PageAsync($"/dashboard/conversations/{conv}");
        Assert.Contains("Порядок каналов клиента", page);
        Assert.Contains("id=\"channel-order-form\"", page);

        // Without the form token the post is refused; a channel twice is shown as an error in the form.
        Assert.Equal(HttpStatusCode.BadRequest, (await c.PostAsync($"/dashboard/conversations/{conv}/channel-order",
            [new KeyValuePair<string, string>("order", "vk")], withToken: false)).StatusCode);
        await c.PageAsync($"/dashboard/conversations/{conv}");
        var twice = await c.PostAsync($"/dashboard/conversations/{conv}/channel-order", ("order", "vk"), ("order", "vk"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
        Assert.Contains("listed twice", c.LastHtml);
        Assert.Contains("id=\"channel-order-form\"", c.LastHtml);
        Assert.Empty(await ApiOrderAsync());

        var saved = await c.PostAsync($"/dashboard/conversations/{conv}/channel-order", ("order", "vk"), ("order", ""), ("order", "exolve"), ("order", "email"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal<string>(["vk", "exolve", "email"], await ApiOrderAsync());
        page = await c.PageAsync($"/dashboard/conversations/{conv}");
        Assert.Contains("<option value=\"exolve\" selected", page);

        Assert.Equal(HttpStatusCode.Redirect, (await c.PostAsync($"/dashboard/conversations/{conv}/channel-order", ("order", ""), ("order", ""))).StatusCode);
        Assert.Empty(await ApiOrderAsync());
    }
}

public sealed class ContactChannelOrderDashboardSqliteTests(SqliteHost host) : ContactChannelOrderDashboardTests<SqliteHost>(host);
public sealed class ContactChannelOrderDashboardPostgresTests(PostgresHost host) : ContactChannelOrderDashboardTests<PostgresHost>(host);
