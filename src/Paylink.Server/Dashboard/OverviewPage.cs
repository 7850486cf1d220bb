using System.Globalization;
using System.Text;
using Paylink.Core.Common;
using Paylink.Core.Metrics;
using Paylink.Server.Api;

namespace Paylink.Server.Dashboard;

/// <summary>/dashboard: today and a period (default the last 30 days) from <see cref="ComputeMetrics"/>, charts, CSV.</summary>
public static class OverviewPage
{
    public static void Map(RouteGroupBuilder g)
    {
        g.MapGet("", async (HttpContext http, string? from, string? to, ComputeMetrics metrics, TimeProvider clock, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var period = Period(c, from, to, clock);
            if (period.Error is not null) return c.Page(c.L("Обзор", "Overview"), h => Form(c, h, from, to).Error(period.Error), StatusCodes.Status422UnprocessableEntity);
            var today = DateOnly.FromDateTime(DateFormat.ToLocal(clock.GetUtcNow(), c.Zone).DateTime);
            var todayReport = await metrics.HandleAsync(c.MerchantId, today, today, ct);
            var report = await metrics.HandleAsync(c.MerchantId, period.From, period.To, ct);
            if (!report.IsSuccess) return c.Page(c.L("Обзор", "Overview"), h => Form(c, h, from, to).Error(report.Error!.Message), StatusCodes.Status422UnprocessableEntity);
            var npd = await SelfEmployedPage.LoadOverviewAsync(c, ct);
            return c.Page(c.L("Обзор", "Overview"), h =>
            {
                Render(c, h, todayReport.Value, report.Value);
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

    private static void Render(DashContext c, Html h, MetricsReport today, MetricsReport r)
    {
        var from = r.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = r.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Form(c, h, from, to);
        h.Raw("<p><a id=\"csv-export\" href=\"/dashboard/metrics.csv?from=").Raw(from).Raw("&amp;to=").Raw(to).Raw("\">")
            .Text(c.L("Скачать CSV", "Download CSV")).Raw("</a></p>\n");

        h.El("h2", c.L("Сегодня (ссылки, созданные сегодня)", "Today (links created today)"));
        h.Raw("<div class=\"grid\" id=\"today\">");
        Kpi(h, c.L("Оплачено", "Paid"), Money(c, today.Total.PaidMinor, today.Currency), "today-paid");
        Kpi(h, c.L("Оплат", "Payments"), today.Total.Paid.ToString(CultureInfo.InvariantCulture), "today-payments");
        Kpi(h, c.L("Ссылок", "Links"), today.Total.Links.ToString(CultureInfo.InvariantCulture), "today-links");
        h.Raw("</div>\n");

        var t = r.Total;
        var span = $"{r.From.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)} — {r.To.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}";
        h.El("h2", c.L("Период ", "Period ") + span);
        h.Raw("<div class=\"grid\" id=\"period\">");
        Kpi(h, c.L("Оплачено", "Paid"), Money(c, t.PaidMinor, r.Currency), "period-paid");
        Kpi(h, c.L("Оплат", "Payments"), t.Paid.ToString(CultureInfo.InvariantCulture), "period-payments");
        Kpi(h, c.L("Конверсия обращение → оплата", "Conversion request → payment"), Pct(t.ConversionRequestToPayment), "conversion-request");
        Kpi(h, c.L("Конверсия отправлено → оплачено", "Conversion sent → paid"), Pct(t.ConversionSentToPaid), "conversion-sent");
        Kpi(h, c.L("Время до оплаты, медиана", "Time to payment, median"), Duration(c, t.TimeToPaymentP50Seconds), "ttp-p50");
        Kpi(h, c.L("Время до оплаты, p90", "Time to payment, p90"), Duration(c, t.TimeToPaymentP90Seconds), "ttp-p90");
        Kpi(h, c.L("Доля записей с предоплатой", "Prepaid bookings"), Pct(r.Bookings.PrepaymentShare), "prepayment-share");
        Kpi(h, c.L("Неявки", "No-show rate"), Pct(r.Bookings.NoShowRate), "no-show-rate");
        Kpi(h, c.L("Доля возвратов", "Refund share"), Pct(t.RefundShare), "refund-share");
        Kpi(h, c.L("Сэкономлено на комиссии через СБП", "Fees saved with SBP"), Money(c, r.SbpFeeSavedMinor, r.Currency), "sbp-saved");
        h.Raw("</div>\n");

        h.Raw("<div class=\"card\">").El("h2", c.L("Воронка", "Funnel"));
        Charts.Funnel(h, c.L("Воронка: отправлено → открыто → начата оплата → оплачено", "Funnel: sent → opened → checkout started → paid"),
        [
            (c.L("Создано", "Created"), t.Links), (c.L("Отправлено", "Sent"), t.Sent), (c.L("Открыто", "Opened"), t.Opened),
            (c.L("Начата оплата", "Checkout started"), t.CheckoutStarted), (c.L("Оплачено", "Paid"), t.Paid),
        ], "funnel-chart");
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
        Table(c, h, c.L("По каналам", "By channel"), "by-channel", r.ByChannel, r.Currency);
        Table(c, h, c.L("По услугам", "By service"), "by-service", r.ByService, r.Currency);
        Table(c, h, c.L("По способам оплаты", "By payment method"), "by-method", r.ByMethod, r.Currency, k => MethodLabel(c, k));
        var b = r.Bookings;
        h.Raw("<div class=\"card\">").El("h2", c.L("Записи", "Bookings"));
        h.Raw("<table id=\"bookings-metrics\"><thead><tr><th scope=\"col\">").Text(c.L("Записей", "Bookings")).Raw("</th><th scope=\"col\">")
            .Text(c.L("С предоплатой", "Prepaid")).Raw("</th><th scope=\"col\">").Text(c.L("Пришли", "Done")).Raw("</th><th scope=\"col\">")
            .Text(c.L("Не пришли", "No-show")).Raw("</th></tr></thead><tbody><tr><td>").Text(b.Bookings.ToString(CultureInfo.InvariantCulture))
            .Raw("</td><td>").Text(b.Prepaid.ToString(CultureInfo.InvariantCulture)).Raw("</td><td>").Text(b.VisitDone.ToString(CultureInfo.InvariantCulture))
            .Raw("</td><td>").Text(b.NoShow.ToString(CultureInfo.InvariantCulture)).Raw("</td></tr></tbody></table>");
        if (r.BookingsByStaff.Count > 0)
        {
            h.El("h3", c.L("По мастерам", "By staff member"));
            h.Raw("<table id=\"by-staff\"><thead><tr><th scope=\"col\"></th><th scope=\"col\" class=\"num\">").Text(c.L("Записей", "Bookings"))
                .Raw("</th><th scope=\"col\" class=\"num\">").Text(c.L("С предоплатой", "Prepaid")).Raw("</th><th scope=\"col\" class=\"num\">").Text(c.L("Пришли", "Done"))
                .Raw("</th><th scope=\"col\" class=\"num\">").Text(c.L("Не пришли", "No-show")).Raw("</th><th scope=\"col\" class=\"num\">").Text(c.L("Неявки", "No-show rate"))
                .Raw("</th></tr></thead><tbody>\n");
            foreach (var s in r.BookingsByStaff)
                h.Raw("<tr><th scope=\"row\">").Text(s.Staff == "none" ? c.L("без мастера", "unassigned") : s.Staff).Raw("</th><td class=\"num\">")
                    .Text(s.Bookings.ToString(CultureInfo.InvariantCulture)).Raw("</td><td class=\"num\">").Text(s.Prepaid.ToString(CultureInfo.InvariantCulture))
                    .Raw("</td><td class=\"num\">").Text(s.VisitDone.ToString(CultureInfo.InvariantCulture)).Raw("</td><td class=\"num\">")
                    .Text(s.NoShow.ToString(CultureInfo.InvariantCulture)).Raw("</td><td class=\"num\">").Text(Pct(s.NoShowRate)).Raw("</td></tr>\n");
            h.Raw("</tbody></table>");
        }
        h.Raw("</div>\n");
    }

    private static void Table(DashContext c, Html h, string title, string id, IReadOnlyList<MetricsRow> rows, string currency,
        Func<string, string>? label = null)
    {
        h.Raw("<div class=\"card\">").El("h2", title);
        h.Raw("<table").Attr("id", id).Raw("><thead><tr>");
        foreach (var col in new[] { "", c.L("Ссылок", "Links"), c.L("Отправлено", "Sent"), c.L("Открыто", "Opened"), c.L("Оплата начата", "Checkout"),
                     c.L("Оплачено", "Paid"), c.L("Сумма", "Amount"), c.L("Конверсия", "Conversion"), c.L("Медиана", "Median") })
            h.Raw("<th scope=\"col\">").Text(col).Raw("</th>");
        h.Raw("</tr></thead><tbody>\n");
        var shown = rows.Where(m => id != "by-day" || m.Links > 0 || m.Requests > 0).ToList();
        if (shown.Count == 0) h.Raw("<tr><td colspan=\"9\" class=\"muted\">").Text(c.L("Нет данных за период.", "No data for the period.")).Raw("</td></tr>\n");
        foreach (var m in shown)
        {
            h.Raw("<tr><th scope=\"row\">").Text(id == "by-day" ? DayLabel(m.Key) : label?.Invoke(m.Key) ?? KeyLabel(c, m.Key)).Raw("</th>");
            foreach (var v in new[] { m.Links, m.Sent, m.Opened, m.CheckoutStarted, m.Paid })
                h.Raw("<td class=\"num\">").Text(v.ToString(CultureInfo.InvariantCulture)).Raw("</td>");
            h.Raw("<td class=\"num\">").Text(Money(c, m.PaidMinor, currency)).Raw("</td><td class=\"num\">").Text(Pct(m.ConversionSentToPaid))
                .Raw("</td><td class=\"num\">").Text(Duration(c, m.TimeToPaymentP50Seconds)).Raw("</td></tr>\n");
        }
        h.Raw("</tbody></table></div>\n");
    }

    private static void Kpi(Html h, string label, string value, string id) =>
        h.Raw("<div class=\"kpi\"><b").Attr("id", id).Raw(">").Text(value).Raw("</b><span>").Text(label).Raw("</span></div>");

    private static string KeyLabel(DashContext c, string key) => key switch
    {
        "none" => c.L("не отправлялись / без услуги", "not sent / no service"),
        "unknown" => c.L("неизвестно", "unknown"),
        _ => key,
    };

    internal static string MethodLabel(DashContext c, string method) => method switch
    {
        "card" => c.L("Карта", "Card"),
        "sbp" => c.L("СБП", "SBP"),
        "other" => c.L("Другое", "Other"),
        _ => c.L("оплата не начиналась", "no checkout"),
    };

    private static string DayLabel(string key) => key.Length == 10 ? key[8..] + "." + key[5..7] : key;
    private static string Money(DashContext c, long minor, string currency) => MoneyFormat.Short(new Money(minor, currency), c.Lang);
    internal static string Pct(double? v) => v is null ? "—" : (v.Value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    internal static string Duration(DashContext c, double? seconds)
    {
        if (seconds is null) return "—";
        var s = seconds.Value;
        if (s < 60) return $"{s:0} {c.L("с", "s")}";
        if (s < 3600) return $"{s / 60:0} {c.L("мин", "min")}";
        if (s < 86400) return (s / 3600).ToString("0.#", CultureInfo.InvariantCulture) + " " + c.L("ч", "h");
        return (s / 86400).ToString("0.#", CultureInfo.InvariantCulture) + " " + c.L("дн", "d");
    }
}
