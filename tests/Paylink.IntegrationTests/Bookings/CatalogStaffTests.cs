using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Catalog;
using Paylink.Core.Data;
using Paylink.IntegrationTests.Dashboard;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Bookings;

/// <summary>Staff on catalog services: the import file's "staff", the dashboard's catalog and bookings pages, on both databases.</summary>
public abstract class CatalogStaffTests<THost>(THost host) : IClassFixture<THost> where THost : BookingsHost
{
    private async Task<List<string>> StaffAsync(string merchantId, string serviceId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (await db.CatalogServices.IgnoreQueryFilters().AsNoTracking().SingleAsync(s => s.MerchantId == merchantId && s.Id == serviceId)).Staff;
    }

    private async Task ImportAsync(string merchantId, string json)
    {
        var parsed = ImportCatalog.Parse(json);
        Assert.True(parsed.IsSuccess, parsed.Error?.Message);
        await using var scope = host.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<ImportCatalog>().HandleAsync(merchantId, parsed.Value, CancellationToken.None)).IsSuccess);
    }

    [Fact]
    public async Task Import_WithStaff_StoresTheNames_ReimportWithoutStaffClearsThem()
    {
        var m = await host.NewMerchantAsync();
        await ImportAsync(m.Merchant.Id, """[{"id":"cut","name":"Стрижка","priceMinor":150000,"currency":"RUB","durationMinutes":45,"staff":[" Анна ","Ольга","анна"]}]""");
        Assert.Equal(["Анна", "Ольга"], await StaffAsync(m.Merchant.Id, "cut"));
        await ImportAsync(m.Merchant.Id, """[{"id":"cut","name":"Стрижка","priceMinor":150000,"currency":"RUB","durationMinutes":45}]""");
        Assert.Empty(await StaffAsync(m.Merchant.Id, "cut"));
    }

    [Fact]
    public void Import_TooLongStaffName_NamesTheField()
    {
        var r = ImportCatalog.Parse($$"""[{"id":"cut","name":"Стрижка","priceMinor":1,"currency":"RUB","staff":["{{new string('a', 101)}}"]}]""");
        Assert.False(r.IsSuccess);
        Assert.Contains("[0].staff", r.Error!.Fields!.Keys);
    }

    [Fact]
    public async Task Dashboard_EditsStaff_ShowsThemInTheCatalogAndTheBookingsPage()
    {
        var user = await host.NewUserAsync();
        var c = await host.SignedInAsync(user);
        await c.PageAsync("/dashboard/catalog");
        var saved = await c.PostAsync("/dashboard/catalog", ("id", "massage"), ("name", "Массаж спины"), ("price", "3200"), ("duration", "60"), ("staff", "Анна, Ольга"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(["Анна", "Ольга"], await StaffAsync(user.MerchantId, "massage"));
        var page = await c.PageAsync("/dashboard/catalog");
        Assert.Contains("<td class=\"staff\">Анна, Ольга</td>", page);
        Assert.Contains("Мастера (через запятую)", page);
        Assert.Contains("value=\"Анна, Ольга\"", await c.PageAsync("/dashboard/catalog?edit=massage"));

        await c.PostAsync("/dashboard/catalog", ("id", "massage"), ("name", "Массаж спины"), ("price", "3200"), ("duration", "60"), ("staff", "Ольга"));
        Assert.Equal(["Ольга"], await StaffAsync(user.MerchantId, "massage"));

        var api = host.Client(user.ApiKey);
        await host.BookAsync(api, "2026-11-19T12:00:00+03:00", "massage", staff: "Ольга");
        await host.BookAsync(api, "2026-11-19T12:00:00+03:00", "massage", staff: "Анна", phone: "+79161234500");
        var day = await c.PageAsync("/dashboard/bookings?day=2026-11-19");
        Assert.Contains("<td class=\"staff\">Ольга</td>", day);
        Assert.Contains("<td class=\"staff\">Анна</td>", day);
    }
}

public sealed class CatalogStaffSqliteTests(BookingsSqliteHost host) : CatalogStaffTests<BookingsSqliteHost>(host);
public sealed class CatalogStaffPostgresTests(BookingsPostgresHost host) : CatalogStaffTests<BookingsPostgresHost>(host);
