using Paylink.Assistant;
using Paylink.Assistant.Extraction;
using Paylink.Assistant.Text;

namespace Paylink.Tests.Assistant;

public sealed class DateTimeExtractorTests
{
    private static readonly DateOnly Wednesday = new(2026, 11, 18);
    private static readonly DateOnly Friday = new(2026, 11, 20);

    private static DateTimeMention Extract(string text, DateOnly? today = null) =>
        DateTimeExtractor.Extract(new MessageText(text), today ?? Wednesday);

    [Theory]
    [InlineData("перенесите с четверга на пятницу", "2026-11-20")]
    [InlineData("можно перенести с 20.11 на 22.11?", "2026-11-22")]
    [InlineData("с завтра на послезавтра", "2026-11-20")]
    [InlineData("move me from thursday to friday", "2026-11-20")]
    [InlineData("с мужем на пятницу", "2026-11-20")]
    [InlineData("работаете с понедельника по пятницу?", "2026-11-23")]
    public void Extract_FromTo_TakesTheWantedDate(string text, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Extract(text).Date);

    [Theory]
    [InlineData("можно через час?", "2026-11-18", "11:25")]
    [InlineData("через 30 минут подойду", "2026-11-18", "10:55")]
    [InlineData("через полчаса", "2026-11-18", "10:55")]
    [InlineData("через полтора часа", "2026-11-18", "11:55")]
    [InlineData("через 3 часа", "2026-11-18", "13:25")]
    [InlineData("in two hours", "2026-11-18", "12:25")]
    public void Extract_InMinutesOrHours_FromNow(string text, string date, string time)
    {
        var m = DateTimeExtractor.Extract(new MessageText(text), new DateTime(2026, 11, 18, 10, 23, 40));
        Assert.Equal(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), m.Date);
        Assert.Equal(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture), m.Time);
        Assert.Equal(TimeRelation.At, m.Relation);
    }

    [Fact]
    public void Extract_InDays_StillDaysWithTheClock() =>
        Assert.Equal(new DateOnly(2026, 11, 20), DateTimeExtractor.Extract(new MessageText("через 2 дня в 15:00"), new DateTime(2026, 11, 18, 10, 0, 0)).Date);

    [Theory]
    [InlineData("завтра", "2026-11-19")]
    [InlineData("послезавтра", "2026-11-20")]
    [InlineData("сегодня", "2026-11-18")]
    [InlineData("в пятницу", "2026-11-20")]
    [InlineData("в среду", "2026-11-25")]
    [InlineData("на следующей неделе во вторник", "2026-11-24")]
    [InlineData("в следующую пятницу", "2026-11-27")]
    [InlineData("в эту пятницу", "2026-11-20")]
    [InlineData("20.11", "2026-11-20")]
    [InlineData("на 20.11", "2026-11-20")]
    [InlineData("20 ноября", "2026-11-20")]
    [InlineData("1 декабря", "2026-12-01")]
    [InlineData("на двадцать пятое", "2026-11-25")]
    [InlineData("27-го", "2026-11-27")]
    [InlineData("через 2 дня", "2026-11-20")]
    [InlineData("через неделю", "2026-11-25")]
    [InlineData("на выходных", "2026-11-21")]
    [InlineData("в пт", "2026-11-20")]
    [InlineData("20.11.2027", "2027-11-20")]
    [InlineData("tomorrow", "2026-11-19")]
    [InlineData("next tuesday", "2026-11-24")]
    [InlineData("on friday", "2026-11-20")]
    [InlineData("nov 20", "2026-11-20")]
    [InlineData("on december 1st", "2026-12-01")]
    public void Extract_DatePhrase_ResolvesAgainstToday(string text, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Extract(text).Date);
    }

    [Fact]
    public void Extract_WeekdayOnSameWeekday_MeansNextWeek()
    {
        Assert.Equal(new DateOnly(2026, 11, 27), Extract("в пятницу", Friday).Date);
    }

    [Fact]
    public void Extract_ThisWeekdayOnSameWeekday_MeansToday()
    {
        Assert.Equal(Friday, Extract("в эту пятницу", Friday).Date);
    }

    [Theory]
    [InlineData("15.11")]
    [InlineData("15 ноября")]
    public void Extract_DayMonthAlreadyPast_MeansNextYear(string text)
    {
        Assert.Equal(new DateOnly(2027, 11, 15), Extract(text).Date);
    }

    [Fact]
    public void Extract_NextWeekWithoutWeekday_HasNoDate()
    {
        Assert.Null(Extract("давайте на следующей неделе").Date);
    }

    [Theory]
    [InlineData("в 15:00", "15:00", TimeRelation.At)]
    [InlineData("в 3 часа дня", "15:00", TimeRelation.At)]
    [InlineData("к половине пятого", "16:30", TimeRelation.By)]
    [InlineData("полпятого", "16:30", TimeRelation.At)]
    [InlineData("после 18", "18:00", TimeRelation.After)]
    [InlineData("в 10 утра", "10:00", TimeRelation.At)]
    [InlineData("в 7 вечера", "19:00", TimeRelation.At)]
    [InlineData("вечером в 7", "19:00", TimeRelation.At)]
    [InlineData("в пять", "17:00", TimeRelation.At)]
    [InlineData("без четверти шесть", "17:45", TimeRelation.At)]
    [InlineData("в 9.30", "09:30", TimeRelation.At)]
    [InlineData("в 18-00", "18:00", TimeRelation.At)]
    [InlineData("в полдень", "12:00", TimeRelation.At)]
    [InlineData("в час дня", "13:00", TimeRelation.At)]
    [InlineData("до 12", "12:00", TimeRelation.Before)]
    [InlineData("at 3pm", "15:00", TimeRelation.At)]
    [InlineData("at 9:15 am", "09:15", TimeRelation.At)]
    public void Extract_TimePhrase_ReadsLocalTime(string text, string expected, TimeRelation relation)
    {
        var mention = Extract(text);
        Assert.Equal(TimeOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), mention.Time);
        Assert.Equal(relation, mention.Relation);
    }

    [Fact]
    public void Extract_PartOfDayAlone_GivesNoTime()
    {
        var mention = Extract("завтра утром");
        Assert.Null(mention.Time);
        Assert.Equal(PartOfDay.Morning, mention.PartOfDay);
        Assert.Equal(new DateOnly(2026, 11, 19), mention.Date);
    }

    [Theory]
    [InlineData("массаж на 2 часа")]
    [InlineData("абонемент на 10 тренировок")]
    [InlineData("перевела 2500")]
    public void Extract_NumbersThatAreNotTimes_GiveNoTime(string text)
    {
        Assert.Null(Extract(text).Time);
    }

    [Fact]
    public void Analyze_LateEveningUtc_UsesMerchantCalendarDay()
    {
        // 22:30 UTC on the 18th is already 01:30 on the 19th in Moscow, so "завтра" is the 20th.
        var now = new DateTimeOffset(2026, 11, 18, 22, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 11, 20), AssistantTestData.Analyze("запишите на завтра", now: now).Date);
    }
}
