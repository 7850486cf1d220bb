using System.Net;
using Paylink.IntegrationTests.Dashboard;
using Paylink.IntegrationTests.Infrastructure;
using UglyToad.PdfPig;

namespace Paylink.IntegrationTests.Documents;

/// <summary>Счета: issue, numbering without gaps under concurrency, the PDF read back, the QR string, card payment, cancel, tenancy.</summary>
public abstract class InvoicesTests<THost>(THost host) : IClassFixture<THost> where THost : PaylinkHost
{
    public const string InvoiceJson = """
        {"buyer":{"name":"ООО «Вектор»","inn":"7736207543","kpp":"770401001","address":"г. Москва, ул. Льва Толстого, д. 16","email":"buh@vector.example"},
         "items":[{"name":"Консультация по налогам","quantity":2,"unit":"ч","price":610000,"vat":"vat22"},
                  {"name":"Письменное заключение","quantity":1,"price":1000000}]}
        """;

    internal static async Task<HttpClient> MerchantWithRequisitesAsync(THost host)
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        await (await c.PutJsonAsync("/api/v1/requisites", RequisitesTests<THost>.CompanyJson)).ReadJsonAsync(HttpStatusCode.OK);
        return c;
    }

    internal static string PdfText(byte[] pdf)
    {
        using var doc = PdfDocument.Open(pdf);
        return string.Join("\n", doc.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text)))).Replace('\u00a0', ' ');
    }

    internal static Dictionary<string, string> ParseQr(string payload)
    {
        var parts = payload.Split('|');
        Assert.Equal("ST00012", parts[0]);
        return parts.Skip(1).Select(p => p.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
    }

    [Fact]
    public async Task Create_NumbersFromOne_PdfReadsBack_QrHasTheRequisites()
    {
        var c = await MerchantWithRequisitesAsync(host);
        var inv = await (await c.PostJsonAsync("/api/v1/invoices", InvoiceJson)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("1", inv.GetProperty("number").GetString());
        Assert.Equal("open", inv.GetProperty("status").GetString());
        Assert.Equal(2_220_000, inv.GetProperty("amount").GetInt64());
        // 12 200 ₽ incl. 22 % = 2 200 ₽; the second line takes the requisites' default (vat22): 10 000 × 22/122 = 1 803,28.
        Assert.Equal(220_000 + 180_328, inv.GetProperty("vatAmount").GetInt64());
        Assert.Equal("2026-11-18", inv.GetProperty("issueDate").GetString());
        Assert.Equal("2026-11-23", inv.GetProperty("dueDate").GetString());   // requisites' dueDays = 5
        Assert.Equal("Двадцать две тысячи двести рублей 00 копеек", inv.GetProperty("amountInWords").GetString());
        var purpose = inv.GetProperty("purpose").GetString()!;
        Assert.StartsWith("Оплата по счёту № 1 от 18.11.2026.", purpose);

        var qr = ParseQr(inv.GetProperty("qrPayload").GetString()!);
        Assert.Equal("ООО «Ромашка»", qr["Name"]);
        Assert.Equal("40702810638000000000", qr["PersonalAcc"]);
        Assert.Equal("044525225", qr["BIC"]);
        Assert.Equal("30101810400000000225", qr["CorrespAcc"]);
        Assert.Equal("7707083893", qr["PayeeINN"]);
        Assert.Equal("773601001", qr["KPP"]);
        Assert.Equal("2220000", qr["Sum"]);
        Assert.Equal(purpose, qr["Purpose"]);
        Assert.Equal("7736207543", qr["PayerINN"]);

        var second = await (await c.PostJsonAsync("/api/v1/invoices", InvoiceJson)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("2", second.GetProperty("number").GetString());

        var pdf = await c.GetAsync($"/api/v1/invoices/{inv.GetProperty("id").GetString()}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var text = PdfText(await pdf.Content.ReadAsByteArrayAsync());
        foreach (var expected in new[]
                 {
                     "Счёт на оплату № 1 от 18.11.2026", "ПАО Сбербанк", "044525225", "30101810400000000225", "40702810638000000000",
                     "ИНН 7707083893", "КПП 773601001", "ООО «Вектор»", "7736207543", "Консультация по налогам", "Письменное заключение",
                     "6 100,00", "12 200,00", "10 000,00", "Итого: 22 200,00", "В том числе НДС 22 %: 4 003,28", "Всего к оплате: 22 200,00",
                     "Двадцать две тысячи двести рублей 00 копеек", "Оплатить до 23.11.2026", "Оплата по счёту № 1 от 18.11.2026.",
                     "Генеральный директор", "Иванов Иван Иванович", inv.GetProperty("payUrl").GetString()!,
                 })
            Assert.Contains(expected, text);
    }

    [Fact]
    public async Task Create_FractionalQuantities_LinesRoundToKopecks_SumToTheTotal_PdfShowsRussianDecimals()
    {
        var c = await MerchantWithRequisitesAsync(host);
        var inv = await (await c.PostJsonAsync("/api/v1/invoices", """
            {"buyer":{"name":"ООО «Вектор»","inn":"7736207543","kpp":"770401001"},
             "items":[{"name":"Консультация","quantity":1.5,"unit":"ч","price":333333,"vat":"vat22"},
                      {"name":"Сыр","quantity":0.25,"unit":"кг","price":103,"vat":"vat10"},
                      {"name":"Доставка","quantity":2,"unit":"усл.","price":50000,"vat":"none"}]}
            """)).ReadJsonAsync(HttpStatusCode.Created);
        var items = inv.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(1.5m, items[0].GetProperty("quantity").GetDecimal());
        Assert.Equal([500_000L, 26L, 100_000L], items.Select(i => i.GetProperty("amount").GetInt64()));
        Assert.Equal([90_164L, 2L, 0L], items.Select(i => i.GetProperty("vatAmount").GetInt64()));
        Assert.Equal(600_026, inv.GetProperty("amount").GetInt64());
        Assert.Equal(90_166, inv.GetProperty("vatAmount").GetInt64());
        Assert.Equal("600026", ParseQr(inv.GetProperty("qrPayload").GetString()!)["Sum"]);
        // The card/SBP link takes exactly the same money; a fractional line is one unit of «name (1,5 ч)».
        var link = await (await c.GetAsync("/api/v1/links/" + inv.GetProperty("linkId").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(600_026, link.GetProperty("amount").GetInt64());

        var id = inv.GetProperty("id").GetString();
        var text = PdfText(await (await c.GetAsync($"/api/v1/invoices/{id}/pdf")).Content.ReadAsByteArrayAsync());
        foreach (var expected in new[] { "1,5 ч", "0,25 кг", "3 333,33", "5 000,00", "0,26", "1,03", "Итого: 6 000,26", "Всего к оплате: 6 000,26",
                     "Шесть тысяч рублей 26 копеек" })
            Assert.Contains(expected, text);
        await (await c.PostAsync($"/api/v1/invoices/{id}/act", null)).ReadJsonAsync(HttpStatusCode.OK);
        var act = PdfText(await (await c.GetAsync($"/api/v1/invoices/{id}/act/pdf")).Content.ReadAsByteArrayAsync());
        Assert.Contains("1,5 ч", act);
        Assert.Contains("Итого: 6 000,26", act);
        var csv = await (await c.GetAsync("/api/v1/documents/export?from=2026-11-01&to=2026-11-30")).Content.ReadAsStringAsync();
        Assert.Contains(";Консультация;1,5;ч;3333,33;5000,00;22;", csv);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.2345")]
    [InlineData("1000000")]
    public async Task Create_BadQuantity_422_NamesTheField(string qty)
    {
        var c = await MerchantWithRequisitesAsync(host);
        await (await c.PostJsonAsync("/api/v1/invoices", InvoiceJson.Replace("\"quantity\":2", "\"quantity\":" + qty, StringComparison.Ordinal)))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "items[0].quantity");
        Assert.Equal(0, (await (await c.GetAsync("/api/v1/invoices")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Create_NoRequisites_Or_BadBuyer_422_AndNothingWritten()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        await (await c.PostJsonAsync("/api/v1/invoices", InvoiceJson)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "requisites");
        await (await c.PutJsonAsync("/api/v1/requisites", RequisitesTests<THost>.CompanyJson)).ReadJsonAsync(HttpStatusCode.OK);
        await (await c.PostJsonAsync("/api/v1/invoices", InvoiceJson.Replace("7736207543", "7736207544", StringComparison.Ordinal)))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buyer.inn");
        await (await c.PostJsonAsync("/api/v1/invoices", InvoiceJson.Replace("\"price\":610000", "\"price\":0", StringComparison.Ordinal)))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "items[0].price");
        await (await c.PostJsonAsync("/api/v1/invoices", InvoiceJson.Replace("\"vat\":\"vat22\"", "\"vat\":\"vat20\"", StringComparison.Ordinal)))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "items[0].vat");
        var list = await (await c.GetAsync("/api/v1/invoices")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        var links = await (await c.GetAsync("/api/v1/links")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, links.GetProperty("items").GetArrayLength());
        // The first one issued after the refusals is still № 1: refused requests take no number.
        Assert.Equal("1", (await (await c.PostJsonAsync("/api/v1/invoices", InvoiceJson)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("number").GetString());
    }

    [Fact]
    public async Task Create_Concurrently_NumbersHaveNoGapsAndNoDuplicates()
    {
        var c = await MerchantWithRequisitesAsync(host);
        const int n = 8;
        var results = await Task.WhenAll(Enumerable.Range(0, n).Select(async _ =>
            await (await c.PostJsonAsync("/api/v1/invoices", InvoiceJson)).ReadJsonAsync(HttpStatusCode.Created)));
        var numbers = results.Select(r => int.Parse(r.GetProperty("number").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, n).ToList(), numbers);
        // Each счёт has its own link; no link was left behind by a retried attempt.
        Assert.Equal(n, results.Select(r => r.GetProperty("linkId").GetString()).Distinct().Count());
        var links = await (await c.GetAsync("/api/v1/links?limit=100")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(n, links.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task PaidByCard_MarksTheInvoicePaid_ThenCancelIsRefused()
    {
        var c = await MerchantWithRequisitesAsync(host);
        var inv = await (await c.PostJsonAsync("/api/v1/invoices", InvoiceJson)).ReadJsonAsync(HttpStatusCode.Created);
        var path = new Uri(inv.GetProperty("payUrl").GetString()!).PathAndQuery;
        var start = await host.Client().PostAsync(path + "/pay", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, start.StatusCode);
        var done = await host.Client().PostAsync(new Uri(start.Headers.Location!.ToString()).PathAndQuery, new FormUrlEncodedContent([new("outcome", "success")]));
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        var id = inv.GetProperty("id").GetString();
        var got = await (await c.GetAsync("/api/v1/invoices/" + id)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", got.GetProperty("status").GetString());
        await (await c.PostAsync($"/api/v1/invoices/{id}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Cancel_CancelsTheLinkToo_AndIsPerMerchant()
    {
        var c = await MerchantWithRequisitesAsync(host);
        var other = host.Client((await host.NewMerchantAsync()).ApiKey);
        var inv = await (await c.PostJsonAsync("/api/v1/invoices", InvoiceJson)).ReadJsonAsync(HttpStatusCode.Created);
        var id = inv.GetProperty("id").GetString();
        await (await other.GetAsync("/api/v1/invoices/" + id)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.PostAsync($"/api/v1/invoices/{id}/cancel", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/invoices/{id}/pdf")).StatusCode);
        var cancelled = await (await c.PostAsync($"/api/v1/invoices/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        var link = await (await c.GetAsync("/api/v1/links/" + inv.GetProperty("linkId").GetString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", link.GetProperty("status").GetString());
        var open = await (await c.GetAsync("/api/v1/invoices?status=open")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, open.GetProperty("items").GetArrayLength());
        await (await c.GetAsync("/api/v1/invoices?status=maybe")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "status");
    }

    [Fact]
    public async Task Dashboard_IssuesAnInvoice_ShowsItAndItsPdf()
    {
        var owner = await host.NewUserAsync();
        await (await host.Client(owner.ApiKey).PutJsonAsync("/api/v1/requisites", RequisitesTests<THost>.CompanyJson)).ReadJsonAsync(HttpStatusCode.OK);
        var d = await host.SignedInAsync(owner);
        var form = await d.PageAsync("/dashboard/invoices/new");
        DashboardTests<THost>.AssertLabelled("/dashboard/invoices/new", form);
        var nonce = d.Hidden("nonce");
        (string, string)[] fields = [("nonce", nonce), ("buyerName", "ООО «Вектор»"), ("buyerInn", "7736207543"), ("buyerKpp", "770401001"),
            ("item0.name", "Аудит"), ("item0.quantity", "1"), ("item0.unit", "усл."), ("item0.price", "15 000,50"), ("item0.vat", "none")];
        var r = await d.PostAsync("/dashboard/invoices", fields);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var again = await d.PostAsync("/dashboard/invoices", fields);   // a double submit replays, no second счёт
        Assert.Equal(r.Headers.Location, again.Headers.Location);
        var page = await d.PageAsync(r.Headers.Location!.ToString());
        Assert.Contains("Счёт № 1 от 18.11.2026", page);
        Assert.Contains("Пятнадцать тысяч рублей 50 копеек", page);
        var pdf = await d.Http.GetAsync(r.Headers.Location + "/pdf");
        var text = PdfText(await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains("Без НДС", text);
        Assert.Contains("15 000,50", text);
        var list = await d.PageAsync("/dashboard/invoices");
        Assert.Contains("ООО «Вектор»", list);
        await d.PageAsync(r.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await d.PostAsync(r.Headers.Location + "/act")).StatusCode);
        Assert.Contains("Акт № 1 от 18.11.2026", await d.PageAsync(r.Headers.Location!.ToString()));
        var actText = PdfText(await (await d.Http.GetAsync(r.Headers.Location + "/act/pdf")).Content.ReadAsByteArrayAsync());
        Assert.Contains("Акт № 1 от 18.11.2026", actText);

        var bad = await d.PostAsync("/dashboard/invoices", [("nonce", "n2"), ("buyerName", "ООО «Вектор»"), ("buyerInn", "123"), ("item0.name", "Аудит"), ("item0.price", "100")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("buyer.inn", d.LastHtml);
    }
}

public sealed class InvoicesSqliteTests(SqliteHost host) : InvoicesTests<SqliteHost>(host);
public sealed class InvoicesPostgresTests(PostgresHost host) : InvoicesTests<PostgresHost>(host);
