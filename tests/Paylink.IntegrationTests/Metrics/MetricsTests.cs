using System.Net;
using Microsoft.EntityFrameworkCore;
using System.Text.Json;
using Paylink.IntegrationTests.Bookings;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Metrics;

/// <summary>GET /api/v1/metrics over a small scripted day (docs/metrics.md formulas), on both databases.</summary>
public abstract class MetricsTests<THost>(THost host) : IClassFixture<THost> where THost : BookingsHost
{
    private async Task PayAsync(HttpClient api, string linkId)
    {
        var link = await (await api.GetAsync("/api/v1/links/" + linkId)).ReadJsonAsync(HttpStatusCode.OK);
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, pay.StatusCode);
        await host.Client().PostAsync(pay.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
    }

    [Fact]
    public async Task Day_FunnelConversionTimeToPaymentPrepaymentNoShow()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(host.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).DateTime);
        var a = await host.BookAsync(api, "2026-11-19T15:00:00+03:00", phone: "+79160000001", extra: ""","prepayment":{}""");
        var b = await host.BookAsync(api, "2026-11-19T17:00:00+03:00", phone: "+79160000002", extra: ""","prepayment":{"amount":100000}""");
        var c = await host.BookAsync(api, "2026-11-19T12:00:00+03:00", service: "massage", phone: "+79160000003");
        var d = await api.CreateLinkAsync(150000);
        await host.DrainAsync();

        host.Clock.Advance(TimeSpan.FromMinutes(42));
        await PayAsync(api, a.GetProperty("linkId").GetString()!);   // 42 min after creation
        host.Clock.Advance(TimeSpan.FromMinutes(18));
        await PayAsync(api, d.GetProperty("id").GetString()!);       // 60 min after creation
        // Opened but never paid.
        await host.Client().GetAsync(new Uri((await (await api.GetAsync("/api/v1/links/" + b.GetProperty("linkId").GetString())).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("url").GetString()!).PathAndQuery);
        await host.DrainAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/bookings/{a.GetProperty("id").GetString()}/complete", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/bookings/{c.GetProperty("id").GetString()}/no-show", null)).StatusCode);
        await host.DrainAsync();

        var m = await (await api.GetAsync($"/api/v1/metrics?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}")).ReadJsonAsync(HttpStatusCode.OK);
        var total = m.GetProperty("total");
        Assert.Equal(3, total.GetProperty("links").GetInt32());
        Assert.Equal(3, total.GetProperty("opened").GetInt32());           // paying implies opening
        Assert.Equal(2, total.GetProperty("checkoutStarted").GetInt32());
        Assert.Equal(2, total.GetProperty("paid").GetInt32());
        Assert.Equal(250000 + 150000, total.GetProperty("paidMinor").GetInt64());
        Assert.Equal(2520, total.GetProperty("timeToPaymentP50Seconds").GetDouble());   // nearest rank of [2520, 3600]
        Assert.Equal(3600, total.GetProperty("timeToPaymentP90Seconds").GetDouble());
        Assert.Equal(3, total.GetProperty("requests").GetInt32());          // one CRM deal per booking; the bare link has no client
        Assert.Equal(1, total.GetProperty("requestsPaid").GetInt32());
        Assert.Equal(0.3333, total.GetProperty("conversionRequestToPayment").GetDouble());
        Assert.Equal(0, total.GetProperty("refundShare").GetDouble());

        var bookings = m.GetProperty("bookings");
        Assert.Equal(0, bookings.GetProperty("bookings").GetInt32());       // visits are tomorrow, not in this period
        var next = await (await api.GetAsync($"/api/v1/metrics?from={day.AddDays(1):yyyy-MM-dd}&to={day.AddDays(1):yyyy-MM-dd}")).ReadJsonAsync(HttpStatusCode.OK);
        bookings = next.GetProperty("bookings");
        Assert.Equal(3, bookings.GetProperty("bookings").GetInt32());
        Assert.Equal(1, bookings.GetProperty("prepaid").GetInt32());
        Assert.Equal(0.3333, bookings.GetProperty("prepaymentShare").GetDouble());
        Assert.Equal(0.5, bookings.GetProperty("noShowRate").GetDouble());  // 1 no-show of 2 finished visits
        var unassigned = Assert.Single(next.GetProperty("bookingsByStaff").EnumerateArray());   // no staff given: one "none" row, same figures
        Assert.Equal("none", unassigned.GetProperty("staff").GetString());
        Assert.Equal(3, unassigned.GetProperty("bookings").GetInt32());
        Assert.Equal(0.5, unassigned.GetProperty("noShowRate").GetDouble());

        var byService = m.GetProperty("byService").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal(2, byService["manicure"].GetProperty("links").GetInt32());
        Assert.Equal(1, byService["manicure"].GetProperty("paid").GetInt32());
        Assert.Equal(1, byService["massage"].GetProperty("requests").GetInt32());
        Assert.Equal(0, byService["massage"].GetProperty("links").GetInt32());
        var byDay = Assert.Single(m.GetProperty("byDay").EnumerateArray());
        Assert.Equal(day.ToString("yyyy-MM-dd"), byDay.GetProperty("key").GetString());
        Assert.Equal("none", Assert.Single(m.GetProperty("byChannel").EnumerateArray()).GetProperty("key").GetString());

        var scrape = await (await host.Client().GetAsync("/metrics")).Content.ReadAsStringAsync();
        var mine = scrape.Split('\n').Where(l => l.Contains($"merchant=\"{MerchantOf(a)}\"", StringComparison.Ordinal)).ToList();
        Assert.Contains(mine, l => l.StartsWith("paylink_link_events_total{", StringComparison.Ordinal) && l.Contains("type=\"paid\"") && l.EndsWith(" 2", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("paylink_link_events_total{", StringComparison.Ordinal) && l.Contains("type=\"created\"") && l.EndsWith(" 3", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("paylink_paid_amount_total{", StringComparison.Ordinal) && l.Contains("currency=\"RUB\"") && l.EndsWith(" 400000", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("paylink_time_to_payment_seconds_count{", StringComparison.Ordinal) && l.EndsWith(" 2", StringComparison.Ordinal));

        var csv = await api.GetAsync($"/api/v1/metrics?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}&format=csv");
        Assert.Equal("text/csv; charset=utf-8", csv.Content.Headers.ContentType?.ToString());
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.TrimEntries);
        Assert.StartsWith("dimension;key;requests;requests_paid;conversion_request_to_payment;links;sent;opened", lines[0]);
        Assert.Equal("total;total;3;1;0,3333;3;0;3;2;2;;2520;3600;4000,00;0,00;0", lines[1]);
    }

    private string MerchantOf(JsonElement booking)
    {
        using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(host.Services);
        var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Paylink.Core.Data.AppDbContext>(scope.ServiceProvider);
        var id = booking.GetProperty("id").GetString();
        return db.Bookings.IgnoreQueryFilters().Where(b => b.Id == id).Select(b => b.MerchantId).Single();
    }

    [Theory]
    [InlineData("", "from")]
    [InlineData("?from=2026-11-18", "to")]
    [InlineData("?from=18.11.2026&to=2026-11-18", "from")]
    [InlineData("?from=2026-11-18&to=2026-11-17", "to")]
    [InlineData("?from=2025-01-01&to=2026-11-18", "to")]
    [InlineData("?from=2026-11-18&to=2026-11-18&format=xml", "format")]
    public async Task BadPeriod_Is422NamingTheField(string query, string field)
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        await (await api.GetAsync("/api/v1/metrics" + query)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, field);
    }

    [Fact]
    public async Task OtherMerchantsData_NotCounted()
    {
        var (_, mine) = await host.MerchantWithCatalogAsync();
        var (_, theirs) = await host.MerchantWithCatalogAsync();
        await theirs.CreateLinkAsync(1000);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(host.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).DateTime);
        var m = await (await mine.GetAsync($"/api/v1/metrics?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, m.GetProperty("total").GetProperty("links").GetInt32());
        Assert.Equal(JsonValueKind.Null, m.GetProperty("total").GetProperty("conversionSentToPaid").ValueKind);
    }
}

public sealed class MetricsSqliteTests(BookingsSqliteHost host) : MetricsTests<BookingsSqliteHost>(host);
public sealed class MetricsPostgresTests(BookingsPostgresHost host) : MetricsTests<BookingsPostgresHost>(host);
