using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Paylink.Core.Common;
using Paylink.Core.Payments;

namespace Paylink.Providers.Gateways.Sandbox;

/// <summary>The sandbox acquirer's own pages: GET shows the checkout, a plain form POST completes it.</summary>
public static class SandboxEndpoints
{
    public static void MapSandboxAcquirer(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sandbox/checkout/{id}", async (string id, SandboxAcquirer acquirer, CancellationToken ct) =>
        {
            var c = await acquirer.FindAsync(id, ct);
            return c is null ? Html(NotFoundPage(), StatusCodes.Status404NotFound) : Html(CheckoutPage(c));
        }).ExcludeFromDescription();

        // The SBP payload: the "bank app" of the sandbox, reached by scanning the pay page's QR or from the bank list.
        app.MapGet("/sandbox/sbp/{id}", async (string id, string? bank, SandboxAcquirer acquirer, CancellationToken ct) =>
        {
            var c = await acquirer.FindAsync(id, ct);
            var bankName = SandboxGateway.SbpBanks.FirstOrDefault(b => b.Id == bank)?.Name;
            return c is null ? Html(NotFoundPage(), StatusCodes.Status404NotFound) : Html(CheckoutPage(c, sbpBank: bankName ?? "СБП"));
        }).ExcludeFromDescription();

        app.MapPost("/sandbox/checkout/{id}", async (string id, HttpRequest request, SandboxAcquirer acquirer, CancellationToken ct) =>
        {
            if (!request.HasFormContentType) return Results.Problem("Send a form with outcome=success or outcome=decline.", statusCode: 400);
            var form = await request.ReadFormAsync(ct);
            var outcome = form["outcome"].ToString();
            if (outcome is not ("success" or "decline"))
                return Results.Problem($"outcome must be 'success' or 'decline', got '{Trunc(outcome)}'.", statusCode: 400);
            var c = await acquirer.CompleteAsync(id, outcome == "success", ct);
            if (c is null) return Html(NotFoundPage(), StatusCodes.Status404NotFound);
            // Back to the shop whether or not the shop has heard yet: an undelivered notification is retried.
            return new SeeOther(c.ReturnUrl);
        }).DisableAntiforgery().ExcludeFromDescription();
    }

    private static string Trunc(string s) => s.Length > 20 ? s[..20] + "…" : s;

    private sealed class SeeOther(string url) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            http.Response.Headers.Location = url;
            return Task.CompletedTask;
        }
    }

    private static IResult Html(string html, int status = 200) => Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string NotFoundPage() => Page("Платёж не найден", "<p>Такой платёжной сессии в песочнице нет.</p>");

    private static string CheckoutPage(SandboxCheckout c, string? sbpBank = null)
    {
        var e = HtmlEncoder.Default;
        var amount = e.Encode(MoneyFormat.Format(new Money(c.AmountMinor, c.Currency)));
        var body = new StringBuilder();
        body.Append(sbpBank is null ? "<p class=muted>Тестовый эквайер Paylink · деньги не списываются</p>"
            : $"<p class=muted>Приложение банка «{e.Encode(sbpBank)}» · оплата по СБП · песочница, деньги не списываются</p>");
        body.Append("<p>").Append(e.Encode(c.Description)).Append("</p>");
        body.Append("<p class=amount>").Append(amount).Append("</p>");
        if (c.BindsAccount)
            body.Append("<p class=muted id=sandbox-autopay>Автоплатёж: после оплаты счёт будет привязан к магазину для следующих списаний.</p>");
        switch (c.Status)
        {
            case SandboxCheckoutStatus.Pending:
                var action = e.Encode($"/sandbox/checkout/{c.Id}");
                body.Append("<form method=post action=\"").Append(action).Append("\"><input type=hidden name=outcome value=success><button class=pay id=sandbox-pay>Оплатить ").Append(amount).Append("</button></form>");
                body.Append("<form method=post action=\"").Append(action).Append("\"><input type=hidden name=outcome value=decline><button class=decline id=sandbox-decline>Отклонить</button></form>");
                break;
            default:
                var ok = c.Status == SandboxCheckoutStatus.Succeeded;
                body.Append("<p class=").Append(ok ? "ok>Оплата прошла" : "err>Оплата отклонена").Append("</p>");
                if (c.NotifiedAt is null)
                    body.Append("<p class=muted>Магазин ещё не получил уведомление; мы повторим отправку автоматически.</p><form method=post><input type=hidden name=outcome value=")
                        .Append(ok ? "success" : "decline").Append("><button>Отправить уведомление сейчас</button></form>");
                body.Append("<p><a href=\"").Append(e.Encode(c.ReturnUrl)).Append("\">Вернуться в магазин</a></p>");
                break;
        }
        return Page(sbpBank is null ? "Оплата · песочница" : "Оплата по СБП · песочница", body.ToString());
    }

    private static string Page(string title, string body) => $$"""
        <!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>{{HtmlEncoder.Default.Encode(title)}}</title><style>
        body{font-family:system-ui,sans-serif;max-width:420px;margin:2rem auto;padding:0 1rem;color:#1b1b1f}
        .amount{font-size:2rem;font-weight:700}.muted{color:#666;font-size:.9rem}
        button{width:100%;padding:.9rem;margin:.3rem 0;border:0;border-radius:.6rem;font-size:1.05rem;cursor:pointer}
        .pay{background:#1a7f37;color:#fff}.decline{background:#eee;color:#8b0000}.ok{color:#1a7f37;font-weight:600}.err{color:#8b0000;font-weight:600}
        </style></head><body><h1>{{HtmlEncoder.Default.Encode(title)}}</h1>{{body}}</body></html>
        """;
}
