using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Dashboard;
using Paylink.Core.Data;
using Paylink.IntegrationTests.Gateways;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Dashboard;

/// <summary>The dashboard over HTTP: sign-in, lockout, sessions, CSRF, tenancy, double submits, template errors, labels.</summary>
public abstract partial class DashboardTests<THost>(THost host) : IClassFixture<THost> where THost : PaylinkHost
{
    [Fact]
    public async Task Anonymous_IsSentToSignIn_ThenBackAfterSignIn()
    {
        var c = host.Dash();
        var r = await c.GetAsync("/dashboard/links");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/dashboard/signin?returnUrl=%2Fdashboard%2Flinks", r.Headers.Location!.PathAndQuery);
        var user = await host.NewUserAsync();
        var signInPage = await c.GetAsync(r.Headers.Location!.PathAndQuery);
        var csp = string.Join(";", signInPage.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'sha256-", csp);
        Assert.Equal("DENY", signInPage.Headers.GetValues("X-Frame-Options").Single());
        var signIn = await c.PostAsync("/dashboard/signin", ("email", user.Email.ToUpperInvariant()), ("password", user.Password), ("returnUrl", "/dashboard/links"));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/dashboard/links", signIn.Headers.Location!.ToString());
        Assert.Contains("Ссылки на оплату", await c.PageAsync("/dashboard/links"));
        // The API's Bearer keys and the dashboard cookie are separate: the cookie does not open the API.
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.Http.GetAsync("/api/v1/links")).StatusCode);
    }

    [Fact]
    public async Task SignIn_ReturnUrlElsewhere_GoesToDashboardInstead()
    {
        var user = await host.NewUserAsync();
        var c = host.Dash();
        await c.PageAsync("/dashboard/signin");
        var r = await c.PostAsync("/dashboard/signin", ("email", user.Email), ("password", user.Password), ("returnUrl", "//evil.example/x"));
        Assert.Equal("/dashboard", r.Headers.Location!.ToString());
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksOut_EvenTheRightPasswordIsRefused()
    {
        var user = await host.NewUserAsync();
        var c = host.Dash();
        for (var i = 1; i <= 4; i++)
        {
            var r = await c.SignInAsync(user.Email, "wrong-password-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Contains("Неверный e-mail или пароль", c.LastHtml);
        }
        var fifth = await c.SignInAsync(user.Email, "wrong-password-5");
        Assert.Equal((HttpStatusCode)423, fifth.StatusCode);
        Assert.Contains("заблокирован", c.LastHtml);
        var right = await c.SignInAsync(user.Email, user.Password);
        Assert.Equal((HttpStatusCode)423, right.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await c.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsSession_AndExpiredSessionGoesBackToSignIn()
    {
        var user = await host.NewUserAsync();
        var c = await host.SignedInAsync(user);
        await c.PageAsync("/dashboard");
        var r = await c.PostAsync("/dashboard/signout");
        Assert.Equal("/dashboard/signin", r.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await c.GetAsync("/dashboard")).StatusCode);

        var c2 = await host.SignedInAsync(user);
        await c2.PageAsync("/dashboard/catalog");
        host.Clock.Advance(TimeSpan.FromHours(9));   // past the 8-hour session
        var expired = await c2.GetAsync("/dashboard/catalog");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.StartsWith("/dashboard/signin", expired.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Post_WithoutOrWithForeignCsrfToken_Is400_AndNothingIsCreated()
    {
        var user = await host.NewUserAsync();
        var c = await host.SignedInAsync(user);
        await c.PageAsync("/dashboard/links/new");
        var fields = new[] { ("description", "Без токена"), ("amount", "1500"), ("nonce", "n1") };
        var r = await c.PostAsync("/dashboard/links", fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)), withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("защитный токен", c.LastHtml);

        // Another user's token does not fit this session either.
        var other = await host.SignedInAsync(await host.NewUserAsync());
        await other.PageAsync("/dashboard/links/new");
        var foreign = other.Token;
        r = await c.Http.PostAsync("/dashboard/links", new FormUrlEncodedContent([new("description", "Чужой токен"), new("amount", "1500"), new("__csrf", foreign)]));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal(0, await LinkCountAsync(user.MerchantId));

        // Sign-in itself is protected too.
        var anon = host.Dash();
        r = await anon.PostAsync("/dashboard/signin", [new("email", user.Email), new("password", user.Password)], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Fact]
    public async Task CreateLink_DoubleSubmit_CreatesOneLink_BothAnswersShowIt()
    {
        var user = await host.NewUserAsync();
        var c = await host.SignedInAsync(user);
        await c.PageAsync("/dashboard/links/new");
        var nonce = c.Hidden("nonce");
        (string, string)[] form = [("description", "Маникюр с покрытием"), ("amount", "2 500,50"), ("name", "Анна"), ("phone", "+7 916 123-45-67"), ("nonce", nonce)];
        var first = await c.PostAsync("/dashboard/links", form);
        var second = await c.PostAsync("/dashboard/links", form);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await LinkCountAsync(user.MerchantId));
        var page = await c.PageAsync(first.Headers.Location!.ToString());
        Assert.Contains("2\u00A0500,50\u00A0₽", page);
        Assert.Contains("Ссылка создана", page);
        Assert.Contains("<svg", page);   // QR

        // The same nonce with other values is refused, not a second link.
        var changed = await c.PostAsync("/dashboard/links", ("description", "Другое"), ("amount", "100"), ("nonce", nonce));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Equal(1, await LinkCountAsync(user.MerchantId));
    }

    [Fact]
    public async Task CreateLink_FromCatalog_AndBadInputNamesTheProblem()
    {
        var user = await host.NewUserAsync();
        var c = await host.SignedInAsync(user);
        await c.PageAsync("/dashboard/catalog");
        var saved = await c.PostAsync("/dashboard/catalog", ("id", "massage"), ("name", "Массаж спины"), ("price", "3200"), ("duration", "60"), ("aliases", "массаж, спина"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var form = await c.PageAsync("/dashboard/links/new");
        Assert.Contains("Массаж спины", form);
        var created = await c.PostAsync("/dashboard/links", ("service", "massage"), ("description", ""), ("amount", ""), ("nonce", c.Hidden("nonce")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = await c.PageAsync(created.Headers.Location!.ToString());
        Assert.Contains("Массаж спины", page);
        Assert.Contains("3\u00A0200,00\u00A0₽", page);

        await c.PageAsync("/dashboard/links/new");
        var bad = await c.PostAsync("/dashboard/links", ("description", ""), ("amount", "abc"), ("nonce", c.Hidden("nonce")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("Сумма", c.LastHtml);
        var noDescription = await c.PostAsync("/dashboard/links", ("description", ""), ("amount", "100"), ("nonce", c.Hidden("nonce")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noDescription.StatusCode);
        Assert.Contains("description", c.LastHtml);
    }

    [Fact]
    public async Task OtherMerchantsIds_Are404_AndNothingChanges()
    {
        var a = await host.NewUserAsync();
        var b = await host.NewUserAsync(DashboardRoles.Staff);
        var linkOfA = await host.Client(a.ApiKey).CreateLinkAsync();
        var id = linkOfA.GetProperty("id").GetString()!;
        var c = await host.SignedInAsync(b);
        await c.PageAsync("/dashboard/links/" + id, HttpStatusCode.NotFound);
        Assert.Contains("Не найдено", c.LastHtml);
        await c.PageAsync("/dashboard/links");
        Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsync($"/dashboard/links/{id}/cancel")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsync($"/dashboard/links/{id}/refund", ("amount", ""), ("nonce", "x1"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsync($"/dashboard/links/{id}/send", ("to", "+79160000000"), ("nonce", "x2"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsync($"/dashboard/bookings/bkg_nope/no-show")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/dashboard/conversations/cnv_" + id)).StatusCode);
        var got = await (await host.Client(a.ApiKey).GetAsync("/api/v1/links/" + id)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("open", got.GetProperty("status").GetString());
        // B's list does not show A's link.
        var list = await c.PageAsync("/dashboard/links?q=" + id);
        Assert.DoesNotContain("/dashboard/links/" + id, list);
        Assert.Contains("Ничего не найдено", list);
    }

    [Fact]
    public async Task Staff_CannotOpenSettings_OwnerCan_AndApiKeyIsShownOnce()
    {
        var owner = await host.NewUserAsync();
        var staff = host.Dash();
        var staffUser = await host.NewUserAsync(DashboardRoles.Staff);
        await staff.SignInAsync(staffUser.Email, staffUser.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/dashboard/settings")).StatusCode);
        Assert.DoesNotContain("/dashboard/settings\"", await staff.PageAsync("/dashboard"));
        await staff.PageAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsync("/dashboard/settings/api-keys", ("name", "staff key"))).StatusCode);

        var c = await host.SignedInAsync(owner);
        await c.PageAsync("/dashboard/settings");
        var r = await c.PostAsync("/dashboard/settings/api-keys", ("name", "Касса"));
        // Shown in the answer to the POST itself; no cookie carries it.
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.False(r.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(v => v.Contains("pl_live_", StringComparison.Ordinal)));
        var page = c.LastHtml!;
        var key = Regex.Match(page, "pl_live_[A-Za-z0-9_-]+").Value;
        Assert.NotEmpty(key);
        Assert.Equal(HttpStatusCode.OK, (await host.Client(key).GetAsync("/api/v1/links")).StatusCode);
        Assert.DoesNotContain(key, await c.PageAsync("/dashboard/settings"));   // shown once

        // Revoking it closes the API to it; another merchant's key id is not found.
        var keyId = Regex.Matches(c.LastHtml!, "/dashboard/settings/api-keys/(key_[A-Z0-9]+)/revoke").Select(m => m.Groups[1].Value).Last();
        Assert.Equal(HttpStatusCode.Redirect, (await c.PostAsync($"/dashboard/settings/api-keys/{keyId}/revoke")).StatusCode);
        host.Clock.Advance(TimeSpan.FromMinutes(1));   // past the key cache
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(key).GetAsync("/api/v1/links")).StatusCode);
        await c.PageAsync("/dashboard/settings");
        var foreignKey = (await host.NewUserAsync()).ApiKey;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var foreignId = (await scope.ServiceProvider.GetRequiredService<AppDbContext>().ApiKeys.IgnoreQueryFilters()
                .Where(k => k.MerchantId != owner.MerchantId).OrderByDescending(k => k.Id).FirstAsync()).Id;
            Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsync($"/dashboard/settings/api-keys/{foreignId}/revoke")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await host.Client(foreignKey).GetAsync("/api/v1/links")).StatusCode);

        // A webhook endpoint that is not a URL: a clear message, nothing stored.
        await c.PageAsync("/dashboard/settings");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await c.PostAsync("/dashboard/settings/webhooks", ("url", "not a url"), ("events", ""))).StatusCode);
        Assert.Matches("role=\"alert\" id=\"error\">[^<]*url", c.LastHtml!);
    }

    [Fact]
    public async Task Settings_ConnectTestAndReminderPolicy_BadInputNamesTheProblem()
    {
        var owner = await host.NewUserAsync();
        var c = await host.SignedInAsync(owner);
        var page = await c.PageAsync("/dashboard/settings");
        var sandbox = Regex.Match(page, "/dashboard/settings/test/gateway/(gwa_[A-Z0-9]+)").Groups[1].Value;
        var tested = await c.PostAsync($"/dashboard/settings/test/gateway/{sandbox}");
        Assert.Equal(HttpStatusCode.Redirect, tested.StatusCode);
        Assert.Contains("Проверка пройдена", await c.PageAsync("/dashboard/settings"));

        var bad = await c.PostAsync("/dashboard/settings/connections", ("provider", "channel:webchat"), ("name", "Сайт"), ("settings", "{slug"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("JSON", c.LastHtml);
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        var ok = await c.PostAsync("/dashboard/settings/connections", ("provider", "channel:webchat"), ("name", "Сайт"), ("settings", $$"""{"slug":"{{slug}}","title":"Салон"}"""));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Contains("Сайт (webchat)", await c.PageAsync("/dashboard/settings"));

        var steps = await c.PostAsync("/dashboard/settings/reminders", ("linkReminders", "on"), ("linkSteps", "15, 10:00"), ("escalation", "same, manager"),
            ("visitHours", "3"), ("quietFrom", "22:00"), ("quietTo", "08:00"));
        Assert.Equal(HttpStatusCode.Redirect, steps.StatusCode);
        var saved = await (await host.Client(owner.ApiKey).GetAsync("/api/v1/reminder-policy")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(15, saved.GetProperty("linkSteps")[0].GetProperty("afterMinutes").GetInt32());
        Assert.Equal("10:00", saved.GetProperty("linkSteps")[1].GetProperty("nextDayAt").GetString());
        Assert.False(saved.GetProperty("visitRemindersEnabled").GetBoolean());
        Assert.Equal("22:00", saved.GetProperty("quietFrom").GetString());
        await c.PageAsync("/dashboard/settings");
        var wrong = await c.PostAsync("/dashboard/settings/reminders", ("linkSteps", "15"), ("visitHours", "soon"), ("quietFrom", "22:00"), ("quietTo", "08:00"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("24, 2", c.LastHtml);
        var wrongTime = await c.PostAsync("/dashboard/settings/reminders", ("linkSteps", "15"), ("visitHours", "2"), ("quietFrom", "25:00"), ("quietTo", "08:00"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongTime.StatusCode);
        Assert.Contains("quietFrom", c.LastHtml);

        Assert.Contains("max, ", await c.PageAsync("/dashboard/settings"));   // the channels on offer come from the registry
        var order = await c.PostAsync("/dashboard/settings/fallback", ("order", "telegram, max, vk, exolve, email"), ("deliveryTimeoutMinutes", "30"));
        Assert.Equal(HttpStatusCode.Redirect, order.StatusCode);
        var fallback = await (await host.Client(owner.ApiKey).GetAsync("/api/v1/channel-fallback")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("max", fallback.GetProperty("order")[1].GetString());
        Assert.Equal(30, fallback.GetProperty("deliveryTimeoutMinutes").GetInt32());
        await c.PageAsync("/dashboard/settings");
        var unknown = await c.PostAsync("/dashboard/settings/fallback", ("order", "telegram, pigeon"), ("deliveryTimeoutMinutes", ""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("pigeon", c.LastHtml);
    }

    [Fact]
    public async Task AssistantRules_And_HandOverInbox_ManagerReply_TakeOver()
    {
        var owner = await host.NewUserAsync();
        var api = host.Client(owner.ApiKey);
        var c = await host.SignedInAsync(owner);
        var slug = "chat-" + Guid.NewGuid().ToString("N")[..10];
        await c.PageAsync("/dashboard/settings");
        Assert.Equal(HttpStatusCode.Redirect, (await c.PostAsync("/dashboard/settings/connections", ("provider", "channel:webchat"), ("name", "Сайт"),
            ("settings", $$"""{"slug":"{{slug}}"}"""))).StatusCode);
        var chatId = Regex.Match(await c.PageAsync("/dashboard/settings/assistant"), "name=\"channel-(cha_[A-Z0-9]+)\"").Groups[1].Value;
        Assert.NotEmpty(chatId);

        (string, string)[] rules = [("hours", "mon-fri 10:00-20:00; sat 11:00-18:00"), ("prepaymentKind", "percent"), ("prepaymentValue", "30"),
            ("fullRefundHours", "12"), ("keepDeposit", "on"), ("slotStep", "30"), ("defaultDuration", "60"), ("minLead", "60"), ("maxPayment", "50000")];
        var bad = await c.PostAsync("/dashboard/settings/assistant", [.. rules.Select(r => r.Item1 == "hours" ? ("hours", "когда-нибудь") : r).Select(r => new KeyValuePair<string, string>(r.Item1, r.Item2))]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("hours", c.LastHtml);
        // The assistant is off (box unticked) and so the client's message waits for a person.
        var saved = await c.PostAsync("/dashboard/settings/assistant", rules);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var settings = await (await api.GetAsync("/api/v1/assistant/settings")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(settings.GetProperty("enabled").GetBoolean());
        Assert.Equal("percent", settings.GetProperty("prepayment").GetProperty("kind").GetString());
        Assert.Equal(30, settings.GetProperty("prepayment").GetProperty("value").GetInt64());
        Assert.Equal(12, settings.GetProperty("cancellation").GetProperty("fullRefundHoursBefore").GetInt32());
        Assert.Equal(5_000_000, settings.GetProperty("maxPaymentMinor").GetInt64());
        Assert.Equal(chatId, settings.GetProperty("disabledChannelAccounts")[0].GetString());

        var visitor = host.Client();
        var chat = await visitor.GetAsync("/chat/" + slug);
        var cookie = chat.Headers.GetValues("Set-Cookie").Single(x => x.StartsWith("pl_wv=", StringComparison.Ordinal));
        var post = new HttpRequestMessage(HttpMethod.Post, $"/chat/{slug}/messages") { Content = HttpAssert.Json("""{"text":"Можно на стрижку в субботу?"}""") };
        post.Headers.Add("X-Chat-Visitor", cookie[6..cookie.IndexOf(';')]);
        Assert.Equal(HttpStatusCode.Accepted, (await visitor.SendAsync(post)).StatusCode);

        var inbox = await c.PageAsync("/dashboard/conversations?inbox=1");
        var conv = Regex.Match(inbox, "/dashboard/conversations/(cnv_[A-Z0-9]+)").Groups[1].Value;
        Assert.NotEmpty(conv);
        Assert.Contains("Можно на стрижку в субботу?", await c.PageAsync("/dashboard/conversations/" + conv));
        var empty = await c.PostAsync($"/dashboard/conversations/{conv}/reply", ("text", "  "));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        var reply = await c.PostAsync($"/dashboard/conversations/{conv}/reply", ("text", "Да, в 12:00 свободно"));
        Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);
        var transcript = await c.PageAsync("/dashboard/conversations/" + conv);
        Assert.Contains("Да, в 12:00 свободно", transcript);
        Assert.Contains("менеджер", transcript);
        Assert.DoesNotContain("/dashboard/conversations/" + conv, await c.PageAsync("/dashboard/conversations?inbox=1"));

        // A manager's reply takes the conversation over; the button hands it back to the assistant and takes it again.
        Assert.Contains("Ведёт менеджер", transcript);
        Assert.Equal(HttpStatusCode.Redirect, (await c.PostAsync($"/dashboard/conversations/{conv}/assistant", ("active", "true"))).StatusCode);
        Assert.Contains("Отвечает ассистент", await c.PageAsync("/dashboard/conversations/" + conv));
        Assert.Equal(HttpStatusCode.Redirect, (await c.PostAsync($"/dashboard/conversations/{conv}/assistant", ("active", "false"))).StatusCode);
        Assert.Contains("Ведёт менеджер", await c.PageAsync("/dashboard/conversations/" + conv));
    }

    [Fact]
    public async Task Bookings_DayAndWeek_MarkNoShow_FeedsTheOverview()
    {
        var owner = await host.NewUserAsync(DashboardRoles.Staff);
        await using (var scope = host.Services.CreateAsyncScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<Paylink.Core.Catalog.ImportCatalog>().HandleAsync(owner.MerchantId,
                [new Paylink.Core.Catalog.CatalogEntry("manicure", "Маникюр с покрытием", 250000, "RUB", DurationMinutes: 60)], CancellationToken.None)).IsSuccess);
        var booking = await (await host.Client(owner.ApiKey).PostJsonAsync("/api/v1/bookings",
            """{"customer":{"name":"Анна","phone":"+79161234567"},"serviceId":"manicure","start":"2026-12-02T15:00:00+03:00","staff":"Ольга"}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var id = booking.GetProperty("id").GetString()!;
        var c = await host.SignedInAsync(owner);
        var day = await c.PageAsync("/dashboard/bookings?day=2026-12-02");
        Assert.Contains("15:00–16:00", day);
        Assert.Contains("2 декабря 2026, среда", day);
        Assert.Contains("Маникюр с покрытием</td><td class=\"staff\">Ольга</td>", day);
        Assert.Contains("id=\"booking-" + id, await c.PageAsync("/dashboard/bookings?day=2026-12-04&view=week"));
        Assert.DoesNotContain("booking-" + id, await c.PageAsync("/dashboard/bookings?day=2026-12-03"));

        await c.PageAsync("/dashboard/bookings?day=2026-12-02");
        var r = await c.PostAsync($"/dashboard/bookings/{id}/no-show", ("back", "/dashboard/bookings?day=2026-12-02&view=day"));
        Assert.Equal("/dashboard/bookings?day=2026-12-02&view=day", r.Headers.Location!.ToString());
        var after = await c.PageAsync(r.Headers.Location!.ToString());
        Assert.Contains("Запись обновлена: не пришёл", after);
        Assert.DoesNotContain($"/dashboard/bookings/{id}/complete", after);
        // A finished visit cannot be marked again: a clear message, nothing changes.
        var again = await c.PostAsync($"/dashboard/bookings/{id}/complete", ("back", "/dashboard/bookings"));
        Assert.Contains("cannot become", await c.PageAsync(again.Headers.Location!.ToString()));
        var overview = await c.PageAsync("/dashboard?from=2026-12-01&to=2026-12-03");
        Assert.Matches("id=\"no-show-rate\">100\u00A0%<", overview);
        Assert.Matches("<th scope=\"row\">Ольга</th><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">100\u00A0%</td>", overview);
        var api = await (await host.Client(owner.ApiKey).GetAsync("/api/v1/metrics?from=2026-12-01&to=2026-12-03")).ReadJsonAsync(HttpStatusCode.OK);
        var staff = Assert.Single(api.GetProperty("bookingsByStaff").EnumerateArray());
        Assert.Equal("Ольга", staff.GetProperty("staff").GetString());
        Assert.Equal(1, staff.GetProperty("noShowRate").GetDouble());
        var csv = await (await c.Http.GetAsync("/dashboard/metrics.csv?from=2026-12-01&to=2026-12-03")).Content.ReadAsStringAsync();
        Assert.Contains("staff;bookings;prepaid;visit_done;no_show;prepayment_share;no_show_rate\r\nОльга;1;0;0;1;0;1", csv.ReplaceLineEndings("\r\n"));
    }

    [Fact]
    public async Task Owner_AddsStaffWithGeneratedPassword_RemovesThem_NotSelfNorOtherMerchants()
    {
        var owner = await host.NewUserAsync();
        var stranger = await host.NewUserAsync(DashboardRoles.Staff);
        var c = await host.SignedInAsync(owner);
        await c.PageAsync("/dashboard/settings");
        var email = $"anna-{Guid.NewGuid():N}@example.com";
        var created = await c.PostAsync("/dashboard/settings/users", ("email", email), ("role", "staff"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.False(created.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(v => v.StartsWith("paylink.flash", StringComparison.Ordinal)));
        var page = c.LastHtml!;
        var password = Regex.Match(page, "Пароль \\(показан один раз, передайте его лично\\): ([2-9a-zA-Z-]+)").Groups[1].Value;
        Assert.NotEmpty(password);
        Assert.Contains(email, page);
        var staff = host.Dash();
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SignInAsync(email, password)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/dashboard/settings")).StatusCode);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await c.PostAsync("/dashboard/settings/users", ("email", "not-an-email"), ("role", "staff"))).StatusCode);
        Assert.Matches("role=\"alert\" id=\"error\">[^<]*email must be an e-mail address", c.LastHtml!);

        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<AppDbContext>().Users;
        var strangerId = (await users.SingleAsync(u => u.Email == stranger.Email)).Id;
        var ownerId = (await users.SingleAsync(u => u.Email == owner.Email)).Id;
        var staffId = (await users.SingleAsync(u => u.Email == email)).Id;
        Assert.Equal(HttpStatusCode.NotFound, (await c.PostAsync($"/dashboard/settings/users/{strangerId}/delete")).StatusCode);
        await c.PageAsync("/dashboard/settings");
        Assert.DoesNotContain($"remove-user-{ownerId}", c.LastHtml);
        await c.PostAsync($"/dashboard/settings/users/{ownerId}/delete");
        Assert.Contains("Себя удалить нельзя", await c.PageAsync("/dashboard/settings"));
        Assert.Equal(HttpStatusCode.Redirect, (await c.PostAsync($"/dashboard/settings/users/{staffId}/delete")).StatusCode);
        Assert.DoesNotContain(email, await c.PageAsync("/dashboard/settings"));
        Assert.True(await users.AnyAsync(u => u.Id == strangerId));
        // The removed user's session ends with the account (the stamp is checked on every request; the fake clock must move).
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Redirect, (await staff.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentOrShortOrMismatch_Refused_ThenOldPasswordNoLongerWorks()
    {
        var user = await host.NewUserAsync();
        var c = await host.SignedInAsync(user);
        var other = await host.SignedInAsync(user);   // a second session, e.g. another device
        await c.PageAsync("/dashboard/account");
        var wrong = await c.PostAsync("/dashboard/account/password", ("currentPassword", "nope"), ("newPassword", "a-new-long-password"), ("confirmPassword", "a-new-long-password"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("Текущий пароль неверен", c.LastHtml);
        var mismatch = await c.PostAsync("/dashboard/account/password", ("currentPassword", user.Password), ("newPassword", "a-new-long-password"), ("confirmPassword", "other"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatch.StatusCode);
        var shortOne = await c.PostAsync("/dashboard/account/password", ("currentPassword", user.Password), ("newPassword", "short"), ("confirmPassword", "short"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, shortOne.StatusCode);
        Assert.Contains("не меньше 12", c.LastHtml);
        var ok = await c.PostAsync("/dashboard/account/password", ("currentPassword", user.Password), ("newPassword", "a-new-long-password"), ("confirmPassword", "a-new-long-password"));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("Пароль изменён", await c.PageAsync("/dashboard/account"));   // this session goes on
        Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("/dashboard")).StatusCode);   // the other one ended
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Dash().SignInAsync(user.Email, user.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await host.Dash().SignInAsync(user.Email, "a-new-long-password")).StatusCode);
    }

    [Fact]
    public async Task SendLink_DoubleSubmit_QueuesOneMessage_BadRecipientNamed_CancelThenNoSendForm()
    {
        var owner = await host.NewUserAsync();
        var c = await host.SignedInAsync(owner);
        await c.PageAsync("/dashboard/settings");
        var slug = "send-" + Guid.NewGuid().ToString("N")[..10];
        await c.PostAsync("/dashboard/settings/connections", ("provider", "channel:webchat"), ("name", "Сайт"), ("settings", $$"""{"slug":"{{slug}}"}"""));
        var link = await host.Client(owner.ApiKey).CreateLinkAsync(180000, "Брови");
        var id = link.GetProperty("id").GetString()!;
        var page = await c.PageAsync("/dashboard/links/" + id);
        var account = Regex.Match(page, "<option value=\"(cha_[A-Z0-9]+)\"").Groups[1].Value;
        var nonce = Regex.Match(page, "id=\"send-form\">\\s*<input type=\"hidden\" name=\"__csrf\" value=\"[^\"]+\" />\\s*<input type=\"hidden\" name=\"nonce\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(account);
        Assert.NotEmpty(nonce);

        await c.PostAsync($"/dashboard/links/{id}/send", ("channelAccount", account), ("to", "+79160000000"), ("nonce", "other-nonce"));
        Assert.Contains("wv_", await c.PageAsync("/dashboard/links/" + id));   // the channel says what it needs

        var visitor = "wv_" + Guid.NewGuid().ToString("N");
        (string, string)[] form = [("channelAccount", account), ("to", visitor), ("nonce", nonce)];
        var first = await c.PostAsync($"/dashboard/links/{id}/send", form);
        var second = await c.PostAsync($"/dashboard/links/{id}/send", form);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Contains("поставлено в очередь", await c.PageAsync(first.Headers.Location!.ToString()));
        await using (var scope = host.Services.CreateAsyncScope())
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AppDbContext>().ChannelMessages.IgnoreQueryFilters().CountAsync(m => m.LinkId == id));

        await c.PostAsync($"/dashboard/links/{id}/cancel");
        var cancelled = await c.PageAsync("/dashboard/links/" + id);
        Assert.Contains("Ссылка отменена", cancelled);
        Assert.DoesNotContain("id=\"send-form\"", cancelled);
        Assert.Contains("отменена", await c.PageAsync("/dashboard/links?status=cancelled"));
    }

    [Fact]
    public async Task Template_UnknownPlaceholder_ClearMessage_NothingSaved_ValidOneSavesWithPreview()
    {
        var user = await host.NewUserAsync();
        var c = await host.SignedInAsync(user);
        await c.PageAsync("/dashboard/templates/invoice?tl=ru");
        var bad = await c.PostAsync("/dashboard/templates/invoice?tl=ru", ("text", "Оплатите {{amout}} по ссылке {{link}}"), ("action", "save"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("{{amout}}", c.LastHtml);
        Assert.Contains("aria-invalid=\"true\"", c.LastHtml);
        await using (var scope = host.Services.CreateAsyncScope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().MessageTemplates.IgnoreQueryFilters().CountAsync(t => t.MerchantId == user.MerchantId));

        var preview = await c.PostAsync("/dashboard/templates/invoice?tl=ru", ("text", "Счёт {{amount}}: {{link}}"), ("action", "preview"));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("SMS:", c.LastHtml);
        Assert.Contains("сегм.", c.LastHtml);
        var ok = await c.PostAsync("/dashboard/templates/invoice?tl=ru", ("text", "Счёт {{amount}}: {{link}}"), ("action", "save"));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Contains("Шаблон сохранён", await c.PageAsync(ok.Headers.Location!.ToString()));
        Assert.Contains("Счёт {{amount}}: {{link}}", await c.PageAsync("/dashboard/templates"));
    }

    [Fact]
    public async Task Overview_ShowsPaidLinkInFunnel_EnglishByQueryThenCookie_CsvExport()
    {
        var user = await host.NewUserAsync();
        var link = await host.Client(user.ApiKey).CreateLinkAsync(410000, "Окрашивание");
        await PayAsync(link);
        var c = await host.SignedInAsync(user);
        var html = await c.PageAsync("/dashboard");
        Assert.Contains("id=\"funnel-chart\"", html);
        // Funnel shares in the page's language: «1 (100 %)» with a no-break space in Russian, "1 (100%)" in English.
        Assert.Contains(">1 (100\u00A0%)<", html);
        Assert.DoesNotContain("100%)", html);
        Assert.Contains("id=\"paid-by-day\"", html);
        Assert.Contains("id=\"links-by-day\"", html);
        Assert.Contains("<polyline", html);
        Assert.Matches("id=\"period-paid\">4\u00A0100\u00A0₽<", html);
        Assert.Matches("id=\"period-payments\">1<", html);
        Assert.DoesNotContain("<script", html);
        var en = await c.PageAsync("/dashboard?lang=en");
        Assert.Contains("Funnel", en);
        Assert.Contains(">1 (100%)<", en);
        Assert.Contains("Funnel", await c.PageAsync("/dashboard/"));   // the cookie remembers
        var csv = await c.Http.GetAsync("/dashboard/metrics.csv");
        Assert.Equal("text/csv; charset=utf-8", csv.Content.Headers.ContentType?.ToString());
        Assert.Contains("total;", await csv.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await c.GetAsync("/dashboard?from=2026-13-01")).StatusCode);
    }

    [Fact]
    public async Task Refund_DoubleSubmit_RefundsOnce()
    {
        // The sandbox has no refunds; T-Bank's fake does.
        await using var bank = await FakeTBank.StartAsync();
        var user = await host.NewUserAsync();
        var api = host.Client(user.ApiKey);
        var settings = $$"""{"terminalKey":"{{FakeTBank.TerminalKey}}","password":"{{FakeTBank.Password}}","baseUrl":"{{bank.Url}}"}""";
        var account = (await (await api.PostJsonAsync("/api/v1/gateway-accounts", $$$"""{"provider":"tbank","name":"Т-Банк","settings":{{{settings}}}}"""))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var c = await host.SignedInAsync(user);
        await c.PageAsync("/dashboard/catalog");
        Assert.Equal(HttpStatusCode.Redirect, (await c.PostAsync("/dashboard/catalog", ("id", "haircut-x"), ("name", "Стрижка модельная"), ("price", "3000"), ("duration", "60"))).StatusCode);
        var link = await (await api.PostJsonAsync("/api/v1/links",
                $$"""{"amount":300000,"currency":"RUB","description":"Стрижка","gateway":"{{account}}","items":[{"serviceId":"haircut-x","name":"Стрижка модельная","quantity":1,"amount":300000}]}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var id = link.GetProperty("id").GetString()!;
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        var paymentId = pay.Headers.Location!.Segments.Last();
        var order = Assert.Single(bank.Calls("Init"))["OrderId"]!.GetValue<string>();
        var notify = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/tbank/{account}") { Content = new ByteArrayContent(FakeTBank.Notification(order, paymentId, "CONFIRMED", 300000)) };
        notify.Content.Headers.ContentType = new("application/json");
        Assert.Equal("OK", await (await host.Client().SendAsync(notify)).Content.ReadAsStringAsync());

        await c.PageAsync("/dashboard/links/" + id);
        var nonce = Regex.Match(c.LastHtml!, "id=\"refund-form\">\\s*<input type=\"hidden\" name=\"__csrf\" value=\"[^\"]+\" />\\s*<input type=\"hidden\" name=\"nonce\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(nonce);
        (string, string)[] form = [("amount", "1000"), ("reason", "Жалоба"), ("nonce", nonce)];
        var first = await c.PostAsync($"/dashboard/links/{id}/refund", form);
        var afterFirst = await c.PageAsync(first.Headers.Location!.ToString());
        Assert.True(afterFirst.Contains("Возврат выполнен", StringComparison.Ordinal), Regex.Match(afterFirst, "<main.{0,600}", RegexOptions.Singleline).Value);
        var second = await c.PostAsync($"/dashboard/links/{id}/refund", form);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Single(bank.Calls("Cancel"));
        await using var scope = host.Services.CreateAsyncScope();
        var refunds = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Refunds.IgnoreQueryFilters().Where(r => r.LinkId == id).ToListAsync();
        Assert.Equal(100000, Assert.Single(refunds).AmountMinor);
        Assert.Contains("частично возвращена", await c.PageAsync("/dashboard/links/" + id));

        // The overview: paid net of the refund, the refund apart, shares in Russian style, the catalog's name, not its id.
        var overview = await c.PageAsync("/dashboard");
        Assert.Contains("id=\"period-paid\">2\u00A0000\u00A0₽<", overview);
        Assert.Contains("id=\"period-refunded\">1\u00A0000\u00A0₽<", overview);
        Assert.Contains("id=\"refund-share\">33,3\u00A0%<", overview);
        var byService = Regex.Match(overview, "id=\"by-service\".*?</table>", RegexOptions.Singleline).Value;
        Assert.Contains("Стрижка модельная", byService);
        Assert.DoesNotContain("haircut-x", byService);
        Assert.Contains("не отправлялась", Regex.Match(overview, "id=\"by-channel\".*?</table>", RegexOptions.Singleline).Value);
        Assert.Contains("id=\"refund-share\">33.3%<", await c.PageAsync("/dashboard?lang=en"));
    }

    [Fact]
    public async Task AccountPage_FirstVisit_SignsNoSessionOut()
    {
        var user = await host.NewUserAsync();
        var here = await host.SignedInAsync(user);
        var elsewhere = await host.SignedInAsync(user);
        Assert.Contains("otpauth://totp/", await here.PageAsync("/dashboard/account"));   // creates the authenticator key
        await here.PageAsync("/dashboard");
        await elsewhere.PageAsync("/dashboard");
    }

    [Fact]
    public async Task TwoFactor_Enable_ThenSignInAsksForTheCode()
    {
        var user = await host.NewUserAsync();
        var c = await host.SignedInAsync(user);
        var account = await c.PageAsync("/dashboard/account");
        var uri = Regex.Match(account, "otpauth://totp/[^<\"]+").Value;
        Assert.Contains("issuer=Paylink", uri);
        var key = Regex.Match(uri, "secret=([A-Z2-7]+)").Groups[1].Value;
        var wrong = await c.PostAsync("/dashboard/account/2fa", ("action", "enable"), ("code", "000000"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        await c.PageAsync("/dashboard/account");
        Assert.Equal(HttpStatusCode.Redirect, (await c.PostAsync("/dashboard/account/2fa", ("action", "enable"), ("code", Totp.Code(key)))).StatusCode);
        Assert.Contains("twofactor-state", await c.PageAsync("/dashboard/account"));

        var fresh = host.Dash();
        var r = await fresh.SignInAsync(user.Email, user.Password);
        Assert.StartsWith("/dashboard/signin/2fa", r.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.GetAsync("/dashboard")).StatusCode);   // not signed in yet
        await fresh.PageAsync(r.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await fresh.PostAsync("/dashboard/signin/2fa", ("code", "123456"))).StatusCode);
        var ok = await fresh.PostAsync("/dashboard/signin/2fa", ("code", Totp.Code(key)), ("returnUrl", "/dashboard"));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        await fresh.PageAsync("/dashboard");
    }

    [Fact]
    public async Task BookingsConversationsCatalogSettings_Render_AndEveryInputHasALabel()
    {
        var owner = await host.NewUserAsync();
        await host.Client(owner.ApiKey).CreateLinkAsync();
        var c = await host.SignedInAsync(owner);
        var link = Regex.Match(await c.PageAsync("/dashboard/links"), "/dashboard/links/(lnk_[A-Z0-9]+)").Groups[1].Value;
        string[] pages = ["/dashboard", "/dashboard/links", "/dashboard/links/new", "/dashboard/links/" + link, "/dashboard/bookings",
            "/dashboard/bookings?view=week", "/dashboard/conversations", "/dashboard/conversations?inbox=1", "/dashboard/catalog",
            "/dashboard/templates", "/dashboard/templates/reminder?tl=en", "/dashboard/settings", "/dashboard/settings/assistant", "/dashboard/account"];
        foreach (var p in pages) AssertLabelled(p, await c.PageAsync(p));
        AssertLabelled("/dashboard/signin", await host.Dash().PageAsync("/dashboard/signin"));
    }

    /// <summary>Every visible input, select and textarea has an id and a &lt;label for&gt; with that id; focus styles exist.</summary>
    internal static void AssertLabelled(string page, string html)
    {
        var labels = LabelFor().Matches(html).Select(m => m.Groups[1].Value).ToHashSet();
        var controls = Control().Matches(html).Where(m => !m.Value.Contains("type=\"hidden\"", StringComparison.Ordinal)).ToList();
        foreach (var m in controls)
        {
            var id = Regex.Match(m.Value, "id=\"([^\"]+)\"");
            Assert.True(id.Success, $"{page}: control without id: {m.Value}");
            Assert.True(labels.Contains(id.Groups[1].Value), $"{page}: no <label for=\"{id.Groups[1].Value}\">");
        }
        Assert.Contains(":focus-visible", html);
        Assert.Contains("lang=\"", html);
    }

    private async Task PayAsync(JsonElement link)
    {
        var path = new Uri(link.GetProperty("url").GetString()!).PathAndQuery;
        var start = await host.Client().PostAsync(path + "/pay", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, start.StatusCode);
        var done = await host.Client().PostAsync(start.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
    }

    private async Task<int> LinkCountAsync(string merchantId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().PaymentLinks.IgnoreQueryFilters().CountAsync(l => l.MerchantId == merchantId);
    }

    [GeneratedRegex("<label for=\"([^\"]+)\"")]
    private static partial Regex LabelFor();

    [GeneratedRegex("<(input|select|textarea)\\b[^>]*>")]
    private static partial Regex Control();
}

public sealed class DashboardSqliteTests(SqliteHost host) : DashboardTests<SqliteHost>(host);
public sealed class DashboardPostgresTests(PostgresHost host) : DashboardTests<PostgresHost>(host);

/// <summary>RFC 6238 TOTP (SHA-1, 30 s, 6 digits) as authenticator apps compute it, for the tests.</summary>
public static class Totp
{
    public static string Code(string base32Key)
    {
        var key = Base32(base32Key);
        var step = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() / 30;
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian) Array.Reverse(counter);
#pragma warning disable CA5350 // RFC 6238 authenticator codes are HMAC-SHA-1 by definition (what the apps compute).
        var hash = System.Security.Cryptography.HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string s)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var output = new List<byte>();
        foreach (var ch in s.TrimEnd('='))
        {
            value = (value << 5) | alphabet.IndexOf(char.ToUpperInvariant(ch), StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8) { output.Add((byte)(value >> (bits - 8))); bits -= 8; }
        }
        return output.ToArray();
    }
}
