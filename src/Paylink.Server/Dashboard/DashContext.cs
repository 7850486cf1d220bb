using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Paylink.Core.Dashboard;
using Paylink.Core.Merchants;

namespace Paylink.Server.Dashboard;

/// <summary>
/// What every dashboard page needs: the language (?lang=en, then the cookie, Russian by default), the
/// signed-in user's merchant and role, and an <see cref="Html"/> writer with the antiforgery token.
/// </summary>
public sealed class DashContext
{
    public const string LangCookie = "paylink.lang";
    public const string FlashCookie = "paylink.flash";
    public const string MerchantClaim = "paylink:merchant";

    private DashContext(HttpContext http, string lang)
    {
        Http = http;
        Lang = lang;
    }

    public HttpContext Http { get; }
    public string Lang { get; }
    public bool En => Lang == "en";
    public Merchant? Merchant { get; private set; }
    public string MerchantId => Merchant!.Id;
    public TimeZoneInfo Zone => Merchant!.Zone;
    public string? Email => Http.User.FindFirstValue(ClaimTypes.Email) ?? Http.User.Identity?.Name;
    public bool IsOwner => Http.User.IsInRole(DashboardRoles.Owner);

    /// <summary>The text in the page's language: Russian first, English second, side by side in the code.</summary>
    public string L(string ru, string en) => En ? en : ru;

    /// <summary>The page's texts (see <see cref="Paylink.Core.Localization.Texts"/>).</summary>
    public Paylink.Core.Localization.Texts T => Paylink.Core.Localization.Texts.For(Lang);

    public static DashContext For(HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(DashContext), out var existing) && existing is DashContext c) return c;
        var q = http.Request.Query["lang"].ToString();
        string lang;
        if (q is "ru" or "en")
        {
            lang = q;
            http.Response.Cookies.Append(LangCookie, q, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), Path = "/" });
        }
        else lang = http.Request.Cookies[LangCookie] == "en" ? "en" : "ru";
        var ctx = new DashContext(http, lang);
        http.Items[typeof(DashContext)] = ctx;
        return ctx;
    }

    public static async Task<DashContext> ForMerchantAsync(HttpContext http, string merchantId, CancellationToken ct)
    {
        var ctx = For(http);
        ctx.Merchant = await http.RequestServices.GetRequiredService<MerchantCache>().GetAsync(merchantId, ct);
        return ctx;
    }

    public Html NewHtml() =>
        new(Http.RequestServices.GetRequiredService<HtmlEncoder>(), Antiforgery.FormFieldName, Antiforgery.RequestToken!);

    private const string OnceKey = "paylink.show-once";

    /// <summary>A message for the page this very request renders (no redirect). One-time secrets (a new API key, a
    /// generated password, a webhook signing secret) go only this way: never into the flash cookie, which travels
    /// back with the next request and could be read from the browser's storage or a proxy log.</summary>
    public void ShowOnce(string message) => Http.Items[OnceKey] = message;

    /// <summary>The message set by <see cref="ShowOnce"/> in this request, if any.</summary>
    public string? TakeShowOnce() => Http.Items.Remove(OnceKey, out var v) ? v as string : null;

    /// <summary>A message shown once on the next page (after a redirect). Never a secret: see <see cref="ShowOnce"/>.</summary>
    public void Flash(string message, bool error = false) =>
        Http.Response.Cookies.Append(FlashCookie, (error ? "e:" : "o:") + Uri.EscapeDataString(message),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/dashboard" });

    /// <summary>The message flashed by the previous request, if any (and whether it reports a failure).</summary>
    public (string Text, bool Error)? TakeFlash()
    {
        var v = Http.Request.Cookies[FlashCookie];
        if (v is not { Length: > 2 }) return null;
        Http.Response.Cookies.Delete(FlashCookie, new CookieOptions { Path = "/dashboard" });
        return (Uri.UnescapeDataString(v[2..]), v.StartsWith("e:", StringComparison.Ordinal));
    }

    /// <summary>Flashes the outcome of an action: <paramref name="ok"/> on success, the error's message otherwise.</summary>
    public void Flash<T>(Paylink.Core.Common.Result<T> result, string ok) =>
        Flash(result.IsSuccess ? ok : result.Error!.Message, !result.IsSuccess);

    /// <summary>The antiforgery token of this response (generated once per request; the cookie is set with it).</summary>
    public AntiforgeryTokenSet Antiforgery => _tokens ??= Http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(Http);
    private AntiforgeryTokenSet? _tokens;

    /// <summary>The messages the page shows at its top: the show-once message of this request and the flash of the previous
    /// one. Taken once (the flash cookie is deleted) the first time a page asks.</summary>
    public PageMessages Messages => _messages ??= new(TakeShowOnce(), TakeFlash());
    private PageMessages? _messages;

    public sealed record PageMessages(string? Once, (string Text, bool Error)? Flash);

    /// <summary>Renders a page component (which wraps itself in <see cref="Components.DashLayout"/>) on the server.</summary>
    public IResult Page<TComponent>(object? parameters = null, int status = StatusCodes.Status200OK) where TComponent : Microsoft.AspNetCore.Components.IComponent
    {
        SetPageHeaders();
        // Before rendering: reading the flash deletes its cookie, and the antiforgery call sets one; both are headers.
        _ = Messages;
        _ = Antiforgery;
        return new Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<TComponent>(parameters ?? new { })
        {
            StatusCode = status,
            ContentType = "text/html; charset=utf-8",
        };
    }

    public IResult Page(string title, Action<Html> body, int status = StatusCodes.Status200OK)
    {
        var h = NewHtml();
        Layout.Write(this, h, title, body);
        SetPageHeaders();
        return Results.Content(h.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private void SetPageHeaders()
    {
        Http.Response.Headers.CacheControl = "no-store";
        // No framing (clickjacking of the action buttons), no foreign scripts, forms post only here.
        Http.Response.Headers.ContentSecurityPolicy = $"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
            $"script-src '{LivePreview.Hash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        Http.Response.Headers.XFrameOptions = "DENY";
        Http.Response.Headers["Referrer-Policy"] = "same-origin";
    }

    /// <summary>A page that only says something: a heading, a paragraph and/or an error.</summary>
    public IResult Message(string title, string? text = null, string? error = null, int status = StatusCodes.Status200OK, string? heading = null) =>
        Page<Components.MessagePage>(new { Title = title, Heading = heading, Text = text, Error = error }, status);

    public IResult NotFound() => Message(L("Не найдено", "Not found"),
        L("Такой записи нет или она принадлежит другому магазину.", "There is no such record, or it belongs to another merchant."), status: StatusCodes.Status404NotFound);

    public IResult Forbidden() => Message(L("Нет доступа", "Access denied"),
        L("Этот раздел доступен только владельцу.", "Only the owner can use this section."), status: StatusCodes.Status403Forbidden);

    public static IResult Redirect(string url) => Results.Redirect(url, permanent: false, preserveMethod: false);
}
