using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Dashboard;
using Paylink.Core.Merchants;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Dashboard;

/// <summary>A browser-like HTTP client for the dashboard: keeps cookies, reads the antiforgery token of the page it last got.</summary>
public sealed partial class DashClient(HttpClient http)
{
    public HttpClient Http { get; } = http;
    public string? LastHtml { get; private set; }

    public async Task<HttpResponseMessage> GetAsync(string url)
    {
        var r = await Http.GetAsync(url);
        LastHtml = await r.HtmlAsync();
        return r;
    }

    public async Task<string> PageAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var r = await GetAsync(url);
        Assert.True(r.StatusCode == expected, $"GET {url}: expected {(int)expected}, got {(int)r.StatusCode} {r.Headers.Location}");
        return LastHtml!;
    }

    public string Token => CsrfRegex().Match(LastHtml ?? "") is { Success: true } m ? m.Groups[1].Value
        : throw new InvalidOperationException("The last page has no form token.");

    /// <summary>POSTs a form with the token of the last page (unless <paramref name="withToken"/> is false).</summary>
    public async Task<HttpResponseMessage> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> fields, bool withToken = true)
    {
        var all = fields.ToList();
        if (withToken) all.Add(new("__csrf", Token));
        var r = await Http.PostAsync(url, new FormUrlEncodedContent(all));
        var body = await r.HtmlAsync();
        if (r.StatusCode != HttpStatusCode.Redirect && r.StatusCode != HttpStatusCode.Found) LastHtml = body;
        return r;
    }

    public Task<HttpResponseMessage> PostAsync(string url, params (string Name, string Value)[] fields) =>
        PostAsync(url, fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    public async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        await PageAsync("/dashboard/signin");
        return await PostAsync("/dashboard/signin", ("email", email), ("password", password));
    }

    /// <summary>The value of a hidden input on the last page.</summary>
    public string Hidden(string name) =>
        Regex.Match(LastHtml ?? "", $"<input type=\"hidden\" name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value
            : throw new InvalidOperationException($"No hidden {name} on the page.");

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfRegex();
}

public sealed record DashUser(string MerchantId, string ApiKey, string Email, string Password);

public static class DashboardHostExtensions
{
    public static DashClient Dash(this PaylinkHost host) =>
        new(host.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>A new merchant with a dashboard user of the role (and, for another user, an existing merchant).</summary>
    public static async Task<DashUser> NewUserAsync(this PaylinkHost host, string role = DashboardRoles.Owner, CreatedMerchant? merchant = null)
    {
        merchant ??= await host.NewMerchantAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        var r = await scope.ServiceProvider.GetRequiredService<CreateDashboardUser>()
            .HandleAsync(new CreateDashboardUserRequest(merchant.Merchant.Id, email, role), CancellationToken.None);
        Assert.True(r.IsSuccess, r.Error?.Message);
        return new DashUser(merchant.Merchant.Id, merchant.ApiKey, email, r.Value.Password);
    }

    public static async Task<DashClient> SignedInAsync(this PaylinkHost host, DashUser user)
    {
        var c = host.Dash();
        var r = await c.SignInAsync(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        return c;
    }
}
