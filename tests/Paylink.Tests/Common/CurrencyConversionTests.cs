using Paylink.Core.Common;

namespace Paylink.Tests.Common;

public sealed class CurrencyConversionTests
{
    [Theory]
    [InlineData("1500.50", "RUB", 150050)]
    [InlineData("2500", "RUB", 250000)]
    [InlineData("0.005", "RUB", 1)]    // half a kopeck rounds away from zero
    [InlineData("-0.005", "RUB", -1)]
    [InlineData("1500", "JPY", 1500)]  // no minor unit
    [InlineData("12.34", "XXX", 1234)] // unknown currency: two digits
    public void ToMinor_UsesTheCurrencysExponent(string major, string currency, long expected) =>
        Assert.Equal(expected, Currencies.ToMinor(decimal.Parse(major, System.Globalization.CultureInfo.InvariantCulture), currency));

    [Fact]
    public void ToMajor_IsTheInverse()
    {
        Assert.Equal(1500.50m, Currencies.ToMajor(150050, "RUB"));
        Assert.Equal(1500m, Currencies.ToMajor(1500, "JPY"));
        Assert.Equal(100, Currencies.MinorPerMajor("RUB"));
        Assert.Equal(1, Currencies.MinorPerMajor("JPY"));
    }
}
