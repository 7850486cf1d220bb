using Paylink.Core.Common;

namespace Paylink.Tests.Common;

public sealed class MoneyFormatTests
{
    private const char Nbsp = '\u00A0';

    [Theory]
    [InlineData(250000, "2 500,00 ₽")]
    [InlineData(5, "0,05 ₽")]
    [InlineData(100, "1,00 ₽")]
    [InlineData(123456789, "1 234 567,89 ₽")]
    [InlineData(0, "0,00 ₽")]
    [InlineData(-150050, "−1 500,50 ₽")]
    public void Format_Russian_GroupsWithNbspAndCommaDecimals(long minor, string expected) =>
        Assert.Equal(expected.Replace(' ', Nbsp), MoneyFormat.Format(new Money(minor, "RUB")));

    [Theory]
    [InlineData(250000, "RUB", "₽2,500.00")]
    [InlineData(1999, "USD", "$19.99")]
    [InlineData(1500, "JPY", "¥1,500")]
    [InlineData(100000, "AED", "AED 1,000.00")]
    public void Format_English_SymbolFirst(long minor, string currency, string expected) =>
        Assert.Equal(expected, MoneyFormat.Format(new Money(minor, currency), "en"));

    [Theory]
    [InlineData(250000, "2 500 ₽")]
    [InlineData(250050, "2 500,50 ₽")]
    public void Short_DropsZeroKopecks(long minor, string expected) =>
        Assert.Equal(expected.Replace(' ', Nbsp), MoneyFormat.Short(new Money(minor, "RUB")));

    [Fact]
    public void Format_UnsupportedCurrency_Throws() =>
        Assert.Throws<ArgumentException>(() => MoneyFormat.Format(new Money(1, "XXX")));

    [Fact]
    public void Format_LongMinValue_DoesNotOverflow() =>
        Assert.EndsWith("₽", MoneyFormat.Format(new Money(long.MinValue, "RUB")));
}
