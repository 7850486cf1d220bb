using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Caching.Memory;
using Paylink.Core.Common;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;
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
            Paylink.Core.Data.AppDbContext db, CancellationToken ct) =>
        {
            var texts = PayTexts.For(http.Request);
            http.Response.Headers.CacheControl = "no-store";
            var view = await open.HandleAsync(code, recordOpen: true, ct);
            if (!view.IsSuccess) await WriteAsync(http, enc, texts, null, null, null, StatusCodes.Status404NotFound, null, ct);
            else
            {
                // Only a paid link shows its booking and the way back to the chat: the open page's single read stays as it is.
                var paid = view.Value.Status == LinkStatus.Paid ? await PaidPageContext.LoadAsync(db, view.Value.Link, ct) : null;
                await WriteAsync(http, enc, texts, view.Value, Qr(cache, urls.PayPage(code)), null, StatusCodes.Status200OK, paid, ct);
            }
        });

        group.MapPost("/{code}/pay", async (string code, HttpContext http, StartCheckout start, OpenPayPage open, IMemoryCache cache,
            PublicUrls urls, HtmlEncoder enc, CancellationToken ct) =>
        {
            var texts = PayTexts.For(http.Request);
            var consentGiven = http.Request.HasFormContentType && (await http.Request.ReadFormAsync(ct))["consent"].ToString() is "on" or "yes" or "true";
            var consent = new CheckoutConsent(consentGiven, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString());
            var result = await start.HandleAsync(code, consent, ct);
            if (result.IsSuccess)
            {
                http.Response.StatusCode = StatusCodes.Status303SeeOther;
                http.Response.Headers.Location = result.Value;
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
                ErrorKind.Validation => (texts.ConsentRequired, StatusCodes.Status422UnprocessableEntity),
                ErrorKind.ProviderDeclined => (texts.CheckoutFailed, StatusCodes.Status402PaymentRequired),
                _ => (texts.CheckoutFailed, StatusCodes.Status503ServiceUnavailable),
            };
            await WriteAsync(http, enc, texts, view.Value, Qr(cache, urls.PayPage(code)), message, status, null, ct);
            return Results.Empty;
        }).DisableAntiforgery();
    }

    /// <summary>Writes the page as UTF-8 from a pooled buffer, with its length.</summary>
    private static async Task WriteAsync(HttpContext http, HtmlEncoder enc, PayTexts texts, PayPageView? view, byte[]? qr, string? error, int status,
        PaidPageContext? paid, CancellationToken ct)
    {
        using var buffer = new PooledBufferWriter(16 * 1024);
        PayPageHtml.Render(buffer, enc, texts, view, qr, error, paid);
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
