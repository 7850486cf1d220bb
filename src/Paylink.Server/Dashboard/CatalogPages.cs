using Microsoft.EntityFrameworkCore;
using Paylink.Core.Catalog;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Server.Dashboard;

/// <summary>/dashboard/catalog: the services with prices; add or edit one (an upsert through <see cref="ImportCatalog"/>).</summary>
public static class CatalogPages
{
    public static void Map(RouteGroupBuilder g)
    {
        g.MapGet("/catalog", async (HttpContext http, string? edit, AppDbContext db, CancellationToken ct) =>
            await PageAsync(DashContext.For(http), db, edit, null, null, ct));

        g.MapPost("/catalog", async (HttpContext http, AppDbContext db, ImportCatalog import, CancellationToken ct) =>
        {
            var c = DashContext.For(http);
            var form = await http.Request.ReadFormAsync(ct);
            var currency = c.Merchant!.DefaultCurrency;
            var price = DashForms.Amount(DashForms.Opt(form, "price"), currency);
            if (price is null) return await PageAsync(c, db, null, form, c.L("Цена: введите число, например 2500.", "Price: enter a number such as 2500."), ct);
            int? duration = null;
            if (DashForms.Opt(form, "duration") is { } ds)
            {
                if (!int.TryParse(ds, out var dv)) return await PageAsync(c, db, null, form, c.L("Длительность: целое число минут.", "Duration: whole minutes."), ct);
                duration = dv;
            }
            var aliases = (DashForms.Opt(form, "aliases") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var staff = (DashForms.Opt(form, "staff") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var entry = new CatalogEntry(DashForms.Opt(form, "id") ?? "", DashForms.Opt(form, "name") ?? "", price.Value, currency, aliases, duration,
                staff.Length > 0 ? staff : null);
            // The catalog file's own validation (ids, names, durations) applies to a single entry too.
            var parsed = ImportCatalog.Parse(System.Text.Json.JsonSerializer.Serialize(new[] { entry }));
            if (!parsed.IsSuccess) return await PageAsync(c, db, null, form, parsed.Error!.Message, ct);
            var r = await import.HandleAsync(c.MerchantId, parsed.Value, ct);
            if (!r.IsSuccess) return await PageAsync(c, db, null, form, r.Error!.Message, ct);
            c.Flash(r.Value.Created > 0 ? c.L("Услуга добавлена.", "Service added.") : c.L("Услуга обновлена.", "Service updated."));
            return DashContext.Redirect("/dashboard/catalog");
        });
    }

    private static async Task<IResult> PageAsync(DashContext c, AppDbContext db, string? edit, IFormCollection? form, string? error, CancellationToken ct)
    {
        var services = await db.CatalogServices.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        var editing = edit is null ? null : services.FirstOrDefault(s => s.Id == edit);
        if (edit is not null && editing is null) return c.NotFound();
        string? V(string n, string? fallback) => form is not null ? form[n].ToString() : fallback;
        return c.Page(c.L("Каталог", "Catalog"), h =>
        {
            h.El("h1", c.L("Каталог услуг", "Service catalog"));
            h.Raw("<div class=\"card\"><table id=\"catalog\"><thead><tr><th scope=\"col\">").Text(c.L("Услуга", "Service")).Raw("</th><th scope=\"col\" class=\"num\">")
                .Text(c.L("Цена", "Price")).Raw("</th><th scope=\"col\" class=\"num\">").Text(c.L("Минут", "Minutes")).Raw("</th><th scope=\"col\">").Text(c.L("Мастера", "Staff"))
                .Raw("</th><th scope=\"col\">id</th></tr></thead><tbody>\n");
            foreach (var s in services)
                h.Raw("<tr><td>").Link("/dashboard/catalog?edit=" + Uri.EscapeDataString(s.Id), s.Name).Raw("</td><td class=\"num\">").Text(MoneyFormat.Short(s.Price, c.Lang))
                    .Raw("</td><td class=\"num\">").Text(s.DurationMinutes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—")
                    .Raw("</td><td class=\"staff\">").Text(s.Staff.Count == 0 ? "—" : string.Join(", ", s.Staff)).Raw("</td><td class=\"mono\">").Text(s.Id).Raw("</td></tr>\n");
            h.Raw("</tbody></table></div>\n");
            h.Raw("<div class=\"card\">").El("h2", editing is null ? c.L("Добавить услугу", "Add a service") : c.L("Изменить услугу", "Edit the service")).Error(error);
            h.Form("/dashboard/catalog", id: "catalog-form");
            h.Field(c.L("Код (латиница, цифры, - и _)", "Id (lowercase letters, digits, - and _)"), "id", V("id", editing?.Id), required: true,
                extra: editing is null ? null : "readonly");
            h.Field(c.L("Название", "Name"), "name", V("name", editing?.Name), required: true);
            h.Field(c.L("Цена", "Price"), "price", V("price", editing is null ? null : DashForms.Major(editing.PriceMinor, editing.Currency)), required: true, extra: "inputmode=\"decimal\"");
            h.Field(c.L("Длительность, минут", "Duration, minutes"), "duration", V("duration", editing?.DurationMinutes?.ToString(System.Globalization.CultureInfo.InvariantCulture)), "number");
            h.Field(c.L("Как называют клиенты (через запятую)", "What clients call it (comma-separated)"), "aliases", V("aliases", editing is null ? null : string.Join(", ", editing.Aliases)));
            h.Field(c.L("Мастера (через запятую)", "Staff (comma-separated)"), "staff", V("staff", editing is null ? null : string.Join(", ", editing.Staff)),
                hint: c.L("Имена, как их называют клиенты: «Анна, Ольга». У каждого своё расписание: запись к Анне не занимает время Ольги. Пусто — общее расписание.",
                    "First names as clients say them: \"Anna, Olga\". Each has their own schedule: a booking with Anna does not take Olga's time. Empty: one shared schedule."));
            h.Button(c.L("Сохранить", "Save"), "catalog-save").EndForm().Raw("</div>\n");
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
