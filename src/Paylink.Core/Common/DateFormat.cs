using System.Globalization;
using Paylink.Core.Localization;

namespace Paylink.Core.Common;

/// <summary>Dates and times for people, in the merchant's time zone, without depending on ICU data.</summary>
public static class DateFormat
{
    private static readonly string[] RuMonthsGenitive =
        ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];
    private static readonly string[] EnMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static DateTimeOffset ToLocal(DateTimeOffset utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(utc, zone);

    /// <summary>First and last day Paylink accepts from outside (API, forms, query strings). Far enough on both
    /// sides for any real period, and far from DateTimeOffset's ends, so adding a day, a duration or a zone offset to
    /// an accepted date can never overflow (0001-01-01 in UTC+3 and 9999-12-31 + 1 day did).</summary>
    public static readonly DateOnly MinAccepted = new(2000, 1, 1);
    public static readonly DateOnly MaxAccepted = new(2999, 12, 31);

    public static bool IsAccepted(DateOnly day) => day >= MinAccepted && day <= MaxAccepted;

    public static bool IsAccepted(DateTimeOffset t) => IsAccepted(DateOnly.FromDateTime(t.UtcDateTime));

    /// <summary>The sentence an error names a field with when its date is outside the accepted range.</summary>
    public static string OutOfRange(string field) => $"{field} must be between {MinAccepted:yyyy-MM-dd} and {MaxAccepted:yyyy-MM-dd}.";

    /// <summary>The UTC instant of a wall-clock time in <paramref name="zone"/>; a time skipped by a DST jump
    /// moves one hour later (02:30 on a spring-forward night is 03:30).</summary>
    public static DateTimeOffset LocalToUtc(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>"26 ноября 2026, 15:00" / "26 November 2026, 15:00".</summary>
    public static string DateTime(DateTimeOffset utc, TimeZoneInfo zone, string lang = "ru")
    {
        var l = ToLocal(utc, zone);
        return $"{Date(l, lang)}, {l.ToString("HH:mm", CultureInfo.InvariantCulture)}";
    }

    /// <summary>"26 ноября 2026" for a local date.</summary>
    public static string Date(DateTimeOffset local, string lang = "ru") => $"{DayMonth(local, lang)} {local.Year}";

    /// <summary>"26 ноября" / "26 November" for a local date (chat replies, where the year is obvious).</summary>
    public static string DayMonth(DateTimeOffset local, string lang = "ru") => lang == "en"
        ? $"{local.Day} {EnMonths[local.Month - 1]}"
        : $"{local.Day} {RuMonthsGenitive[local.Month - 1]}";

    /// <summary>A short zone label: "МСК" for Moscow, otherwise the UTC offset ("UTC+05:00").</summary>
    public static string ZoneLabel(TimeZoneInfo zone, DateTimeOffset utc, string lang = "ru")
    {
        if (zone.Id == "Europe/Moscow") return Texts.For(lang)["МСК"];
        var off = zone.GetUtcOffset(utc);
        return "UTC" + (off < TimeSpan.Zero ? "-" : "+") + off.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }
}
