using Paylink.Assistant.Extraction;
using Paylink.Assistant.Text;

namespace Paylink.Tests.Assistant;

public sealed class AmountAndContactExtractorTests
{
    [Theory]
    [InlineData("перевела 2500", 2500)]
    [InlineData("оплатила 2 500 ₽", 2500)]
    [InlineData("2500р", 2500)]
    [InlineData("1500 руб.", 1500)]
    [InlineData("верните тысячу", 1000)]
    [InlineData("полторы тысячи", 1500)]
    [InlineData("скинула 1,5к", 1500)]
    [InlineData("1.5k", 1500)]
    [InlineData("две тысячи пятьсот рублей", 2500)]
    [InlineData("пятьсот рублей", 500)]
    [InlineData("3 тыс", 3000)]
    [InlineData("пару тысяч", 2000)]
    [InlineData("$20", 20)]
    public void Extract_AmountPhrase_ReadsMajorUnits(string text, int expected)
    {
        Assert.Equal(expected, AmountExtractor.Extract(new MessageText(text)));
    }

    [Theory]
    [InlineData("2 маникюра")]
    [InlineData("на 3 человека")]
    [InlineData("заказ №12345")]
    [InlineData("в 2026 году")]
    [InlineData("абонемент на 10 тренировок")]
    public void Extract_CountsAndNumbers_AreNotAmounts(string text)
    {
        Assert.Null(AmountExtractor.Extract(new MessageText(text)));
    }

    [Fact]
    public void Analyze_PhoneDigits_AreNotAnAmount()
    {
        var a = AssistantTestData.Analyze("мой номер 89161234567");
        Assert.Equal("+79161234567", a.Phone);
        Assert.Null(a.AmountMinor);
    }

    [Fact]
    public void Analyze_Amount_IsInMinorUnits()
    {
        Assert.Equal(250000, AssistantTestData.Analyze("оплатила 2 500 ₽").AmountMinor);
    }

    [Theory]
    [InlineData("+7 916 123-45-67")]
    [InlineData("89161234567")]
    [InlineData("8 (916) 123 45 67")]
    [InlineData("9161234567")]
    [InlineData("+7 (916) 123-45-67")]
    [InlineData("8-916-123-45-67")]
    [InlineData("тел 8 916 123 45 67, жду")]
    public void ExtractPhone_RussianFormats_ReturnsE164(string text)
    {
        Assert.Equal("+79161234567", ContactExtractor.ExtractPhone(new MessageText(text)));
    }

    [Fact]
    public void ExtractPhone_ShortNumber_ReturnsNull()
    {
        Assert.Null(ContactExtractor.ExtractPhone(new MessageText("код 12345")));
    }

    [Theory]
    [InlineData("почта Anna.K@Mail.ru", "anna.k@mail.ru")]
    [InlineData("пишите на ivan_petrov@gmail.com.", "ivan_petrov@gmail.com")]
    [InlineData("ivаn@mail.ru", "ivan@mail.ru")]
    public void ExtractEmail_Address_ReturnsLowercased(string text, string expected)
    {
        Assert.Equal(expected, ContactExtractor.ExtractEmail(new MessageText(text)));
    }

    [Fact]
    public void ExtractEmail_NoDomain_ReturnsNull()
    {
        Assert.Null(ContactExtractor.ExtractEmail(new MessageText("anna@mailru")));
    }
}
