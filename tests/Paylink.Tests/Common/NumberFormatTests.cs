using Paylink.Core.Common;

namespace Paylink.Tests.Common;

public class NumberFormatTests
{
    [Theory]
    [InlineData(0L, "ru", "0")]
    [InlineData(999L, "ru", "999")]
    [InlineData(12345L, "ru", "12\u00A0345")]
    [InlineData(1234567L, "en", "1,234,567")]
    [InlineData(-1500L, "ru", "−1\u00A0500")]
    public void Integer_GroupsThousands(long value, string lang, string expected) => Assert.Equal(expected, NumberFormat.Integer(value, lang));

    [Theory]
    [InlineData(2.0 / 3, "ru", "66,7\u00A0%")]
    [InlineData(2.0 / 3, "en", "66.7%")]
    [InlineData(1.0, "ru", "100\u00A0%")]
    [InlineData(0.0, "en", "0%")]
    [InlineData(12.5, "ru", "1\u00A0250\u00A0%")]
    public void Percent_OneDecimalAtMost_LanguageSeparators(double share, string lang, string expected) =>
        Assert.Equal(expected, NumberFormat.Percent(share, lang));

    [Fact]
    public void Percent_NoData_IsADash() => Assert.Equal("—", NumberFormat.Percent(null));

    [Theory]
    [InlineData(1.5, "ru", "1,5")]
    [InlineData(2.0, "ru", "2")]
    [InlineData(1.25, "en", "1.3")]
    public void OneDecimal_DropsAWholeNumbersDecimal(double value, string lang, string expected) => Assert.Equal(expected, NumberFormat.OneDecimal(value, lang));
}
