using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Bookings;
using Paylink.Core.Data;
using Paylink.IntegrationTests.Gateways;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Bookings;

/// <summary>Bookings: validation, overlap per staff, status machine, prepayment confirms, visit done issues the closing receipt.</summary>
public abstract class BookingsTests<THost>(THost host) : IClassFixture<THost> where THost : BookingsHost
{
    // PaylinkHost.Start is 2026-11-18 07:00 UTC = 10:00 Moscow.
    private const string Tomorrow15 = "2026-11-19T15:00:00+03:00";

    [Fact]
    public async Task Create_TakesDurationAndPriceFromCatalog_ShowsMerchantZone()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var b = await host.BookAsync(api, Tomorrow15, "massage");
        Assert.Equal("pending", b.GetProperty("status").GetString());
        Assert.Equal("2026-11-19T12:00:00Z", b.GetProperty("start").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        Assert.Equal("2026-11-19T16:30:00+03:00", b.GetProperty("localEnd").GetString());
        Assert.Equal(400000, b.GetProperty("price").GetInt64());
        Assert.Equal("Europe/Moscow", b.GetProperty("timeZone").GetString());
        var got = await (await api.GetAsync("/api/v1/bookings/" + b.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(b.GetProperty("customerId").GetString(), got.GetProperty("customerId").GetString());
    }

    [Theory]
    [InlineData("""{"serviceId":"manicure","start":"2026-11-19T15:00:00+03:00"}""", "customer")]
    [InlineData("""{"customer":{"phone":"12"},"serviceId":"manicure","start":"2026-11-19T15:00:00+03:00"}""", "customer.phone")]
    [InlineData("""{"customer":{"phone":"+79161234567"},"serviceId":"nope","start":"2026-11-19T15:00:00+03:00"}""", "serviceId")]
    [InlineData("""{"customer":{"phone":"+79161234567"},"serviceId":"consult","start":"2026-11-19T15:00:00+03:00"}""", "serviceId")]
    [InlineData("""{"customer":{"phone":"+79161234567"},"serviceId":"manicure","start":"2020-01-01T10:00:00+03:00"}""", "start")]
    [InlineData("""{"customerId":"cus_nope","serviceId":"manicure","start":"2026-11-19T15:00:00+03:00"}""", "customerId")]
    [InlineData("""{"customer":{"phone":"+79161234567"},"serviceId":"manicure","start":"2026-11-19T15:00:00+03:00","prepayment":{"amount":999999999}}""", "prepayment.amount")]
    public async Task Create_BadInput_422NamesFieldAndWritesNothing(string body, string field)
    {
        var (merchantId, api) = await host.MerchantWithCatalogAsync();
        await (await api.PostJsonAsync("/api/v1/bookings", body)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, field);
        await using var scope = host.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Bookings.CountAsync(b => b.MerchantId == merchantId));
    }

    [Fact]
    public async Task Create_OverlapSameStaff_409NamesConflict_OtherStaffAndCancelledFree()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var first = await host.BookAsync(api, Tomorrow15, staff: "Анна");
        var clash = await api.PostJsonAsync("/api/v1/bookings",
            """{"customer":{"phone":"+79160000001"},"serviceId":"massage","start":"2026-11-19T14:30:00+03:00","staff":"Анна"}""");
        var problem = await clash.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot_taken", problem.GetProperty("code").GetString());
        Assert.Contains(first.GetProperty("id").GetString()!, problem.GetProperty("detail").GetString());
        // Back to back is fine; another staff member at the same time is fine.
        await host.BookAsync(api, "2026-11-19T16:00:00+03:00", staff: "Анна", phone: "+79160000002");
        await host.BookAsync(api, Tomorrow15, staff: "Ольга", phone: "+79160000003");
        // Cancelling frees the slot.
        await (await api.PostAsync($"/api/v1/bookings/{first.GetProperty("id").GetString()}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);
        await host.BookAsync(api, "2026-11-19T14:30:00+03:00", "massage", staff: "Анна", phone: "+79160000004");
    }

    [Fact]
    public async Task StatusMachine_LegalMovesRepeatable_IllegalAre409()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var id = (await host.BookAsync(api, Tomorrow15)).GetProperty("id").GetString();
        Assert.Equal("confirmed", (await (await api.PostAsync($"/api/v1/bookings/{id}/confirm", null)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("visit_done", (await (await api.PostAsync($"/api/v1/bookings/{id}/complete", null)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("visit_done", (await (await api.PostAsync($"/api/v1/bookings/{id}/complete", null)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        await (await api.PostAsync($"/api/v1/bookings/{id}/no-show", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await api.PostAsync($"/api/v1/bookings/{id}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        var other = (await host.BookAsync(api, "2026-11-20T15:00:00+03:00")).GetProperty("id").GetString();
        Assert.Equal("no_show", (await (await api.PostAsync($"/api/v1/bookings/{other}/no-show", null)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        await (await api.PostAsync($"/api/v1/bookings/{other}/confirm", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        var list = await (await api.GetAsync("/api/v1/bookings?from=2026-11-19T00:00:00%2B03:00&to=2026-11-21T00:00:00%2B03:00&status=no_show")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(other, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        await (await api.GetAsync("/api/v1/bookings?status=later")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "status");
    }

    [Fact]
    public async Task Export_BadPeriod422_FormulasDefused_OtherMerchantsInvisible()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        await (await api.GetAsync("/api/v1/payments/export?from=2026-11-18")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "to");
        await (await api.GetAsync("/api/v1/payments/export?from=yesterday&to=2026-11-18")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "from");
        await (await api.GetAsync("/api/v1/payments/export?from=2026-11-18&to=2026-11-18&format=xlsx")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "format");
        await (await api.GetAsync("/api/v1/payments/export?from=2025-01-01&to=2026-11-18")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "to");
        var link = await (await api.PostJsonAsync("/api/v1/links", "{\"amount\":1000,\"currency\":\"RUB\",\"description\":\"=HYPERLINK(1);\\\"x\\\"\"}")).ReadJsonAsync(HttpStatusCode.Created);
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        await host.Client().PostAsync(pay.Headers.Location!.PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        var csv = await (await api.GetAsync("/api/v1/payments/export?from=2026-11-18T00:00:00%2B03:00&to=2026-11-19T00:00:00%2B03:00")).Content.ReadAsStringAsync();
        Assert.Contains(";\"'=HYPERLINK(1);\"\"x\"\"\";", csv);
        Assert.Contains(";10,00;RUB;sandbox;", csv);
        Assert.Contains(";no;;;;;;", csv);
        var (_, other) = await host.MerchantWithCatalogAsync();
        var empty = await (await other.GetAsync("/api/v1/payments/export?from=2026-11-18&to=2026-11-18")).Content.ReadAsStringAsync();
        Assert.Single(empty.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Entity_StatusMachine_EnforcedByMethods()
    {
        var b = Booking.Create("m", "c", "s", "S", null, PaylinkHost.Start.AddDays(1), PaylinkHost.Start.AddDays(1).AddHours(1),
            new Paylink.Core.Common.Money(100, "RUB"), host.Clock);
        Assert.True(b.Cancel(host.Clock.GetUtcNow()).Value);
        Assert.False(b.Cancel(host.Clock.GetUtcNow()).Value);
        Assert.False(b.Confirm(host.Clock.GetUtcNow()).IsSuccess);
        Assert.False(b.Complete(host.Clock.GetUtcNow()).IsSuccess);
        Assert.Equal(BookingStatus.Cancelled, b.Status);
    }

    [Fact]
    public async Task Prepayment_PaidLinkConfirmsBooking()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var b = await host.BookAsync(api, Tomorrow15, extra: ""","prepayment":{"amount":50000}""");
        var linkId = b.GetProperty("linkId").GetString()!;
        var link = await (await api.GetAsync("/api/v1/links/" + linkId)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(50000, link.GetProperty("amount").GetInt64());
        Assert.Equal(b.GetProperty("id").GetString(), link.GetProperty("orderId").GetString());
        Assert.Equal(b.GetProperty("id").GetString(), link.GetProperty("metadata").GetProperty("bookingId").GetString());

        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        var checkout = pay.Headers.Location!.ToString();
        await host.Client().PostAsync(new Uri(checkout).PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        await host.DrainAsync();
        var got = await (await api.GetAsync("/api/v1/bookings/" + b.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", got.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Prepayment_PayPageShowsPrepaymentClientAndCurrentVisit_LinkExpiryFollowsTheVisit()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        // The default 72 h lifetime would outlive a visit tomorrow: the link expires when the visit starts.
        var b = await host.BookAsync(api, Tomorrow15, extra: ""","prepayment":{"amount":50000}""");
        var bookingId = b.GetProperty("id").GetString()!;
        var linkPath = "/api/v1/links/" + b.GetProperty("linkId").GetString();
        var start = DateTimeOffset.Parse(Tomorrow15, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(start, (await (await api.GetAsync(linkPath)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("expiresAt").GetDateTimeOffset());
        var page = new Uri((await (await api.GetAsync(linkPath)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("url").GetString()!).PathAndQuery;
        var html = await host.Client().GetStringAsync(page);
        Assert.Contains("<span id=\"kind\">Предоплата</span>: Маникюр с покрытием", html);
        Assert.Contains("Анна, здравствуйте!", html);
        Assert.DoesNotContain("<table aria-label", html);   // no line «Маникюр … 500 ₽» that reads as the service's price
        Assert.Contains(Paylink.Core.Common.DateFormat.DateTime(start, moscow), html);
        Assert.Contains("<title>Prepayment ·", await host.Client().GetStringAsync(page + "?lang=en"));

        // Moved earlier: the page shows the new time (not the link's description) and the expiry moves with the visit.
        var earlier = start.AddHours(-4);
        await RescheduleAsync(bookingId, earlier);
        Assert.Equal(earlier, (await (await api.GetAsync(linkPath)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("expiresAt").GetDateTimeOffset());
        html = await host.Client().GetStringAsync(page);
        Assert.Contains(Paylink.Core.Common.DateFormat.DateTime(earlier, moscow), html);
        Assert.DoesNotContain("<p id=\"visit\">Ваша запись: " + Paylink.Core.Common.DateFormat.DateTime(start, moscow), html);
        // Moved later: the expiry is not extended past what was promised.
        await RescheduleAsync(bookingId, start.AddDays(1));
        Assert.Equal(earlier, (await (await api.GetAsync(linkPath)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Contains(Paylink.Core.Common.DateFormat.DateTime(start.AddDays(1), moscow), await host.Client().GetStringAsync(page));

        // Cancelled visit: the open link is cancelled with it and cannot be paid.
        await (await api.PostAsync($"/api/v1/bookings/{bookingId}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", (await (await api.GetAsync(linkPath)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        var pay = await host.Client().PostAsync(page + "/pay", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Conflict, pay.StatusCode);
    }

    [Fact]
    public async Task Prepayment_PaidLinkIsNotCancelledOrMovedWithTheBooking()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var b = await host.BookAsync(api, "2026-11-21T15:00:00+03:00", extra: ""","prepayment":{}""");
        var linkPath = "/api/v1/links/" + b.GetProperty("linkId").GetString();
        var link = await (await api.GetAsync(linkPath)).ReadJsonAsync(HttpStatusCode.OK);
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        await host.Client().PostAsync(new Uri(pay.Headers.Location!.ToString()).PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        await host.DrainAsync();
        var expires = (await (await api.GetAsync(linkPath)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("expiresAt").GetDateTimeOffset();
        await RescheduleAsync(b.GetProperty("id").GetString()!, DateTimeOffset.Parse("2026-11-19T09:00:00+03:00", System.Globalization.CultureInfo.InvariantCulture));
        await (await api.PostAsync($"/api/v1/bookings/{b.GetProperty("id").GetString()}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);
        var after = await (await api.GetAsync(linkPath)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", after.GetProperty("status").GetString());
        Assert.Equal(expires, after.GetProperty("expiresAt").GetDateTimeOffset());
    }

    private async Task RescheduleAsync(string bookingId, DateTimeOffset start)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var moved = await scope.ServiceProvider.GetRequiredService<RescheduleBooking>().HandleAsync(bookingId, start, CancellationToken.None);
        Assert.True(moved.IsSuccess, moved.Error?.Message);
    }
}

public sealed class BookingsSqliteTests(BookingsSqliteHost host) : BookingsTests<BookingsSqliteHost>(host);
public sealed class BookingsPostgresTests(BookingsPostgresHost host) : BookingsTests<BookingsPostgresHost>(host);

/// <summary>Unpaid prepayment links running out: days pass, so these tests have a host (and clock) of their own.</summary>
public abstract class BookingExpiryTests<THost>(THost host) : IClassFixture<THost> where THost : BookingsHost
{
    [Fact]
    public async Task Prepayment_ExpiredUnpaidBeforeTheVisit_CancelsBooking_FreesTheSlot()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var start = host.Clock.GetUtcNow().AddDays(5);
        var startText = start.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", System.Globalization.CultureInfo.InvariantCulture);
        var b = await host.BookAsync(api, startText, extra: ""","prepayment":{}""");
        var late = await host.BookAsync(api, start.AddHours(3).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", System.Globalization.CultureInfo.InvariantCulture),
            phone: "+79160000009", extra: ""","prepayment":{"expiresAt":"{{EXP}}"}""".Replace("{{EXP}}", start.AddHours(4).ToString("O", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        host.Clock.Advance(TimeSpan.FromHours(73));   // the default 72 h lifetime is over, the visit is still ahead
        await ExpireAsync();
        var got = await (await api.GetAsync("/api/v1/bookings/" + b.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", got.GetProperty("status").GetString());
        await host.BookAsync(api, startText, phone: "+79160000008");   // the slot is free again

        // A link that runs out after the visit started leaves the booking to the merchant.
        host.Clock.Advance(TimeSpan.FromDays(3));
        await ExpireAsync();
        var after = await (await api.GetAsync("/api/v1/bookings/" + late.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("pending", after.GetProperty("status").GetString());
    }

    private async Task ExpireAsync()
    {
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Paylink.Core.PaymentLinks.ExpirePaymentLinks>().RunAsync(CancellationToken.None);
        await host.DrainAsync();
    }
}

public sealed class BookingExpirySqliteTests(BookingsSqliteHost host) : BookingExpiryTests<BookingsSqliteHost>(host);
public sealed class BookingExpiryPostgresTests(BookingsPostgresHost host) : BookingExpiryTests<BookingsPostgresHost>(host);

/// <summary>A prepaid visit marked done gets its closing (settlement) receipt through T-Bank's cash register.</summary>
public abstract class BookingReceiptTests<THost>(THost host) : IClassFixture<THost>, IAsyncLifetime where THost : BookingsHost
{
    private FakeTBank _bank = null!;

    public async Task InitializeAsync() => _bank = await FakeTBank.StartAsync();
    public async Task DisposeAsync() => await _bank.DisposeAsync();

    [Fact]
    public async Task Complete_PrepaidVisit_IssuesClosingReceiptOnce()
    {
        var (_, api) = await host.MerchantWithCatalogAsync();
        var settings = $$"""{"terminalKey":"{{FakeTBank.TerminalKey}}","password":"{{FakeTBank.Password}}","baseUrl":"{{_bank.Url}}"}""";
        var account = (await (await api.PostJsonAsync("/api/v1/gateway-accounts", $$$"""{"provider":"tbank","name":"Т-Банк","settings":{{{settings}}}}"""))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        (await api.PutAsync("/api/v1/fiscal-settings", HttpAssert.Json("""{"receiptsEnabled":true,"taxSystem":"usn_income","defaultVat":"none","paymentMethod":"full_prepayment","defaultPaymentObject":"service","defaultMeasure":"piece","ffdVersion":"1.2"}"""))).EnsureSuccessStatusCode();
        var b = await host.BookAsync(api, "2026-11-19T15:00:00+03:00", extra: $$""","prepayment":{"gateway":"{{account}}"}""");
        var id = b.GetProperty("id").GetString();
        var link = await (await api.GetAsync("/api/v1/links/" + b.GetProperty("linkId").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        var pay = await host.Client().PostAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery + "/pay", new FormUrlEncodedContent([]));
        var paymentId = pay.Headers.Location!.Segments.Last();
        var order = Assert.Single(_bank.Calls("Init"))["OrderId"]!.GetValue<string>();
        var notify = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/tbank/{account}") { Content = new ByteArrayContent(FakeTBank.Notification(order, paymentId, "CONFIRMED", 250000)) };
        notify.Content.Headers.ContentType = new("application/json");
        Assert.Equal("OK", await (await host.Client().SendAsync(notify)).Content.ReadAsStringAsync());
        Assert.Equal("confirmed", (await (await api.GetAsync("/api/v1/bookings/" + id)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Empty(_bank.Calls("SendClosingReceipt"));

        await (await api.PostAsync($"/api/v1/bookings/{id}/complete", null)).ReadJsonAsync(HttpStatusCode.OK);
        await (await api.PostAsync($"/api/v1/bookings/{id}/complete", null)).ReadJsonAsync(HttpStatusCode.OK);
        await host.DrainAsync();
        var closing = Assert.Single(_bank.Calls("SendClosingReceipt"));
        Assert.Equal(paymentId, closing["PaymentId"]!.ToString());
        var item = closing["Receipt"]!["Items"]![0]!;
        Assert.Equal("full_payment", item["PaymentMethod"]!.GetValue<string>());
        Assert.Equal(250000, item["Amount"]!.GetValue<long>());
        var settled = await (await api.GetAsync("/api/v1/links/" + b.GetProperty("linkId").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Null, settled.GetProperty("settledAt").ValueKind);

        // The accountant's export: payment, closing receipt and a partial refund with their 54-FZ attributes.
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        var refund = await api.PostJsonAsync($"/api/v1/links/{b.GetProperty("linkId").GetString()}/refunds", """{"amount":50000}""");
        await refund.ReadJsonAsync(HttpStatusCode.Created);
        var export = await api.GetAsync("/api/v1/payments/export?from=2026-11-18&to=2026-11-18&format=csv");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType!.MediaType);
        Assert.Contains("payments_20261118_20261118.csv", export.Content.Headers.ContentDisposition!.ToString());
        var bytes = await export.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(';', Paylink.Core.Payments.ExportPayments.Columns), lines[0]);
        Assert.Equal(4, lines.Length);
        var rows = lines[1..].Select(l => l.Split(';')).ToList();
        var payment = rows.Single(r => r[1] == "payment");
        Assert.Equal(["2026-11-18 10:00:00", "250000"], [payment[0], payment[8].Replace(",", "", StringComparison.Ordinal)]);
        Assert.Equal(["2500,00", "RUB", "tbank", paymentId, "captured", "yes", "income", "usn_income", "full_prepayment", "service", "none", "1.2", "card"],
            payment[8..]);
        Assert.Equal("anna@example.com", payment[7]);
        var settlement = rows.Single(r => r[1] == "settlement");
        Assert.Equal(["2500,00", "settlement", "full_payment"], [settlement[8], settlement[14], settlement[16]]);
        var back = rows.Single(r => r[1] == "refund");
        Assert.Equal(["2026-11-18 10:10:00", "-500,00", "succeeded", "income_return", "card"], [back[0], back[8], back[12], back[14], back[20]]);
    }
}

public sealed class BookingReceiptSqliteTests(BookingsSqliteHost host) : BookingReceiptTests<BookingsSqliteHost>(host);
public sealed class BookingReceiptPostgresTests(BookingsPostgresHost host) : BookingReceiptTests<BookingsPostgresHost>(host);
