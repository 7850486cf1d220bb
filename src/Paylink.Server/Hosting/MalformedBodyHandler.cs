using Microsoft.AspNetCore.Diagnostics;
using Paylink.Core.Common;
using Paylink.Server.Api;
using Paylink.Core.Localization;

namespace Paylink.Server.Hosting;

/// <summary>
/// The one place where a request body the framework cannot read (a multipart content type without a boundary,
/// a truncated multipart section, a form over the framework's limits) becomes a 400 instead of a 500. Every
/// endpoint that calls <c>ReadFormAsync</c> reads the form before it writes anything, so nothing is half-written.
/// API and webhook paths answer RFC 9457 problem details; HTML pages (pay page, dashboard, sandbox) answer a
/// short page in the visitor's language.
/// </summary>
public sealed class MalformedBodyHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (http.Response.HasStarted || !IsMalformedBody(exception)) return false;
        var status = exception is BadHttpRequestException b ? b.StatusCode : StatusCodes.Status400BadRequest;
        if (status is < 400 or > 499) status = StatusCodes.Status400BadRequest;
        var path = http.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/webhooks"))
        {
            await Problems.From(Error.Validation("body", "The request body could not be read: " + Describe(exception)), status).ExecuteAsync(http);
            return true;
        }
        var en = http.Request.Query["lang"] == "en" || http.Request.Headers.AcceptLanguage.ToString().StartsWith("en", StringComparison.OrdinalIgnoreCase);
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        var text = Texts.For(en ? "en" : "ru")["Не удалось прочитать форму. Вернитесь назад и отправьте её ещё раз."];
        await http.Response.WriteAsync($"<!doctype html><html lang=\"{(en ? "en" : "ru")}\"><meta charset=\"utf-8\"><title>400</title><p>{text}</p></html>", ct);
        return true;
    }

    /// <summary>The exception, or one it wraps (antiforgery reads the form first and wraps what it met), says the body is unreadable.</summary>
    private static bool IsMalformedBody(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is BadHttpRequestException or InvalidDataException or Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException) return true;
        return false;
    }

    private static string Describe(Exception e) => (e.InnerException is InvalidDataException or BadHttpRequestException ? e.InnerException : e) switch
    {
        InvalidDataException when e.Message.Contains("boundary", StringComparison.OrdinalIgnoreCase) => "the multipart content type has no boundary.",
        InvalidDataException => "the form or multipart body is malformed.",
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => "the body is too large.",
        _ => "the body is malformed or incomplete.",
    };
}
