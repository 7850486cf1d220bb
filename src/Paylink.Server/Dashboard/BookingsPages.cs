using System.Globalization;
using Paylink.Core.Bookings;
using Paylink.Core.Common;

namespace Paylink.Server.Dashboard;

/// <summary>/dashboard/bookings: a day or a week (merchant's local days), mark done / no-show / cancel through <see cref="ChangeBookingStatus"/>.</summary>
public static class BookingsPages
{
    public static void Map(RouteGroupBuilder g)
    {
        g.MapGet("/bookings", async (HttpContext http, string? day, string? view, ListBookings list, TimeProvider clock, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var today = DateOnly.FromDateTime(DateFormat.ToLocal(clock.GetUtcNow(), c.Zone).DateTime);
            var start = day is not null && DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                && DateFormat.IsAccepted(d) ? d : today;
            var week = view == "week";
            if (week) start = start.AddDays(-(((int)start.DayOfWeek + 6) % 7));   // Monday
            var days = week ? 7 : 1;
            var from = DateFormat.LocalToUtc(start, TimeOnly.MinValue, c.Zone);
            var to = DateFormat.LocalToUtc(start.AddDays(days), TimeOnly.MinValue, c.Zone);
            var r = await list.HandleAsync(c.MerchantId, from.ToString("O", CultureInfo.InvariantCulture), to.ToString("O", CultureInfo.InvariantCulture), null, ct);
            return c.Page(c.L("Записи", "Bookings"), h =>
            {
                h.El("h1", c.L("Записи", "Bookings"));
                var v = week ? "week" : "day";
                string Nav(DateOnly x, string vv) => $"/dashboard/bookings?day={x:yyyy-MM-dd}&view={vv}";
                h.Raw("<p class=\"row\">").Link(Nav(start.AddDays(-days), v), c.L("← Назад", "← Back"), id: "prev")
                    .Link(Nav(today, v), c.L("Сегодня", "Today"), id: "today").Link(Nav(start.AddDays(days), v), c.L("Вперёд →", "Forward →"), id: "next")
                    .Link(Nav(start, "day"), c.L("День", "Day"), id: "view-day").Link(Nav(start, "week"), c.L("Неделя", "Week"), id: "view-week").Raw("</p>\n");
                if (!r.IsSuccess) { h.Error(r.Error!.Message); return; }
                for (var i = 0; i < days; i++)
                {
                    var dayDate = start.AddDays(i);
                    var key = dayDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    var items = r.Value.Where(b => b.LocalStart.StartsWith(key, StringComparison.Ordinal)).ToList();
                    h.Raw("<div class=\"card\">").El("h2", $"{DateFormat.Date(new DateTimeOffset(dayDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), c.Lang)}, {Weekday(c, dayDate.DayOfWeek)}");
                    if (items.Count == 0) { h.El("p", c.L("Записей нет.", "No bookings."), "muted").Raw("</div>\n"); continue; }
                    h.Raw("<table class=\"bookings\"><tbody>");
                    foreach (var b in items)
                    {
                        h.Raw("<tr").Attr("id", "booking-" + b.Id).Raw("><td>").Text(b.LocalStart[11..16] + "–" + b.LocalEnd[11..16]).Raw("</td><td>").Text(b.ServiceName)
                            .Raw("</td><td class=\"staff\">").Text(b.Staff ?? "—").Raw("</td><td><span class=\"badge ").Raw(b.Status).Raw("\">").Text(StatusText(c, b.Status))
                            .Raw("</span></td><td>");
                        if (b.LinkId is not null) h.Link("/dashboard/links/" + b.LinkId, c.L("ссылка", "link")).Raw(" ");
                        if (b.Status is "pending" or "confirmed")
                        {
                            var back = ("back", Nav(start, v));
                            h.ActionButton($"/dashboard/bookings/{b.Id}/complete", c.L("Пришёл", "Done"), $"done-{b.Id}", "btn secondary", back);
                            h.ActionButton($"/dashboard/bookings/{b.Id}/no-show", c.L("Не пришёл", "No-show"), $"noshow-{b.Id}", "btn danger", back);
                            h.ActionButton($"/dashboard/bookings/{b.Id}/cancel", c.L("Отменить", "Cancel"), $"cancel-{b.Id}", "btn secondary", back);
                        }
                        h.Raw("</td></tr>\n");
                    }
                    h.Raw("</tbody></table></div>\n");
                }
            });
        });

        Action(g, "complete", BookingAction.Complete);
        Action(g, "no-show", BookingAction.NoShow);
        Action(g, "cancel", BookingAction.Cancel);
    }

    private static void Action(RouteGroupBuilder g, string verb, BookingAction action) =>
        g.MapPost("/bookings/{id}/" + verb, async (string id, HttpContext http, ChangeBookingStatus change, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var r = await change.HandleAsync(id, action, ct);
            if (!r.IsSuccess && r.Error!.Kind == ErrorKind.NotFound) return c.NotFound();
            c.Flash(r.IsSuccess ? c.L("Запись обновлена: ", "Booking updated: ") + StatusText(c, r.Value.Status.ToWire()) : r.Error!.Message, !r.IsSuccess);
            var back = (await http.Request.ReadFormAsync(ct))["back"].ToString();
            return DashContext.Redirect(back.StartsWith("/dashboard/bookings", StringComparison.Ordinal) ? back : "/dashboard/bookings");
        });

    // Written out rather than taken from CultureInfo: dates are formatted without ICU (see DateFormat).
    private static string Weekday(DashContext c, DayOfWeek d) => c.En
        ? d.ToString()
        : new[] { "воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота" }[(int)d];

    private static string StatusText(DashContext c, string s) => s switch
    {
        "pending" => c.L("ждёт подтверждения", "pending"),
        "confirmed" => c.L("подтверждена", "confirmed"),
        "visit_done" => c.L("визит состоялся", "visit done"),
        "no_show" => c.L("не пришёл", "no-show"),
        "cancelled" => c.L("отменена", "cancelled"),
        _ => s,
    };
}
