using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.IntegrationTests.Dashboard;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Documents;

/// <summary>1C statement import: exact matches pay their счёт once through the payment path; the rest go to review; re-import changes nothing.</summary>
public abstract class StatementImportTests<THost>(THost host) : IClassFixture<THost> where THost : PaylinkHost
{
    static StatementImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string[] Transfer(string number, string sum, string payerInn, string purpose, string payeeInn = "7707083893") =>
    [
        $"Номер={number}", "Дата=18.11.2026", $"Сумма={sum}", "ПлательщикСчет=40702810400000000001", $"ПлательщикИНН={payerInn}",
        "Плательщик1=ООО «Вектор»", payeeInn == "7707083893" ? "ПолучательСчет=40702810638000000000" : "ПолучательСчет=40702810400000000001",
        $"ПолучательИНН={payeeInn}", $"НазначениеПлатежа={purpose}",
    ];

    private static byte[] File(params string[][] docs)
    {
        var sb = new StringBuilder("1CClientBankExchange\r\nВерсияФормата=1.03\r\nКодировка=Windows\r\nРасчСчет=40702810638000000000\r\n");
        foreach (var d in docs) sb.Append("СекцияДокумент=Платежное поручение\r\n").Append(string.Join("\r\n", d)).Append("\r\nКонецДокумента\r\n");
        return Encoding.GetEncoding(1251).GetBytes(sb.Append("КонецФайла\r\n").ToString());
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient c, byte[] file)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new("text/plain");
        return c.PostAsync("/api/v1/statements", content);
    }

    [Fact]
    public async Task ExactMatch_PaysTheInvoiceOnce_ReimportChangesNothing()
    {
        var c = await InvoicesTests<THost>.MerchantWithRequisitesAsync(host);
        var inv = await (await c.PostJsonAsync("/api/v1/invoices", InvoicesTests<THost>.InvoiceJson)).ReadJsonAsync(HttpStatusCode.Created);
        var id = inv.GetProperty("id").GetString()!;
        var linkId = inv.GetProperty("linkId").GetString()!;
        var file = File(Transfer("77", "22200.00", "7736207543", "Оплата по счёту № 1 от 18.11.2026. В т.ч. НДС 22 % 4003.28 руб."),
            // Our own outgoing payment in the same statement is not an incoming transfer.
            Transfer("78", "500.00", "7707083893", "Оплата по счёту № 1 поставщику", payeeInn: "7736207543"));
        var first = await (await UploadAsync(c, file)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, first.GetProperty("documents").GetInt32());
        Assert.Equal(1, first.GetProperty("incoming").GetInt32());
        Assert.Equal(1, first.GetProperty("matched").GetInt32());
        Assert.Equal(0, first.GetProperty("review").GetInt32());

        var got = await (await c.GetAsync("/api/v1/invoices/" + id)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", got.GetProperty("status").GetString());
        var link = await (await c.GetAsync("/api/v1/links/" + linkId)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", link.GetProperty("status").GetString());
        var payment = Assert.Single(link.GetProperty("payments").EnumerateArray());
        Assert.Equal("bank_transfer", payment.GetProperty("provider").GetString());
        Assert.Equal(2_220_000, payment.GetProperty("amount").GetInt64());

        var again = await (await UploadAsync(c, file)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, again.GetProperty("matched").GetInt32());
        Assert.Equal(1, again.GetProperty("alreadyImported").GetInt32());
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1, await db.Payments.CountAsync(p => p.LinkId == linkId));
        Assert.Equal(1, await db.LinkEvents.CountAsync(e => e.LinkId == linkId && e.Type == "paid"));
        Assert.Equal(1, await db.StatementLines.CountAsync(l => l.InvoiceId == id));
        // The paid event reached the same reactions as a card payment: the CRM sync job for "paid", queued once.
        var crm = await db.Jobs.Where(j => j.Type == "crm.sync" && j.Payload.Contains(linkId)).Select(j => j.Payload).ToListAsync();
        Assert.Single(crm, p => p.Contains(":paid:", StringComparison.Ordinal));

        // No gateway holds a transfer: a refund through the API is refused, not sent to a gateway.
        await (await c.PostJsonAsync($"/api/v1/links/{linkId}/refunds", "{}")).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Partial_Over_Unknown_GoToReview_OwnerResolves()
    {
        var c = await InvoicesTests<THost>.MerchantWithRequisitesAsync(host);
        var inv = await (await c.PostJsonAsync("/api/v1/invoices", InvoicesTests<THost>.InvoiceJson)).ReadJsonAsync(HttpStatusCode.Created);
        var id = inv.GetProperty("id").GetString()!;
        var file = File(
            Transfer("1", "10000.00", "7736207543", "Оплата по счёту № 1 от 18.11.2026, частично"),
            Transfer("2", "30000.00", "7736207543", "Оплата по счёту № 1 от 18.11.2026"),
            Transfer("3", "22200.00", "500123456750", "Оплата по счёту № 1"),   // someone else's ИНН
            Transfer("4", "22200.00", "7736207543", "Оплата за консультации"));
        var r = await (await UploadAsync(c, file)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, r.GetProperty("matched").GetInt32());
        Assert.Equal(4, r.GetProperty("review").GetInt32());
        var reasons = r.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("reason").GetString()).ToList();
        Assert.Equal(["partial", "overpaid", "no_invoice", "no_invoice_number"], reasons);
        Assert.Equal("open", (await (await c.GetAsync("/api/v1/invoices/" + id)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());

        var review = (await (await c.GetAsync("/api/v1/statements/lines")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, review.Count);
        string LineOf(string reason) => review.Single(l => l.GetProperty("reason").GetString() == reason).GetProperty("id").GetString()!;
        // A partial payment is never recorded as the full one.
        await (await c.PostJsonAsync($"/api/v1/statements/lines/{LineOf("partial")}/match", $$"""{"invoiceId":"{{id}}"}"""))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        // The exact amount from a payer without the number in the purpose: the owner matches it by hand.
        var matched = await (await c.PostJsonAsync($"/api/v1/statements/lines/{LineOf("no_invoice_number")}/match", $$"""{"invoiceId":"{{id}}"}"""))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("matched", matched.GetProperty("status").GetString());
        Assert.Equal("paid", (await (await c.GetAsync("/api/v1/invoices/" + id)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        await (await c.PostAsync($"/api/v1/statements/lines/{LineOf("overpaid")}/dismiss", null)).ReadJsonAsync(HttpStatusCode.OK);
        var left = (await (await c.GetAsync("/api/v1/statements/lines")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength();
        Assert.Equal(2, left);
        // Another merchant sees none of it.
        var other = host.Client((await host.NewMerchantAsync()).ApiKey);
        Assert.Equal(0, (await (await other.GetAsync("/api/v1/statements/lines")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        await (await other.PostAsync($"/api/v1/statements/lines/{LineOf("partial")}/dismiss", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BadFile_422_AndDashboardUpload()
    {
        var owner = await host.NewUserAsync();
        var api = host.Client(owner.ApiKey);
        await (await api.PutJsonAsync("/api/v1/requisites", RequisitesTests<THost>.CompanyJson)).ReadJsonAsync(HttpStatusCode.OK);
        await (await UploadAsync(api, Encoding.UTF8.GetBytes("not a statement"))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "file");
        var inv = await (await api.PostJsonAsync("/api/v1/invoices", InvoicesTests<THost>.InvoiceJson)).ReadJsonAsync(HttpStatusCode.Created);

        var d = await host.SignedInAsync(owner);
        var page = await d.PageAsync("/dashboard/invoices/statements");
        DashboardTests<THost>.AssertLabelled("/dashboard/invoices/statements", page);
        var form = new MultipartFormDataContent
        {
            { new StringContent(d.Token), "__csrf" },
            { new ByteArrayContent(File(Transfer("9", "22200.00", "7736207543", "Оплата по сч. № 1"))), "file", "kl_to_1c.txt" },
        };
        var r = await d.Http.PostAsync("/dashboard/invoices/statements", form);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("Оплачено счетов: 1", html);
        Assert.Equal("paid", (await (await api.GetAsync("/api/v1/invoices/" + inv.GetProperty("id").GetString())).ReadJsonAsync(HttpStatusCode.OK))
            .GetProperty("status").GetString());
    }
}

public sealed class StatementImportSqliteTests(SqliteHost host) : StatementImportTests<SqliteHost>(host);
public sealed class StatementImportPostgresTests(PostgresHost host) : StatementImportTests<PostgresHost>(host);
