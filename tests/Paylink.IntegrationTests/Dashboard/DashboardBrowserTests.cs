using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Paylink.Core.Catalog;
using Paylink.Core.Dashboard;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Dashboard;

/// <summary>
/// A real Kestrel listener on 127.0.0.1 for a real browser. SQLite only: the browser flows exercise the pages and
/// the HTTP plumbing, which the HTTP-level DashboardTests already cover on both databases.
/// </summary>
public sealed class BrowserHost() : PaylinkHost(Db.Sqlite)
{
    protected override bool RealListener => true;
}

/// <summary>
/// The owner's path in Chromium (system /usr/bin/chromium, driven by Playwright): sign in, create a link, pay it in the
/// sandbox checkout, see the payment in the overview, edit a template. Screenshots go to TestResults/screenshots.
/// </summary>
public sealed class DashboardBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>, IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private IPlaywright _pw = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), "Chromium is missing: apt-get install -y chromium (scripts/test.sh installs it).");
        _pw = await Playwright.CreateAsync();
        _browser = await _pw.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _pw.Dispose();
    }

    [Fact]
    public async Task Owner_SignsIn_CreatesLink_PaysInSandbox_SeesPaymentInOverview_EditsTemplate()
    {
        var user = await host.NewUserAsync();
        await using (var scope = host.Services.CreateAsyncScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<ImportCatalog>().HandleAsync(user.MerchantId,
                [new CatalogEntry("haircut", "Стрижка женская", 220000, "RUB", DurationMinutes: 60)], CancellationToken.None)).IsSuccess);
        // A phone-sized screen: the dashboard is used from the salon's phone.
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, BaseURL = host.BaseUrl, Locale = "ru-RU" });
        page.SetDefaultTimeout(10_000);

        await page.GotoAsync("/dashboard");
        Assert.EndsWith("/dashboard/signin?returnUrl=%2Fdashboard", page.Url);
        await page.GetByLabel("E-mail").FillAsync(user.Email);
        await page.GetByLabel("Пароль").FillAsync(user.Password);
        await Shot(page, "01-signin");
        await Task.WhenAll(page.WaitForURLAsync("**/dashboard"), page.ClickAsync("#signin"));
        Assert.Equal("Обзор", await page.TextContentAsync("h1"));

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Ссылки" }).ClickAsync();
        await page.ClickAsync("#new-link");
        await page.GetByLabel("Услуга из каталога").SelectOptionAsync("haircut");
        await page.GetByLabel("Имя клиента").FillAsync("Анна");
        await Shot(page, "02-new-link");
        await Task.WhenAll(page.WaitForURLAsync(new Regex("/dashboard/links/lnk_")), page.ClickAsync("#create-link"));
        Assert.Equal("2\u00A0200,00\u00A0₽", await page.TextContentAsync("#link-amount"));
        Assert.Equal("ожидает оплаты", await page.TextContentAsync("#link-status"));
        await Shot(page, "03-link");

        var payUrl = (await page.TextContentAsync("#link-url"))!;
        Assert.StartsWith(host.BaseUrl + "/p/", payUrl);
        var linkPage = page.Url;
        await page.GotoAsync(payUrl);
        await Task.WhenAll(page.WaitForURLAsync(new Regex("/sandbox/checkout/")), page.ClickAsync("#pay"));
        await Shot(page, "04-sandbox-checkout");
        await Task.WhenAll(page.WaitForURLAsync(payUrl), page.GetByRole(AriaRole.Button, new() { Name = "Оплатить", Exact = false }).First.ClickAsync());
        Assert.Contains("Оплачено", await page.TextContentAsync("#status"));
        await Shot(page, "05-paid");

        await page.GotoAsync(linkPage);
        Assert.Equal("оплачена", await page.TextContentAsync("#link-status"));
        Assert.Contains("оплачена", await page.TextContentAsync("#timeline"));
        await page.GotoAsync("/dashboard");
        Assert.Equal("1", await page.TextContentAsync("#period-payments"));
        Assert.Equal("2\u00A0200\u00A0₽", await page.TextContentAsync("#period-paid"));
        Assert.Equal("1", await page.TextContentAsync("#today-payments"));
        await Shot(page, "06-overview", fullPage: true);

        await page.GotoAsync("/dashboard/templates/invoice?tl=ru");
        // The preview follows the typing (Expect(...) retries until it does), and names an unknown placeholder at once.
        await page.GetByLabel("Текст").FillAsync("Счёт {{amout}}");
        await Assertions.Expect(page.Locator("#live-error")).ToContainTextAsync("{{amout}}");
        await page.GetByLabel("Текст").FillAsync("Здравствуйте, {{client.name}}! Счёт {{amount}}: {{link}}");
        await Assertions.Expect(page.Locator("#template-rendered")).ToContainTextAsync("Здравствуйте,");
        await Assertions.Expect(page.Locator("#live-error")).ToHaveTextAsync("");
        await Assertions.Expect(page.Locator("#sms-count")).ToContainTextAsync("сегм.");
        await page.ClickAsync("#template-save");
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("Шаблон сохранён.");
        await page.GetByLabel("Текст").FillAsync("Счёт {{sum}}");
        await page.ClickAsync("#template-save");
        await Assertions.Expect(page.Locator("#f-text-err")).ToContainTextAsync("{{sum}}");
        await Shot(page, "07-template-error");
    }

    [Fact]
    public async Task SignIn_ByKeyboardOnly_FocusIsVisible_EnglishSwitch()
    {
        var user = await host.NewUserAsync(DashboardRoles.Staff);
        var page = await _browser.NewPageAsync(new() { BaseURL = host.BaseUrl });
        page.SetDefaultTimeout(10_000);
        await page.GotoAsync("/dashboard/signin");
        await page.FocusAsync("#f-email");
        await page.Keyboard.TypeAsync(user.Email);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("f-password", await page.EvaluateAsync<string>("document.activeElement.id"));
        // The focused control is outlined (the :focus-visible style), so keyboard users see where they are.
        Assert.NotEqual("none", await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle"));
        await page.Keyboard.TypeAsync(user.Password);
        await Task.WhenAll(page.WaitForURLAsync("**/dashboard"), page.Keyboard.PressAsync("Enter"));
        await Task.WhenAll(page.WaitForURLAsync("**/dashboard?lang=en"), page.ClickAsync("#lang-switch"));
        Assert.Equal("Overview", await page.TextContentAsync("h1"));
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        await Shot(page, "08-overview-en", fullPage: true);
        await Task.WhenAll(page.WaitForURLAsync("**/dashboard/signin"), page.ClickAsync("#signout"));
    }

    [Fact]
    public async Task PayPage_ConsentStep_PhoneAndDesktop_AgreeThenPayButton()
    {
        var user = await host.NewUserAsync();
        using var api = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };   // the real listener, as the browser uses
        api.DefaultRequestHeaders.Authorization = new("Bearer", user.ApiKey);
        await (await api.PutJsonAsync("/api/v1/personal-data/settings", """{"retentionDays":null,"consentRequired":true}""")).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        var link = await (await api.PostJsonAsync("/api/v1/links",
            """{"amount":250000,"currency":"RUB","description":"Маникюр с покрытием","customer":{"name":"Анна","phone":"+79161234599"}}"""))
            .ReadJsonAsync(System.Net.HttpStatusCode.Created);
        var url = link.GetProperty("url").GetString()!;
        var code = link.GetProperty("code").GetString()!;
        var desktop = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, BaseURL = host.BaseUrl, Locale = "ru-RU" });
        desktop.SetDefaultTimeout(15_000);
        await desktop.GotoAsync("/p/" + code);
        Assert.Equal("Согласен, перейти к оплате", (await desktop.TextContentAsync("#agree"))!.Trim());
        Assert.Equal(0, await desktop.Locator("#pay").CountAsync());
        await Shot(desktop, "09-pay-consent-desktop");
        var phone = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, BaseURL = host.BaseUrl, Locale = "ru-RU" });
        phone.SetDefaultTimeout(15_000);
        await phone.GotoAsync("/p/" + code);
        // The whole step fits a phone screen without sideways scrolling.
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await Shot(phone, "10-pay-consent-phone");
        await Task.WhenAll(phone.WaitForURLAsync(url), phone.ClickAsync("#agree"));
        Assert.Contains("Оплатить", await phone.TextContentAsync("#pay"));
        // "Scan with your phone" makes no sense on the phone itself; on a desktop the QR hands the page over to one.
        Assert.False(await phone.Locator(".qr").IsVisibleAsync());
        await Shot(phone, "11-pay-after-consent-phone");
        await desktop.GotoAsync("/p/" + code);
        Assert.True(await desktop.Locator(".qr").IsVisibleAsync());
    }

    [Fact]
    public async Task PayPage_Sbp_DesktopQr_PhoneBankList_PaidInSandboxBankApp_DesktopRefreshesToPaid()
    {
        var user = await host.NewUserAsync();
        using var api = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", user.ApiKey);
        var link = await (await api.PostJsonAsync("/api/v1/links",
            """{"amount":180000,"currency":"RUB","description":"Стрижка и укладка","customer":{"name":"Анна","phone":"+79161234598"}}"""))
            .ReadJsonAsync(System.Net.HttpStatusCode.Created);
        var code = link.GetProperty("code").GetString()!;

        var desktop = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, BaseURL = host.BaseUrl, Locale = "ru-RU" });
        desktop.SetDefaultTimeout(15_000);
        await desktop.GotoAsync("/p/" + code);
        Assert.Equal("Оплатить через СБП", (await desktop.TextContentAsync("#pay-sbp"))!.Trim());
        await Shot(desktop, "12-pay-sbp-choice-desktop");
        await Task.WhenAll(desktop.WaitForURLAsync($"**/p/{code}/sbp"), desktop.ClickAsync("#pay-sbp"));
        Assert.True(await desktop.IsVisibleAsync("#sbp-qr svg"));
        Assert.False(await desktop.IsVisibleAsync("#sbp-banks"));
        Assert.Contains("Ждём оплату", await desktop.TextContentAsync("#status"));
        await Shot(desktop, "13-pay-sbp-qr-desktop");

        var phone = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, BaseURL = host.BaseUrl, Locale = "ru-RU" });
        phone.SetDefaultTimeout(15_000);
        await phone.GotoAsync($"/p/{code}/sbp");
        Assert.True(await phone.IsVisibleAsync("#sbp-banks"));
        Assert.False(await phone.IsVisibleAsync("#sbp-qr"));
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await Shot(phone, "14-pay-sbp-banks-phone");
        await Task.WhenAll(phone.WaitForURLAsync(new Regex("/sandbox/sbp/")), phone.GetByRole(AriaRole.Link, new() { Name = "Тестовый Банк" }).ClickAsync());
        await Shot(phone, "15-pay-sbp-bank-app-phone");
        await Task.WhenAll(phone.WaitForURLAsync(new Regex($"/p/{code}$")), phone.ClickAsync("#sandbox-pay"));
        Assert.Contains("Оплачено", await phone.TextContentAsync("#status"));

        // The desktop tab was never touched: its refresh turns it into the paid page by itself.
        await desktop.WaitForURLAsync(new Regex($"/p/{code}$"), new() { Timeout = 15_000 });
        Assert.Contains("Оплачено", await desktop.TextContentAsync("#status"));
        await Shot(desktop, "16-pay-sbp-paid-desktop");

        var english = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, BaseURL = host.BaseUrl, Locale = "en-US" });
        var other = await (await api.PostJsonAsync("/api/v1/links", """{"amount":90000,"currency":"RUB","description":"Manicure"}""")).ReadJsonAsync(System.Net.HttpStatusCode.Created);
        await english.GotoAsync("/p/" + other.GetProperty("code").GetString() + "?lang=en");
        await Task.WhenAll(english.WaitForURLAsync(new Regex("/sbp")), english.ClickAsync("#pay-sbp"));
        Assert.Contains("Choose your bank", await english.TextContentAsync("#sbp-banks"));
        await Shot(english, "17-pay-sbp-banks-phone-en");
    }

    /// <summary>
    /// Every page people open — the landing page, sign-in and each dashboard page with data in it — at phone and desktop
    /// width: a full-page screenshot each (TestResults/screenshots/a11y-*), and axe-core (vendored in Dashboard/axe) finds
    /// no serious or critical accessibility violation.
    /// </summary>
    [Fact]
    public async Task EveryPage_PhoneAndDesktop_Screenshots_NoSeriousAccessibilityViolations()
    {
        var user = await host.NewUserAsync();
        await using (var scope = host.Services.CreateAsyncScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<ImportCatalog>().HandleAsync(user.MerchantId,
                [new CatalogEntry("manicure", "Маникюр с покрытием", 250000, "RUB", DurationMinutes: 60)], CancellationToken.None)).IsSuccess);
        using var api = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };   // the real listener, as the browser uses
        api.DefaultRequestHeaders.Authorization = new("Bearer", user.ApiKey);
        using var visitorClient = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var link = (await api.CreateLinkAsync(250000, "Маникюр с покрытием")).GetProperty("id").GetString()!;
        var day = DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime).AddDays(1);
        var booking = await (await api.PostJsonAsync("/api/v1/bookings",
                $$$"""{"customer":{"name":"Анна Смирнова","phone":"+79161234567"},"serviceId":"manicure","start":"{{{day:yyyy-MM-dd}}}T15:00:00+03:00","prepayment":{"amount":75000}}"""))
            .ReadJsonAsync(System.Net.HttpStatusCode.Created);
        var prepayment = await (await api.GetAsync("/api/v1/links/" + booking.GetProperty("linkId").GetString())).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        var prepaymentPage = new Uri(prepayment.GetProperty("url").GetString()!).PathAndQuery;
        var slug = "a11y-" + Guid.NewGuid().ToString("N")[..8];
        await (await api.PostJsonAsync("/api/v1/channel-accounts", $$$"""{"provider":"webchat","name":"Чат","settings":{"slug":"{{{slug}}}"}}"""))
            .ReadJsonAsync(System.Net.HttpStatusCode.Created);
        var chat = await visitorClient.GetAsync("/chat/" + slug);
        var visitor = chat.Headers.GetValues("Set-Cookie").Single(v => v.StartsWith("pl_wv=", StringComparison.Ordinal));
        var say = new HttpRequestMessage(HttpMethod.Post, $"/chat/{slug}/messages") { Content = HttpAssert.Json("""{"text":"Здравствуйте, можно на маникюр?"}""") };
        say.Headers.Add("X-Chat-Visitor", visitor[6..visitor.IndexOf(';')]);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await visitorClient.SendAsync(say)).StatusCode);

        // The pages' CSP rightly refuses foreign scripts; only the checker's injection bypasses it.
        var page = await _browser.NewPageAsync(new() { BaseURL = host.BaseUrl, Locale = "ru-RU", BypassCSP = true });
        page.SetDefaultTimeout(15_000);
        var problems = new List<string>();
        (string Path, string Name)[] signedOut = [("/", "landing"), ("/dashboard/signin", "signin"), (prepaymentPage, "pay-prepayment")];
        foreach (var width in new[] { 390, 1280 })
        {
            await page.SetViewportSizeAsync(width, width < 600 ? 844 : 800);
            foreach (var (path, name) in signedOut) await CheckAsync(page, path, $"{name}-{width}", problems);
        }
        await page.GotoAsync("/dashboard/signin");
        await page.GetByLabel("E-mail").FillAsync(user.Email);
        await page.GetByLabel("Пароль").FillAsync(user.Password);
        await Task.WhenAll(page.WaitForURLAsync("**/dashboard"), page.ClickAsync("#signin"));
        await page.GotoAsync("/dashboard/conversations");
        var conversation = await page.GetAttributeAsync("a[href^='/dashboard/conversations/']", "href");
        Assert.NotNull(conversation);
        (string Path, string Name)[] pages =
        [
            ("/dashboard", "overview"), ("/dashboard/links", "links"), ("/dashboard/links/new", "link-new"), ("/dashboard/links/" + link, "link"),
            ($"/dashboard/bookings?day={day:yyyy-MM-dd}", "bookings-day"), ("/dashboard/bookings?view=week", "bookings-week"),
            ("/dashboard/conversations", "conversations"), (conversation!, "conversation"), ("/dashboard/catalog", "catalog"),
            ("/dashboard/templates", "templates"), ("/dashboard/templates/invoice", "template"), ("/dashboard/invoices", "invoices"),
            ("/dashboard/invoices/new", "invoice-new"), ("/dashboard/invoices/statements", "statements"), ("/dashboard/settings", "settings"),
            ("/dashboard/settings/assistant", "settings-assistant"), ("/dashboard/settings/personal-data", "settings-personal-data"),
            ("/dashboard/settings/requisites", "settings-requisites"), ("/dashboard/settings/self-employed", "settings-self-employed"),
            ("/dashboard/account", "account"),
        ];
        foreach (var width in new[] { 390, 1280 })
        {
            await page.SetViewportSizeAsync(width, width < 600 ? 844 : 800);
            foreach (var (path, name) in pages) await CheckAsync(page, path, $"{name}-{width}", problems);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static readonly Lazy<string> AxeScript = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Dashboard", "axe", "axe.min.js")));

    private static async Task CheckAsync(IPage page, string path, string name, List<string> problems)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response is { Ok: true }, $"{path}: HTTP {response?.Status}");
        await Shot(page, "a11y-" + name, fullPage: true);
        await page.AddScriptTagAsync(new() { Content = AxeScript.Value });
        var found = await page.EvaluateAsync<string[]>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))
            """);
        problems.AddRange(found.Select(f => $"{path} ({name}): {f}"));
    }

    private static Task Shot(IPage page, string name, bool fullPage = false) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDir.Value, name + ".png"), FullPage = fullPage });

    /// <summary>TestResults/screenshots at the repository root (where scripts/test.sh puts the results).</summary>
    private static readonly Lazy<string> ScreenshotDir = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Paylink.slnx"))) dir = dir.Parent;
        return Directory.CreateDirectory(Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;
    });
}
