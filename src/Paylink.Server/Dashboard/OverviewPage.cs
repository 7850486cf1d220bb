using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Metrics;
using Paylink.Server.Api;

namespace Paylink.Server.Dashboard;

/// <summary>/dashboard: today and a period (default the last 30 days) from <see cref="ComputeMetrics"/>, charts, CSV.</summary>
public static class OverviewPage
{
    public static void Map(RouteGroupBuilder g)
    {
        g.MapGet("", async (HttpContext http, string? from, string? to, ComputeMetrics metrics, TimeProvider clock, AppDbContext db, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var period = Period(c, from, to, clock);
            if (period.Error is not null) return c.Page(c.L("Обзор", "Overview"), h => Form(c, h, from, to).Error(period.Error), StatusCodes.Status422UnprocessableEntity);
            var today = DateOnly.FromDateTime(DateFormat.ToLocal(clock.GetUtcNow(), c.Zone).DateTime);
            var todayReport = await metrics.HandleAsync(c.MerchantId, today, today, ct);
            var report = await metrics.HandleAsync(c.MerchantId, period.From, period.To, ct);
            if (!report.IsSuccess) return c.Page(c.L("Обзор", "Overview"), h => Form(c, h, from, to).Error(report.Error!.Message), StatusCodes.Status422UnprocessableEntity);
            var npd = await SelfEmployedPage.LoadOverviewAsync(c, ct);
            // The metrics group by service id; the owner reads the catalog's names (a deleted service keeps its id).
            var serviceIds = report.Value.ByService.Select(r => r.Key).ToList();
            var services = await db.CatalogServices.AsNoTracking().Where(s => serviceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
            return c.Page(c.L("Обзор", "Overview"), h =>
            {
                Render(c, h, todayReport.Value, report.Value, services);
                SelfEmployedPage.OverviewCard(c, h, npd);
            });
        });

        g.MapGet("/metrics.csv", async (HttpContext http, string? from, string? to, ComputeMetrics metrics, TimeProvider clock, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var period = Period(c, from, to, clock);
            if (period.Error is not null) return Results.Text(period.Error, "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status422UnprocessableEntity);
            var report = await metrics.HandleAsync(c.MerchantId, period.From, period.To, ct);
            if (!report.IsSuccess) return Results.Text(report.Error!.Message, "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status422UnprocessableEntity);
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"metrics_{period.From:yyyyMMdd}_{period.To:yyyyMMdd}.csv\"";
            return Results.Text(MetricsApi.ToCsv(report.Value), "text/csv; charset=utf-8", new UTF8Encoding(false));
        });
    }

    private static (DateOnly From, DateOnly To, string? Error) Period(DashContext c, string? from, string? to, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(DateFormat.ToLocal(clock.GetUtcNow(), c.Zone).DateTime);
        var errors = new ValidationErrors();
        var f = string.IsNullOrEmpty(from) ? today.AddDays(-29) : MetricsApi.ParseDay(from, "from", errors);
        var t = string.IsNullOrEmpty(to) ? today : MetricsApi.ParseDay(to, "to", errors);
        if (errors.Any) return (today, today, c.L("Даты периода — в формате ГГГГ-ММ-ДД.", "Period dates must be YYYY-MM-DD."));
        return (f!.Value, t!.Value, null);
    }

    private static Html Form(DashContext c, Html h, string? from, string? to)
    {
        h.El("h1", c.L("Обзор", "Overview"));
        return h.Form("/dashboard", "get", "period-form", "row")
            .Field(c.L("С", "From"), "from", from, "date").Field(c.L("По", "To"), "to", to, "date")
            .Button(c.L("Показать", "Show"), "period-show", "btn secondary").EndForm();
    }

    private static void Render(DashContext c, Html h, MetricsReport today, MetricsReport r, IReadOnlyDictionary<string, string> services)
    {
        var from = r.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = r.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Form(c, h, from, to);
        h.Raw("<p><a id=\"csv-export\" href=\"/dashboard/metrics.csv?from=").Raw(from).Raw("&amp;to=").Raw(to).Raw("\">")
            .Text(c.L("Скачать CSV", "Download CSV")).Raw("</a></p>\n");

        h.El("h2", c.L("Сегодня (ссылки, созданные сегодня)", "Today (links created today)"));
        h.Raw("<div class=\"grid\" id=\"today\">");
        Kpi(h, c.L("Оплачено, за вычетом возвратов", "Paid, net of refunds"), Money(c, today.Total.PaidMinor - today.Total.RefundedMinor, today.Currency), "today-paid");
        Kpi(h, c.L("Оплат", "Payments"), Num(c, today.Total.Paid), "today-payments");
        Kpi(h, c.L("Ссылок", "Links"), Num(c, today.Total.Links), "today-links");
        h.Raw("</div>\n");

        var t = r.Total;
        var span = $"{r.From.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)} — {r.To.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}";
        h.El("h2", c.L("Период ", "Period ") + span);
        h.Raw("<div class=\"grid\" id=\"period\">");
        Kpi(h, c.L("Оплачено, за вычетом возвратов", "Paid, net of refunds"), Money(c, t.PaidMinor - t.RefundedMinor, r.Currency), "period-paid");
        Kpi(h, c.L("Возвращено", "Refunded"), Money(c, t.RefundedMinor, r.Currency), "period-refunded");
        Kpi(h, c.L("Оплат", "Payments"), Num(c, t.Paid), "period-payments");
        Kpi(h, c.L("Конверсия обращение → оплата", "Conversion request → payment"), Pct(c, t.ConversionRequestToPayment), "conversion-request");
        Kpi(h, c.L("Конверсия отправлено → оплачено", "Conversion sent → paid"), Pct(c, t.ConversionSentToPaid), "conversion-sent");
        Kpi(h, c.L("Время до оплаты, медиана", "Time to payment, median"), Duration(c, t.TimeToPaymentP50Seconds), "ttp-p50");
        Kpi(h, c.L("Время до оплаты, p90", "Time to payment, p90"), Duration(c, t.TimeToPaymentP90Seconds), "ttp-p90");
        Kpi(h, c.L("Доля записей с предоплатой", "Prepaid bookings"), Pct(c, r.Bookings.PrepaymentShare), "prepayment-share");
        Kpi(h, c.L("Неявки", "No-show rate"), Pct(c, r.Bookings.NoShowRate), "no-show-rate");
        Kpi(h, c.L("Доля возвратов", "Refund share"), Pct(c, t.RefundShare), "refund-share");
        Kpi(h, c.L("Сэкономлено на комиссии через СБП", "Fees saved with SBP"), Money(c, r.SbpFeeSavedMinor, r.Currency), "sbp-saved");
        h.Raw("</div>\n");

        h.Raw("<div class=\"card\">").El("h2", c.L("Воронка", "Funnel"));
        Charts.Funnel(h, c.L("Воронка: отправлено → открыто → начата оплата → оплачено", "Funnel: sent → opened → checkout started → paid"),
        [
            (c.L("Создано", "Created"), t.Links), (c.L("Отправлено", "Sent"), t.Sent), (c.L("Открыто", "Opened"), t.Opened),
            (c.L("Начата оплата", "Checkout started"), t.CheckoutStarted), (c.L("Оплачено", "Paid"), t.Paid),
        ], "funnel-chart", c.Lang);
        h.Raw("</div>\n");

        h.Raw("<div class=\"card\">").El("h2", c.L("Оплачено по дням", "Paid by day"));
        Charts.Bars(h, c.L("Сумма оплат по дням создания ссылки", "Paid amount by day of link creation"),
            r.ByDay.Select(d => (DayLabel(d.Key), (double)d.PaidMinor, Money(c, d.PaidMinor, r.Currency))).ToList(), "paid-by-day");
        h.Raw("</div>\n");

        h.Raw("<div class=\"card\">").El("h2", c.L("Ссылки и оплаты по дням", "Links and payments by day"));
        Charts.Lines(h, c.L("Создано ссылок и оплачено по дням", "Links created and paid by day"), r.ByDay.Select(d => DayLabel(d.Key)).ToList(),
        [
            (c.L("создано", "created"), "#6b7080", r.ByDay.Select(d => d.Links).ToList()),
            (c.L("оплачено", "paid"), "#1a56c4", r.ByDay.Select(d => d.Paid).ToList()),
        ], "links-by-day");
        h.Raw("</div>\n");

        Table(c, h, c.L("По дням", "By day"), "by-day", r.ByDay.Reverse().ToList(), r.Currency);
        Table(c, h, c.L("По каналам", "By channel"), "by-channel", r.ByChannel, r.Currency, k => Labels.Channel(c, k));
        Table(c, h, c.L("По услугам", "By service"), "by-service", r.ByService, r.Currency,
            k => k == "none" ? c.L("без услуги из каталога", "no catalog service") : services.GetValueOrDefault(k, k));
        Table(c, h, c.L("По способам оплаты", "By payment method"), "by-method", r.ByMethod, r.Currency, k => Labels.Method(c, k));
        var b = r.Bookings;
        h.Raw("<div class=\"card\">").El("h2", c.L("Записи", "Bookings"));
        h.Scroll(c.L("Записи", "Bookings")).Raw("<table id=\"bookings-metrics\"><thead><tr><th scope=\"col\">").Text(c.L("Записей", "Bookings")).Raw("</th><th scope=\"col\">")
            .Text(c.L("С предоплатой", "Prepaid")).Raw("</th><th scope=\"col\">").Text(c.L("Пришли", "Done")).Raw("</th><th scope=\"col\">")
            .Text(c.L("Не пришли", "No-show")).Raw("</th></tr></thead><tbody><tr><td>").Text(Num(c, b.Bookings))
            .Raw("</td><td>").Text(Num(c, b.Prepaid)).Raw("</td><td>").Text(Num(c, b.VisitDone))
            .Raw("</td><td>").Text(Num(c, b.NoShow)).Raw("</td></tr></tbody></table></div>");
        if (r.BookingsByStaff.Count > 0)
        {
            h.El("h3", c.L("По мастерам", "By staff member"));
            h.Scroll(c.L("По мастерам", "By staff member")).Raw("<table id=\"by-staff\"><thead><tr><th scope=\"col\"></th><th scope=\"col\" class=\"num\">").Text(c.L("Записей", "Bookings"))
                .Raw("</th><th scope=\"col\" class=\"num\">").Text(c.L("С предоплатой", "Prepaid")).Raw("</th><th scope=\"col\" class=\"num\">").Text(c.L("Пришли", "Done"))
                .Raw("</th><th scope=\"col\" class=\"num\">").Text(c.L("Не пришли", "No-show")).Raw("</th><th scope=\"col\" class=\"num\">").Text(c.L("Неявки", "No-show rate"))
                .Raw("</th></tr></thead><tbody>\n");
            foreach (var s in r.BookingsByStaff)
                h.Raw("<tr><th scope=\"row\">").Text(s.Staff == "none" ? c.L("без мастера", "unassigned") : s.Staff).Raw("</th><td class=\"num\">")
                    .Text(Num(c, s.Bookings)).Raw("</td><td class=\"num\">").Text(Num(c, s.Prepaid))
                    .Raw("</td><td class=\"num\">").Text(Num(c, s.VisitDone)).Raw("</td><td class=\"num\">")
                    .Text(Num(c, s.NoShow)).Raw("</td><td class=\"num\">").Text(Pct(c, s.NoShowRate)).Raw("</td></tr>\n");
            h.Raw("</tbody></table></div>");
        }
        h.Raw("</div>\n");
    }

    private static void Table(DashContext c, Html h, string title, string id, IReadOnlyList<MetricsRow> rows, string currency,
        Func<string, string>? label = null)
    {
        h.Raw("<div class=\"card\">").El("h2", title);
        h.Scroll(title).Raw("<table").Attr("id", id).Raw("><thead><tr>");
        foreach (var col in new[] { "", c.L("Ссылок", "Links"), c.L("Отправлено", "Sent"), c.L("Открыто", "Opened"), c.L("Оплата начата", "Checkout"),
                     c.L("Оплачено", "Paid"), c.L("Сумма", "Amount"), c.L("Конверсия", "Conversion"), c.L("Медиана", "Median") })
            h.Raw("<th scope=\"col\">").Text(col).Raw("</th>");
        h.Raw("</tr></thead><tbody>\n");
        var shown = rows.Where(m => id != "by-day" || m.Links > 0 || m.Requests > 0).ToList();
        if (shown.Count == 0) h.Raw("<tr><td colspan=\"9\" class=\"muted\">").Text(c.L("Нет данных за период.", "No data for the period.")).Raw("</td></tr>\n");
        foreach (var m in shown)
        {
            h.Raw("<tr><th scope=\"row\">").Text(id == "by-day" ? DayLabel(m.Key) : label?.Invoke(m.Key) ?? m.Key).Raw("</th>");
            foreach (var v in new[] { m.Links, m.Sent, m.Opened, m.CheckoutStarted, m.Paid })
                h.Raw("<td class=\"num\">").Text(Num(c, v)).Raw("</td>");
            h.Raw("<td class=\"num\">").Text(Money(c, m.PaidMinor, currency)).Raw("</td><td class=\"num\">").Text(Pct(c, m.ConversionSentToPaid))
                .Raw("</td><td class=\"num\">").Text(Duration(c, m.TimeToPaymentP50Seconds)).Raw("</td></tr>\n");
        }
        h.Raw("</tbody></table></div></div>\n");
    }

    private static void Kpi(Html h, string label, string value, string id) =>
        h.Raw("<div class=\"kpi\"><b").Attr("id", id).Raw(">").Text(value).Raw("</b><span>").Text(label).Raw("</span></div>");

    private static string DayLabel(string key) => key.Length == 10 ? key[8..] + "." + key[5..7] : key;
    private static string Money(DashContext c, long minor, string currency) => MoneyFormat.Short(new Money(minor, currency), c.Lang);
    internal static string Pct(DashContext c, double? v) => NumberFormat.Percent(v, c.Lang);
    private static string Num(DashContext c, long v) => NumberFormat.Integer(v, c.Lang);

    internal static string Duration(DashContext c, double? seconds)
    {
        if (seconds is null) return "—";
        var s = seconds.Value;
        if (s < 60) return $"{s:0} {c.L("с", "s")}";
        if (s < 3600) return $"{s / 60:0} {c.L("мин", "min")}";
        if (s < 86400) return NumberFormat.OneDecimal(s / 3600, c.Lang) + " " + c.L("ч", "h");
        return NumberFormat.OneDecimal(s / 86400, c.Lang) + " " + c.L("дн", "d");
    }
}
