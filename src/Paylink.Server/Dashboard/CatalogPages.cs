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
        return c.Page<CatalogPage>(new { Services = services, Editing = editing, Form = form, Error = error },
            error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
