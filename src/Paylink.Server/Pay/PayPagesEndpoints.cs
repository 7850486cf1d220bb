using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Caching.Memory;
using Paylink.Core.Common;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;
using Paylink.Core.PersonalData;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace Paylink.Server.Pay;

/// <summary>Public pages: GET /p/{code} shows the link, POST /p/{code}/pay starts the checkout (303).</summary>
public static class PayPagesEndpoints
{
    public const string RateLimitPolicy = "pay-pages";

    public static void MapPayPages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/p").RequireRateLimiting(RateLimitPolicy).ExcludeFromDescription();

        group.MapGet("/{code}", async (string code, HttpContext http, OpenPayPage open, IMemoryCache cache, PublicUrls urls, HtmlEncoder enc,
            Paylink.Core.Data.AppDbContext db, PersonalDataPolicy pdn, SbpPayPage sbp, CancellationToken ct) =>
        {
            var texts = PayTexts.For(http.Request);
            http.Response.Headers.CacheControl = "no-store";
            var view = await open.HandleAsync(code, recordOpen: true, ct);
            if (!view.IsSuccess) await WriteAsync(http, enc, texts, null, null, null, StatusCodes.Status404NotFound, null, ct);
            else
            {
                // Only a paid link shows its booking and the way back to the chat: the open page's single read stays as it is.
                var paid = view.Value.Status is LinkStatus.Paid or LinkStatus.PartiallyRefunded ? await PaidPageContext.LoadAsync(db, view.Value.Link, ct) : null;
                var step = view.Value.Status == LinkStatus.Open ? await ConsentStepAsync(db, pdn, view.Value.Link, ct) : null;
                var (sbpOffered, sbpFirst) = view.Value.Status == LinkStatus.Open ? await sbp.OfferedAsync(view.Value.Link, ct) : (false, false);
                await WriteAsync(http, enc, texts, view.Value, Qr(cache, urls.PayPage(code)), null, StatusCodes.Status200OK, paid, ct, step?.Step, sbpOffered, sbpFirst);
            }
        });

        group.MapPost("/{code}/pay", async (string code, HttpContext http, StartCheckout start, OpenPayPage open, IMemoryCache cache,
            PublicUrls urls, HtmlEncoder enc, SbpPayPage sbp, CancellationToken ct) =>
        {
            var texts = PayTexts.For(http.Request);
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
            var consentGiven = form is not null && form["consent"].ToString() is "on" or "yes" or "true";
            var consent = new CheckoutConsent(consentGiven, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString());
            // No method (an older page, a form posted from elsewhere) is the card, as before SBP existed.
            var rawMethod = form?["method"].ToString() ?? "";
            var method = rawMethod.Length == 0 ? PayMethod.Card : PayMethods.Parse(rawMethod);
            var result = method is { } m and not PayMethod.Other ? await start.HandleAsync(code, consent, m, ct)
                : Error.Validation("method", $"method must be one of: {PayMethods.Allowed}.");
            if (result.IsSuccess || result.Error!.Code == PersonalDataPolicy.ConsentRequiredCode)
            {
                // Without the personal data consent the page itself shows the consent step first.
                http.Response.StatusCode = StatusCodes.Status303SeeOther;
                // Our own SBP step keeps the page's language; a gateway's checkout has its own.
                http.Response.Headers.Location = !result.IsSuccess ? BackToPage(code, texts)
                    : method == PayMethod.Sbp && texts.Lang == "en" ? result.Value + "?lang=en" : result.Value;
                return Results.Empty;
            }
            var view = await open.HandleAsync(code, recordOpen: false, ct);
            if (!view.IsSuccess)
            {
                await WriteAsync(http, enc, texts, null, null, null, StatusCodes.Status404NotFound, null, ct);
                return Results.Empty;
            }
            var (message, status) = result.Error!.Kind switch
            {
                ErrorKind.Conflict => (texts.NotPayable, StatusCodes.Status409Conflict),
                ErrorKind.Validation when result.Error.Fields?.ContainsKey("method") == true =>
                    (method is null or PayMethod.Other ? texts.BadMethod : texts.SbpUnavailable, StatusCodes.Status422UnprocessableEntity),
                ErrorKind.Validation => (texts.ConsentRequired, StatusCodes.Status422UnprocessableEntity),
                ErrorKind.ProviderDeclined => (texts.CheckoutFailed, StatusCodes.Status402PaymentRequired),
                _ => (texts.CheckoutFailed, StatusCodes.Status503ServiceUnavailable),
            };
            var (offered, first) = view.Value.Status == LinkStatus.Open ? await sbp.OfferedAsync(view.Value.Link, ct) : (false, false);
            await WriteAsync(http, enc, texts, view.Value, Qr(cache, urls.PayPage(code)), message, status, null, ct, sbpOffered: offered, sbpFirst: first);
            return Results.Empty;
        }).DisableAntiforgery();

        // The счёт of a link issued with one (docs/documents.md): the link's code is the capability, as for the page itself;
        // chat messages of a sent счёт link here where the channel cannot carry the file.
        group.MapGet("/{code}/invoice.pdf", async (string code, HttpContext http, Paylink.Core.Data.AppDbContext db, PublicUrls urls, CancellationToken ct) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            var invoice = code.Length is 0 or > 64 ? null
                : await db.Invoices.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(i => i.LinkCode == code, ct);
            return invoice is null ? Results.NotFound()
                : Results.File(Paylink.Core.Documents.InvoicePdf.Render(invoice, urls.PayPage(code)), "application/pdf", $"schet-{invoice.Year}-{invoice.NumberText}.pdf");
        });

        // The SBP step: QR / bank list of the link's SBP payment, refreshing itself until the link is paid.
        group.MapGet("/{code}/sbp", async (string code, HttpContext http, OpenPayPage open, SbpPayPage sbp, IMemoryCache cache, HtmlEncoder enc,
            CancellationToken ct) =>
        {
            var texts = PayTexts.For(http.Request);
            if (await OpenSbpStepAsync(code, http, open, enc, texts, ct) is not { } view) return;
            await WriteSbpAsync(http, enc, texts, view, await sbp.ViewAsync(view.Link, ct), cache, null, StatusCodes.Status200OK, ct);
        });

        group.MapGet("/{code}/sbp/bank/{bankId}", async (string code, string bankId, HttpContext http, OpenPayPage open, SbpPayPage sbp,
            IMemoryCache cache, HtmlEncoder enc, CancellationToken ct) =>
        {
            var texts = PayTexts.For(http.Request);
            if (await OpenSbpStepAsync(code, http, open, enc, texts, ct) is not { } view) return;
            var deepLink = bankId.Length <= 100 ? await sbp.BankLinkAsync(view.Link, bankId, ct) : Error.NotFound("Bank");
            if (deepLink.IsSuccess)
            {
                http.Response.StatusCode = StatusCodes.Status303SeeOther;
                http.Response.Headers.Location = deepLink.Value;
                return;
            }
            var status = deepLink.Error!.Kind switch
            {
                ErrorKind.NotFound => StatusCodes.Status404NotFound,
                ErrorKind.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status503ServiceUnavailable,
            };
            await WriteSbpAsync(http, enc, texts, view, await sbp.ViewAsync(view.Link, ct), cache, texts.SbpBankUnavailable, status, ct);
        });

        app.MapGet("/consent/{merchantId}", async (string merchantId, string? v, HttpContext http, PersonalDataPolicy pdn, HtmlEncoder enc,
            Paylink.Core.Data.AppDbContext db, CancellationToken ct) =>
        {
            var texts = PayTexts.For(http.Request);
            string? text = null, name = null;
            var version = 0;
            if (merchantId.Length <= 40 && (v is null || int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version)))
            {
                name = await db.Merchants.AsNoTracking().Where(m => m.Id == merchantId).Select(m => m.Name).FirstOrDefaultAsync(ct);
                if (name is not null)
                {
                    if (v is null) (version, text, _) = await pdn.CurrentConsentAsync(merchantId, ct);
                    else text = await pdn.ConsentTextAsync(merchantId, version, ct);
                }
            }
            using var buffer = new PooledBufferWriter(8 * 1024);
            PayPageHtml.RenderConsentDocument(buffer, enc, texts, name, version, text);
            await SendAsync(http, buffer, text is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK, ct);
        }).RequireRateLimiting(RateLimitPolicy).ExcludeFromDescription();

        group.MapPost("/{code}/consent", async (string code, HttpContext http, OpenPayPage open, PersonalDataPolicy pdn, IMemoryCache cache,
            PublicUrls urls, HtmlEncoder enc, Paylink.Core.Data.AppDbContext db, CancellationToken ct) =>
        {
            var texts = PayTexts.For(http.Request);
            var view = await open.HandleAsync(code, recordOpen: false, ct);
            if (!view.IsSuccess)
            {
                await WriteAsync(http, enc, texts, null, null, null, StatusCodes.Status404NotFound, null, ct);
                return Results.Empty;
            }
            var link = view.Value.Link;
            if (view.Value.Status == LinkStatus.Open && await ConsentStepAsync(db, pdn, link, ct) is var (step, customerId))
            {
                var raw = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(ct))["version"].ToString() : "";
                // The version the client read: a page older than a new version of the text asks again with the new one.
                if (!int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
                    || version != step.Version)
                {
                    await WriteAsync(http, enc, texts, view.Value, null, texts.PdnRequired, StatusCodes.Status422UnprocessableEntity, null, ct, step);
                    return Results.Empty;
                }
                var recorded = await pdn.RecordConsentAsync(link.MerchantId, customerId, null, link.Id, "pay_page", version,
                    http.Connection.RemoteIpAddress?.ToString(), Cut(http.Request.Headers.UserAgent.ToString(), 300), ct);
                if (!recorded.IsSuccess)
                {
                    await WriteAsync(http, enc, texts, view.Value, null, texts.PdnRequired, StatusCodes.Status422UnprocessableEntity, null, ct, step);
                    return Results.Empty;
                }
            }
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            http.Response.Headers.Location = BackToPage(code, texts);
            return Results.Empty;
        }).DisableAntiforgery();
    }

    private static string BackToPage(string code, PayTexts texts) => "/p/" + code + (texts.Lang == "en" ? "?lang=en" : "");

    private static string? Cut(string? s, int max) => string.IsNullOrEmpty(s) ? null : s.Length <= max ? s : s[..max];

    /// <summary>The consent step an open link shows first, with the link's client it is recorded for; null when the
    /// merchant does not require it (read from a short cache, so the page's hot path stays one query) or this client,
    /// link or chat already consented.</summary>
    private static async Task<(PayPageHtml.ConsentStep Step, string? CustomerId)?> ConsentStepAsync(Paylink.Core.Data.AppDbContext db,
        PersonalDataPolicy pdn, PayPageLink link, CancellationToken ct)
    {
        if (!(await pdn.CachedSettingsAsync(link.MerchantId, ct)).ConsentRequired) return null;
        var customerId = link.CustomerId;
        if (await pdn.HasConsentAsync(link.MerchantId, customerId, null, link.Id, ct)) return null;
        var (version, text, _) = await pdn.CurrentConsentAsync(link.MerchantId, ct);
        return (new PayPageHtml.ConsentStep(version, text), customerId);
    }

    /// <summary>The open link an SBP step belongs to; null when the response is already written (404, or a 303 back to
    /// the link's own page once it is paid or no longer payable, which says so).</summary>
    private static async Task<PayPageView?> OpenSbpStepAsync(string code, HttpContext http, OpenPayPage open, HtmlEncoder enc, PayTexts texts,
        CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var view = await open.HandleAsync(code, recordOpen: false, ct);
        if (!view.IsSuccess)
        {
            await WriteAsync(http, enc, texts, null, null, null, StatusCodes.Status404NotFound, null, ct);
            return null;
        }
        if (view.Value.Status != LinkStatus.Open)
        {
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            http.Response.Headers.Location = BackToPage(code, texts);
            return null;
        }
        return view.Value;
    }

    /// <summary>How often the SBP page reloads itself while it waits for the bank.</summary>
    public const int SbpRefreshSeconds = 5;

    private static async Task WriteSbpAsync(HttpContext http, HtmlEncoder enc, PayTexts texts, PayPageView view, SbpPageView sbp, IMemoryCache cache,
        string? error, int status, CancellationToken ct)
    {
        using var buffer = new PooledBufferWriter(24 * 1024);
        PayPageHtml.RenderSbp(buffer, enc, texts, view, sbp, sbp.Payload is { } payload ? Qr(cache, payload) : null, error, SbpRefreshSeconds);
        await SendAsync(http, buffer, status, ct);
    }

    /// <summary>Writes the page as UTF-8 from a pooled buffer, with its length.</summary>
    private static async Task WriteAsync(HttpContext http, HtmlEncoder enc, PayTexts texts, PayPageView? view, byte[]? qr, string? error, int status,
        PaidPageContext? paid, CancellationToken ct, PayPageHtml.ConsentStep? consentStep = null, bool sbpOffered = false, bool sbpFirst = false)
    {
        using var buffer = new PooledBufferWriter(16 * 1024);
        PayPageHtml.Render(buffer, enc, texts, view, qr, error, paid, consentStep, sbpOffered, sbpFirst);
        await SendAsync(http, buffer, status, ct);
    }

    private static async Task SendAsync(HttpContext http, PooledBufferWriter buffer, int status, CancellationToken ct)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = buffer.WrittenMemory.Length;
        await response.Body.WriteAsync(buffer.WrittenMemory, ct);
    }

    /// <summary>The QR of the pay page URL as inline SVG (UTF-8); deterministic, so cached per URL.</summary>
    private static byte[] Qr(IMemoryCache cache, string url) => cache.GetOrCreate("qr:" + url, e =>
    {
        e.SlidingExpiration = TimeSpan.FromMinutes(10);
        using var gen = new QRCodeGenerator();
        using var data = gen.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return Encoding.UTF8.GetBytes(new SvgQRCode(data).GetGraphic(new System.Drawing.Size(160, 160), "#000000", "#ffffff", drawQuietZones: true,
            sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute));
    })!;
}
