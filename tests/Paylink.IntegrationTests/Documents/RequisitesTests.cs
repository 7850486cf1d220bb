using System.Net;
using Paylink.IntegrationTests.Dashboard;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Documents;

/// <summary>GET/PUT /api/v1/requisites and the dashboard form, on both databases.</summary>
public abstract class RequisitesTests<THost>(THost host) : IClassFixture<THost> where THost : PaylinkHost
{
    public const string CompanyJson = """
        {"name":"ООО «Ромашка»","inn":"7707083893","kpp":"773601001","ogrn":"1027700132195","address":"г. Москва, ул. Ленина, д. 1",
         "bankName":"ПАО Сбербанк","bic":"044525225","correspondentAccount":"30101810400000000225","account":"40702810638000000000",
         "signerName":"Иванов Иван Иванович","signerPosition":"Генеральный директор","vat":"vat22","dueDays":5}
        """;

    [Fact]
    public async Task Put_ThenGet_RoundTrips_AndIsPerMerchant()
    {
        var a = await host.NewMerchantAsync();
        var b = await host.NewMerchantAsync();
        var ca = host.Client(a.ApiKey);
        await (await ca.GetAsync("/api/v1/requisites")).AssertProblemAsync(HttpStatusCode.NotFound);
        var saved = await (await ca.PutJsonAsync("/api/v1/requisites", CompanyJson)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("7707083893", saved.GetProperty("inn").GetString());
        var got = await (await ca.GetAsync("/api/v1/requisites")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("40702810638000000000", got.GetProperty("account").GetString());
        Assert.Equal("vat22", got.GetProperty("vat").GetString());
        await (await host.Client(b.ApiKey).GetAsync("/api/v1/requisites")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("7707083893", "7707083894", "inn")]
    [InlineData("40702810638000000000", "40702810938000000000", "account")]
    [InlineData("30101810400000000225", "30101810400000000226", "correspondentAccount")]
    [InlineData("\"dueDays\":5", "\"dueDays\":5,\"extra\":1", "extra")]
    public async Task Put_BadValue_NamesTheField_AndKeepsTheOld(string from, string to, string field)
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        await (await c.PutJsonAsync("/api/v1/requisites", CompanyJson)).ReadJsonAsync(HttpStatusCode.OK);
        var r = await c.PutJsonAsync("/api/v1/requisites", CompanyJson.Replace(from, to, StringComparison.Ordinal).Replace("Ромашка", "Лютик", StringComparison.Ordinal));
        Assert.True(r.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest, r.StatusCode.ToString());
        await r.AssertProblemAsync(r.StatusCode, field);
        var got = await (await c.GetAsync("/api/v1/requisites")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("ООО «Ромашка»", got.GetProperty("name").GetString());
    }

    [Fact]
    public async Task DashboardForm_ShowsErrorsInRussian_ThenSaves()
    {
        var owner = await host.NewUserAsync();
        var c = await host.SignedInAsync(owner);
        var page = await c.PageAsync("/dashboard/settings/requisites");
        Assert.Contains("Расчётный счёт", page);
        DashboardTests<THost>.AssertLabelled("/dashboard/settings/requisites", page);
        (string, string)[] fields = [("name", "ИП Петров Пётр Петрович"), ("inn", "500123456750"), ("ogrn", "304500112000002"),
            ("address", "г. Тверь, ул. Советская, д. 2"), ("bankName", "АО «ТБанк»"), ("bic", "044525974"),
            ("correspondentAccount", "30101810145250000974"), ("account", "40802810000000000001"), ("signerName", "Петров П. П."), ("vat", "none"), ("dueDays", "3")];
        var bad = await c.PostAsync("/dashboard/settings/requisites", fields);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("Проверьте поля", c.LastHtml);
        Assert.Contains("account", c.LastHtml);
        // The key of a Т-Банк account: "974" + account, weights 7,1,3 → check digit 4 at position 9.
        var ok = await c.PostAsync("/dashboard/settings/requisites", fields.Select(f => f.Item1 == "account" ? ("account", "40802810400000000001") : f).ToArray());
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var got = await (await host.Client(owner.ApiKey).GetAsync("/api/v1/requisites")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("500123456750", got.GetProperty("inn").GetString());
        Assert.Equal(3, got.GetProperty("dueDays").GetInt32());
    }
}

public sealed class RequisitesSqliteTests(SqliteHost host) : RequisitesTests<SqliteHost>(host);
public sealed class RequisitesPostgresTests(PostgresHost host) : RequisitesTests<PostgresHost>(host);
