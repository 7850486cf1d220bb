using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Jobs;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Documents;

/// <summary>Акт/УПД: issued once when the счёт is paid (job) or the service is marked done; numbered without gaps; PDF read back.</summary>
public abstract class ActsTests<THost>(THost host) : IClassFixture<THost> where THost : PaylinkHost
{
    static ActsTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private Task<int> DrainAsync() => host.Services.GetRequiredService<JobRunner>().DrainAsync();

    [Fact]
    public async Task PaidByTransfer_IssuesTheActOnce_PdfReadsBack()
    {
        var c = await InvoicesTests<THost>.MerchantWithRequisitesAsync(host);
        var inv = await (await c.PostJsonAsync("/api/v1/invoices", InvoicesTests<THost>.InvoiceJson)).ReadJsonAsync(HttpStatusCode.Created);
        var id = inv.GetProperty("id").GetString()!;
        await (await c.GetAsync($"/api/v1/invoices/{id}/act")).AssertProblemAsync(HttpStatusCode.NotFound);
        var file = Encoding.GetEncoding(1251).GetBytes(string.Join("\r\n",
            "1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", "СекцияДокумент=Платежное поручение", "Номер=5", "Дата=18.11.2026",
            "Сумма=22200.00", "ПлательщикИНН=7736207543", "Плательщик=ООО «Вектор»", "ПолучательИНН=7707083893",
            "ПолучательСчет=40702810638000000000", "НазначениеПлатежа=Оплата по счёту № 1 от 18.11.2026", "КонецДокумента", "КонецФайла", ""));
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new("text/plain");
        Assert.Equal(1, (await (await c.PostAsync("/api/v1/statements", content)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("matched").GetInt32());
        await DrainAsync();
        var act = await (await c.GetAsync($"/api/v1/invoices/{id}/act")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("1", act.GetProperty("number").GetString());
        Assert.Equal("act", act.GetProperty("kind").GetString());   // the seller charges VAT (vat22)
        // Marking done afterwards answers the same act.
        var again = await (await c.PostAsync($"/api/v1/invoices/{id}/act", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(act.GetProperty("id").GetString(), again.GetProperty("id").GetString());

        var pdf = await c.GetAsync($"/api/v1/invoices/{id}/act/pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var text = InvoicesTests<THost>.PdfText(await pdf.Content.ReadAsByteArrayAsync());
        foreach (var expected in new[]
                 {
                     "Акт № 1 от 18.11.2026", "Исполнитель: ООО «Ромашка», ИНН 7707083893", "Заказчик: ООО «Вектор», ИНН 7736207543",
                     "Основание: Счёт на оплату № 1 от 18.11.2026", "Консультация по налогам", "Итого: 22 200,00", "В том числе НДС 22 %: 4 003,28",
                     "Двадцать две тысячи двести рублей 00 копеек", "ИСПОЛНИТЕЛЬ", "ЗАКАЗЧИК", "Иванов Иван Иванович",
                 })
            Assert.Contains(expected, text);
    }

    [Fact]
    public async Task SellerWithoutVat_GetsUpdStatus2_AndNumbersHaveNoGapsUnderConcurrency()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        await (await c.PutJsonAsync("/api/v1/requisites", RequisitesTests<THost>.CompanyJson.Replace("\"vat\":\"vat22\"", "\"vat\":\"none\"", StringComparison.Ordinal)))
            .ReadJsonAsync(HttpStatusCode.OK);
        var json = InvoicesTests<THost>.InvoiceJson.Replace(",\"vat\":\"vat22\"", "", StringComparison.Ordinal);
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
            ids.Add((await (await c.PostJsonAsync("/api/v1/invoices", json)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);
        var acts = await Task.WhenAll(ids.Select(async id => await (await c.PostAsync($"/api/v1/invoices/{id}/act", null)).ReadJsonAsync(HttpStatusCode.OK)));
        Assert.Equal(Enumerable.Range(1, 6).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            acts.Select(a => a.GetProperty("number").GetString()!).Order(StringComparer.Ordinal).ToList());
        Assert.All(acts, a => Assert.Equal("upd", a.GetProperty("kind").GetString()));
        var text = InvoicesTests<THost>.PdfText(await (await c.GetAsync($"/api/v1/invoices/{ids[0]}/act/pdf")).Content.ReadAsByteArrayAsync());
        Assert.Contains("Универсальный передаточный документ №", text);
        Assert.Contains("Статус: 2", text);
        Assert.Contains("Без НДС", text);

        // A cancelled счёт gets no act; another merchant cannot issue or read one.
        var other = host.Client((await host.NewMerchantAsync()).ApiKey);
        await (await other.PostAsync($"/api/v1/invoices/{ids[0]}/act", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/api/v1/invoices/{ids[0]}/act")).AssertProblemAsync(HttpStatusCode.NotFound);
        var extra = (await (await c.PostJsonAsync("/api/v1/invoices", json)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        await (await c.PostAsync($"/api/v1/invoices/{extra}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);
        await (await c.PostAsync($"/api/v1/invoices/{extra}/act", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }
}

/// <summary>The background job runner off: tests drain jobs themselves, so a job is never half-run by both.</summary>
public class DocumentsHost(Db kind) : PaylinkHost(kind)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" };
}

public sealed class DocumentsSqliteHost() : DocumentsHost(Db.Sqlite);
public sealed class DocumentsPostgresHost() : DocumentsHost(Db.Postgres);

public sealed class ActsSqliteTests(DocumentsSqliteHost host) : ActsTests<DocumentsSqliteHost>(host);
public sealed class ActsPostgresTests(DocumentsPostgresHost host) : ActsTests<DocumentsPostgresHost>(host);

/// <summary>The documents register for 1C: one row per line of each счёт and акт of the period.</summary>
public abstract class ExportDocumentsTests<THost>(THost host) : IClassFixture<THost> where THost : PaylinkHost
{
    [Fact]
    public async Task Export_ListsInvoiceAndActLines_InTheCsvDialect()
    {
        var c = await InvoicesTests<THost>.MerchantWithRequisitesAsync(host);
        var inv = await (await c.PostJsonAsync("/api/v1/invoices", InvoicesTests<THost>.InvoiceJson)).ReadJsonAsync(HttpStatusCode.Created);
        await (await c.PostAsync($"/api/v1/invoices/{inv.GetProperty("id").GetString()}/act", null)).ReadJsonAsync(HttpStatusCode.OK);
        var r = await c.GetAsync("/api/v1/documents/export?from=2026-11-01&to=2026-11-30");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var text = Encoding.UTF8.GetString(await r.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("\uFEFFdocument_type;document_number;document_date;counterparty;counterparty_inn", text);
        var rows = text.TrimEnd().Split("\r\n").Skip(1).ToList();
        Assert.Equal(4, rows.Count);   // 2 lines × (счёт + акт)
        Assert.Equal("schet;1;2026-11-18;ООО «Вектор»;7736207543;770401001;1;Консультация по налогам;2;ч;6100,00;12200,00;22;2200,00;RUB;;open;;;" + inv.GetProperty("id").GetString(), rows[0]);
        Assert.StartsWith("akt;1;2026-11-18;ООО «Вектор»;7736207543;770401001;2;Письменное заключение;1;усл.;10000,00;10000,00;22;1803,28;RUB;Счёт № 1 от 18.11.2026;issued", rows[3]);
        var empty = Encoding.UTF8.GetString(await (await c.GetAsync("/api/v1/documents/export?from=2026-10-01&to=2026-10-31")).Content.ReadAsByteArrayAsync());
        Assert.Single(empty.TrimEnd().Split("\r\n"));
        await (await c.GetAsync("/api/v1/documents/export?from=nope&to=2026-10-31")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "from");
    }
}

public sealed class ExportDocumentsSqliteTests(SqliteHost host) : ExportDocumentsTests<SqliteHost>(host);
public sealed class ExportDocumentsPostgresTests(PostgresHost host) : ExportDocumentsTests<PostgresHost>(host);
