using Paylink.Assistant.Extraction;

namespace Paylink.Tests.Assistant;

/// <summary>The company a client asks a счёт for, read from the message: name as written, ИНН with its check digits, КПП, e-mail.</summary>
public sealed class BuyerExtractorTests
{
    [Theory]
    [InlineData("Выставьте счёт на ООО «Ромашка», ИНН 7707083893", "ООО «Ромашка»", "7707083893", true, null, null)]
    [InlineData("выставьте счет на ООО \"Ромашка\" инн 7707083893 кпп 773601001", "ООО «Ромашка»", "7707083893", true, "773601001", null)]
    [InlineData("Нужен счёт для юрлица: АО Вектор, ИНН: 7736207543, счёт пришлите на buh@vector.ru", "АО «Вектор»", "7736207543", true, null, "buh@vector.ru")]
    [InlineData("счёт на ИП Иванов Иван Иванович, ИНН 500100732259", "ИП Иванов Иван Иванович", "500100732259", true, null, null)]
    [InlineData("Please invoice our company, INN 7707083893", null, "7707083893", true, null, null)]
    [InlineData("Please invoice Romashka Trading LLC, INN 7707083893, email ap@romashka.com", "Romashka Trading LLC", "7707083893", true, null, "ap@romashka.com")]
    [InlineData("выставьте счёт на ООО «Ромашка», ИНН 7707083894", "ООО «Ромашка»", "7707083894", false, null, null)]   // wrong check digit
    [InlineData("счёт на ООО «Ромашка», ИНН 770708389", "ООО «Ромашка»", "770708389", false, null, null)]            // 9 digits
    [InlineData("счёт на ПАО «Сбербанк» 7707083893", "ПАО «Сбербанк»", "7707083893", true, null, null)]              // an unlabelled ИНН
    public void Extract_ReadsTheBuyer(string text, string? name, string? inn, bool valid, string? kpp, string? email)
    {
        var b = BuyerExtractor.Extract(text);
        Assert.Equal(name, b.Name);
        Assert.Equal(inn, b.Inn);
        Assert.Equal(valid, b.InnValid);
        Assert.Equal(kpp, b.Kpp);
        Assert.Equal(email, b.Email);
    }

    [Theory]
    [InlineData("Выставьте счёт на ООО «Ромашка», ИНН 7707083893", true)]
    [InlineData("нужен счёт для юрлица", true)]
    [InlineData("можно счет на организацию?", true)]
    [InlineData("Please invoice our company, INN 7707083893", true)]
    [InlineData("can you send an invoice to our company?", true)]
    [InlineData("пришлите счёт на оплату маникюра", false)]
    [InlineData("хочу записаться на маникюр в пятницу", false)]
    [InlineData("мой ИНН 500100732259, запишите на стрижку", false)]
    public void AsksForCompanyInvoice_OnlyForACompanysInvoice(string text, bool expected) =>
        Assert.Equal(expected, BuyerExtractor.AsksForCompanyInvoice(text));
}

public sealed class BuyerExtractorAnalysisTests
{
    private static readonly Paylink.Assistant.MessageAnalyzer Analyzer = Paylink.Assistant.MessageAnalyzer.CreateDefault();

    [Fact]
    public void WithoutRequisiteNumbers_InnIsNotAPhone_KppIsNotAnAmount_APhoneStaysAPhone()
    {
        var catalog = Paylink.Assistant.CatalogSnapshot.Create([]);
        var now = new DateTimeOffset(2026, 11, 18, 10, 0, 0, TimeSpan.FromHours(3));
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        const string text = "выставьте счёт на ООО «Вектор», ИНН 7736207543, КПП 770401001";
        var a = BuyerExtractor.WithoutRequisiteNumbers(Analyzer.Analyze(text, catalog, now, zone), text);
        Assert.Null(a.Phone);
        Assert.Null(a.AmountMinor);
        const string phone = "мой номер 9161234567, счёт на ООО «Вектор», ИНН 7736207543";
        Assert.Equal("+79161234567", BuyerExtractor.WithoutRequisiteNumbers(Analyzer.Analyze(phone, catalog, now, zone), phone).Phone);
    }
}
