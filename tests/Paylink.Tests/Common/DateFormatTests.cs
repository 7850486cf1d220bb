using Paylink.Core.Common;

namespace Paylink.Tests.Common;

public sealed class DateFormatTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly TimeZoneInfo Yekaterinburg = TimeZoneInfo.FindSystemTimeZoneById("Asia/Yekaterinburg");

    [Fact]
    public void DateTime_ConvertsUtcToMerchantZone() =>
        Assert.Equal("26 ноября 2026, 15:00", DateFormat.DateTime(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), Moscow));

    [Fact]
    public void DateTime_AcrossMidnight_UsesLocalDate() =>
        Assert.Equal("1 января 2027, 02:30", DateFormat.DateTime(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero), Moscow));

    [Fact]
    public void DateTime_English() =>
        Assert.Equal("26 November 2026, 17:00", DateFormat.DateTime(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), Yekaterinburg, "en"));

    [Fact]
    public void ZoneLabel_MoscowIsMsk_OthersOffset()
    {
        var t = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal("МСК", DateFormat.ZoneLabel(Moscow, t));
        Assert.Equal("UTC+05:00", DateFormat.ZoneLabel(Yekaterinburg, t));
    }
}
