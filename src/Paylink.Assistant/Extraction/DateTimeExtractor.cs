using System.Text.RegularExpressions;
using Paylink.Assistant.Text;

namespace Paylink.Assistant.Extraction;

/// <summary>A date and time of day the customer asked for, already resolved against "now" in the merchant's zone.</summary>
public sealed record DateTimeMention(DateOnly? Date, TimeOnly? Time, TimeRelation Relation, PartOfDay PartOfDay)
{
    /// <summary>The time was a bare hour on a 12-hour reading ("в 5", "полвосьмого"): no part of day, no 24-hour form.
    /// The dialogue may read it 12 hours the other way when only that fits the merchant's hours.</summary>
    public bool TwelveHour { get; init; }
}

/// <summary>
/// Reads dates ("завтра", "послезавтра", "в пятницу", "на следующей неделе во вторник", "20.11", "20 ноября",
/// "двадцать пятого", "через 3 дня", "tomorrow", "next friday", "nov 20") and times ("в 15:00", "в 3 часа дня",
/// "к половине пятого", "после 18", "без четверти пять", "at 3pm", "в полдень") from a normalised message.
/// </summary>
/// <remarks>
/// Resolution rules (documented in docs/assistant.md and pinned by tests):
/// <list type="bullet">
/// <item>A weekday alone ("в пятницу") is the next such day strictly after today: said on a Friday it is
/// the Friday a week later (a customer meaning today says "сегодня" or "в эту пятницу").</item>
/// <item>"в эту пятницу"/"this friday" is the first such day from today on, today included.</item>
/// <item>"в следующую пятницу", "next friday" and "на следующей неделе в пятницу" are that day in the next
/// calendar week (weeks start on Monday).</item>
/// <item>"на следующей неделе" without a weekday has no single date: Date stays null.</item>
/// <item>A day and month without a year ("20.11", "20 ноября") that is already past this year means next year.</item>
/// <item>A bare hour 1–7 without "утра"/"am" is afternoon (в 3 → 15:00): merchants work in the day.
/// "утра/дня/вечера/ночи", "am/pm", "утром/вечером" elsewhere in the message override this.</item>
/// <item>"утром", "днём", "вечером" alone give <see cref="PartOfDay"/> and no time.</item>
/// </list>
/// </remarks>
public static partial class DateTimeExtractor
{
    private const string MonthAlt = "(?<mon>(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)";
    private const string HourWordAlt = "(?<hw>час|одиннадцать|двенадцать|один|два|три|четыре|пять|шесть|семь|восемь|девять|десять|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)";
    private const string HourOrdinalAlt = "(?<ho>первого|второго|третьего|четвертого|пятого|шестого|седьмого|восьмого|девятого|десятого|одиннадцатого|двенадцатого|\\d{1,2}(?:-?го)?)";
    private const string PodAlt = "(?<pod>утра|дня|вечера|ночи|am|pm|a\\.m\\.|p\\.m\\.)";
    private const string PreAlt = "(?<pre>в|во|к|с|со|до|после|около|часов в|часа в|at|by|after|before|from|around|на)";

    /// <summary>As <see cref="Extract(MessageText, DateOnly)"/>, and also "через час", "через 30 минут", "через полтора часа"
    /// from the local time now (rounded up to 5 minutes).</summary>
    public static DateTimeMention Extract(MessageText m, DateTime localNow)
    {
        if (InTimeRegex().Match(m.Text) is { Success: true } x && m.IsFree(x.Index, x.Length) && InMinutes(x) is { } minutes and > 0 and <= 12 * 60)
        {
            m.Claim(x.Index, x.Length, "zdate");
            var at = localNow.AddMinutes(minutes);
            var rounded = at.AddMinutes((5 - at.Minute % 5) % 5).AddSeconds(-at.Second);
            return new DateTimeMention(DateOnly.FromDateTime(rounded), new TimeOnly(rounded.Hour, rounded.Minute), TimeRelation.At, PartOfDay.None);
        }
        return Extract(m, DateOnly.FromDateTime(localNow));
    }

    private static int? InMinutes(Match x)
    {
        var unit = x.Groups["u"].Value;
        if (unit.StartsWith("полчас", StringComparison.Ordinal) || unit == "half an hour") return 30;
        if (unit.StartsWith("полтора", StringComparison.Ordinal)) return 90;
        var n = x.Groups["n"].Success ? CountWord(x.Groups["n"].Value) : 1;
        return unit.StartsWith("мин", StringComparison.Ordinal) || unit.StartsWith("min", StringComparison.Ordinal) ? n : n * 60;
    }

    public static DateTimeMention Extract(MessageText m, DateOnly today)
    {
        var date = ExtractDate(m, today);
        var pod = PartOfDayWord(m);
        var (time, relation, podFromTime, bare) = ExtractTime(m, pod);
        return new DateTimeMention(date, time, relation, podFromTime != PartOfDay.None ? podFromTime : pod) { TwelveHour = bare };
    }

    // ---------------------------------------------------------------- dates

    private static DateOnly? ExtractDate(MessageText m, DateOnly today)
    {
        // "перенесите с четверга на пятницу", "с 20.11 на 22.11": the first date is the old one, the client wants the second.
        // "завтра не получится, давайте в субботу": a day said to be impossible is the old one too.
        if (FromToRegex().IsMatch(m.Text) || CannotRegex().IsMatch(m.Text))
        {
            var skipped = new List<Match>();
            if (ExtractDate(m, today, skipped) is { } wanted)
            {
                foreach (var x in skipped) if (m.IsFree(x.Index, x.Length)) m.Claim(x.Index, x.Length, "zdate");
                return wanted;
            }
        }
        return ExtractDate(m, today, null);
    }

    /// <summary>Whether a date match is the "from" side of a move: right after "с/со/from" (inside or before the match).</summary>
    private static bool IsFromSide(string t, Match x, List<Match>? skipped)
    {
        if (skipped is null) return false;
        var before = t.AsSpan(0, x.Index).TrimEnd();
        var from = x.Value.StartsWith("с ", StringComparison.Ordinal) || x.Value.StartsWith("со ", StringComparison.Ordinal) || x.Value.StartsWith("from ", StringComparison.Ordinal)
            || before.EndsWith(" с", StringComparison.Ordinal) || before.EndsWith(" со", StringComparison.Ordinal) || before.EndsWith(" from", StringComparison.Ordinal)
            || before is "с" or "со" or "from";
        // ... or the day is followed by "не получится / не смогу / can't make it": it is the one given up.
        var afterStart = x.Index + x.Length;
        var after = t.AsSpan(afterStart, Math.Min(25, t.Length - afterStart)).TrimStart(" ,").ToString();
        from |= CannotRegex().Match(after) is { Success: true, Index: 0 };
        if (from) skipped.Add(x);
        return from;
    }

    /// <param name="skipped">Not null: skip dates on the "from" side of a move and collect them.</param>
    private static DateOnly? ExtractDate(MessageText m, DateOnly today, List<Match>? skipped)
    {
        var t = m.Text;
        // Cheap hints gate the costly patterns: most messages have no digits, month names or weekdays.
        var hasDigit = HasDigit(t);
        var nextWeek = NextWeekRegex().Match(t) is { Success: true } nw ? nw : null;
        var thisWeek = ThisWeekRegex().Match(t) is { Success: true } tw ? tw : null;

        foreach (Match x in hasDigit ? NumericDateRegex().Matches(t) : NoMatches)
        {
            if (!m.IsFree(x.Index, x.Length) || IsFromSide(t, x, skipped)) continue;
            var d = int.Parse(x.Groups["d"].ValueSpan);
            var mo = int.Parse(x.Groups["m"].ValueSpan);
            var hasYear = x.Groups["y"].Success;
            // "в 10.30", "к 18.00" are times; a date is written "на 20.11" or alone.
            if (!hasYear && x.Groups["m"].Length == 2 && TimePrepositionBefore(t, x.Index) && d <= 23 && mo <= 59) continue;
            int? year = hasYear ? ParseYear(x.Groups["y"].Value) : null;
            if (Resolve(today, d, mo, year) is { } date) { Claim(m, x, nextWeek, thisWeek); return date; }
        }

        foreach (Match x in MonthHintRegex().IsMatch(t) ? DayMonthRegex().Matches(t) : NoMatches)
        {
            if (!m.IsFree(x.Index, x.Length) || IsFromSide(t, x, skipped)) continue;
            var mo = MonthNumber(x.Groups["mon"].Value);
            if (mo == 0) continue;
            var d = x.Groups["d"].Success ? int.Parse(x.Groups["d"].ValueSpan) : OrdinalDay(x.Groups["dw"].Value);
            int? year = x.Groups["y"].Success ? ParseYear(x.Groups["y"].Value) : null;
            if (Resolve(today, d, mo, year) is { } date) { Claim(m, x, nextWeek, thisWeek); return date; }
        }

        foreach (Match rel in RelativeDayRegex().Matches(t))
        {
            if (!m.IsFree(rel.Index, rel.Length) || IsFromSide(t, rel, skipped)) continue;
            var w = rel.Value;
            var offset = w.StartsWith("послезавтра", StringComparison.Ordinal) || w.StartsWith("day after", StringComparison.Ordinal) ? 2
                : w.StartsWith("завтра", StringComparison.Ordinal) || w.StartsWith("tomorrow", StringComparison.Ordinal) || w.StartsWith("tmrw", StringComparison.Ordinal) ? 1
                : 0;
            Claim(m, rel, null, null);
            return today.AddDays(offset);
        }

        if (InDaysRegex().Match(t) is { Success: true } inDays && m.IsFree(inDays.Index, inDays.Length))
        {
            var n = inDays.Groups["n"].Success ? CountWord(inDays.Groups["n"].Value) : 1;
            var unit = inDays.Groups["u"].Value;
            var days = unit.StartsWith("нед", StringComparison.Ordinal) || unit.StartsWith("week", StringComparison.Ordinal) ? n * 7 : n;
            if (n > 0 && days <= 366) { Claim(m, inDays, null, null); return today.AddDays(days); }
        }

        foreach (Match x in WeekdayHintRegex().IsMatch(t) ? WeekdayRegex().Matches(t) : NoMatches)
        {
            if (!m.IsFree(x.Index, x.Length) || IsFromSide(t, x, skipped)) continue;
            var wdText = x.Groups["wd"].Value;
            // Two- and three-letter abbreviations ("пт", "fri") only after a preposition, so "вс" or "sat" in prose are not dates.
            if (wdText.Length <= 3 && !x.Groups["p"].Success) continue;
            var wd = Weekday(wdText);
            var mod = x.Groups["mod"].Value;
            DateOnly date;
            if (nextWeek is not null || mod.StartsWith("следующ", StringComparison.Ordinal) || mod == "next")
                date = StartOfWeek(today).AddDays(7 + ((int)wd + 6) % 7);
            else if (thisWeek is not null || mod.StartsWith("эт", StringComparison.Ordinal) || mod == "this" || mod.StartsWith("ближайш", StringComparison.Ordinal))
                date = today.AddDays(((int)wd - (int)today.DayOfWeek + 7) % 7);
            else
                date = today.AddDays(((int)wd - (int)today.DayOfWeek + 6) % 7 + 1);
            Claim(m, x, nextWeek, thisWeek);
            return date;
        }

        if (WeekendRegex().Match(t) is { Success: true } we && m.IsFree(we.Index, we.Length))
        {
            var saturday = nextWeek is not null
                ? StartOfWeek(today).AddDays(12)
                : today.AddDays(((int)DayOfWeek.Saturday - (int)today.DayOfWeek + 7) % 7);
            Claim(m, we, nextWeek, thisWeek);
            return saturday;
        }

        if ((hasDigit || OrdinalHintRegex().IsMatch(t)) && DayOnlyRegex().Match(t) is { Success: true } dayOnly && m.IsFree(dayOnly.Index, dayOnly.Length))
        {
            var d = dayOnly.Groups["d"].Success ? int.Parse(dayOnly.Groups["d"].ValueSpan) : OrdinalDay(dayOnly.Groups["dw"].Value);
            if (d is >= 1 and <= 31)
            {
                // "на 25-е": this month if still ahead, otherwise next month.
                var month = new DateOnly(today.Year, today.Month, 1);
                for (var k = 0; k < 3; k++, month = month.AddMonths(1))
                {
                    if (d > DateTime.DaysInMonth(month.Year, month.Month)) continue;
                    var candidate = new DateOnly(month.Year, month.Month, d);
                    if (candidate >= today) { Claim(m, dayOnly, null, null); return candidate; }
                }
            }
        }

        // Claim "на следующей неделе" anyway: it is date talk, not something for the amount or service readers.
        if (nextWeek is not null && m.IsFree(nextWeek.Index, nextWeek.Length)) m.Claim(nextWeek.Index, nextWeek.Length, "zdate");
        return null;
    }

    private static void Claim(MessageText m, Match x, Match? nextWeek, Match? thisWeek)
    {
        m.Claim(x.Index, x.Length, "zdate");
        foreach (var extra in new[] { nextWeek, thisWeek })
            if (extra is not null && m.IsFree(extra.Index, extra.Length)) m.Claim(extra.Index, extra.Length, "zdate");
    }

    private static DateOnly? Resolve(DateOnly today, int day, int month, int? year)
    {
        if (month is < 1 or > 12 || day < 1) return null;
        var y = year ?? today.Year;
        if (day > DateTime.DaysInMonth(y, month)) return year is null && day <= DateTime.DaysInMonth(y + 1, month) ? new DateOnly(y + 1, month, day) : null;
        var date = new DateOnly(y, month, day);
        if (year is null && date < today)
        {
            if (day > DateTime.DaysInMonth(y + 1, month)) return null;
            date = new DateOnly(y + 1, month, day);
        }
        return date;
    }

    private static int ParseYear(string y) => y.Length == 2 ? 2000 + int.Parse(y) : int.Parse(y);

    private static DateOnly StartOfWeek(DateOnly d) => d.AddDays(-(((int)d.DayOfWeek + 6) % 7));

    private static int OrdinalDay(string words)
    {
        var parts = words.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return NumberWords.TryParseOrdinal(parts, 0, out var v) == parts.Length ? v : 0;
    }

    private static int CountWord(string w) =>
        int.TryParse(w, out var n) ? n : w switch { "пару" or "a" or "an" => w is "пару" ? 2 : 1, _ => NumberWords.Cardinal(w) };

    private static int MonthNumber(string mon)
    {
        string[] ru = ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"];
        string[] en = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        for (var i = 0; i < 12; i++)
            if (mon.StartsWith(ru[i], StringComparison.Ordinal) || mon.StartsWith(en[i], StringComparison.Ordinal)) return i + 1;
        return 0;
    }

    private static DayOfWeek Weekday(string w) => w[..2] switch
    {
        "по" or "пн" or "mo" => DayOfWeek.Monday,
        "вт" or "tu" => DayOfWeek.Tuesday,
        "ср" or "we" => DayOfWeek.Wednesday,
        "че" or "чт" or "th" => DayOfWeek.Thursday,
        "пя" or "пт" or "fr" => DayOfWeek.Friday,
        "су" or "сб" or "sa" => DayOfWeek.Saturday,
        _ => DayOfWeek.Sunday,
    };

    private static bool TimePrepositionBefore(string t, int index) => TimePrepositionRegex().IsMatch(t.AsSpan(0, index));

    // ---------------------------------------------------------------- times

    private static (TimeOnly?, TimeRelation, PartOfDay, bool) ExtractTime(MessageText m, PartOfDay messagePod)
    {
        Match? best = null;
        var bestKind = 0;
        Regex[] kinds = [ClockRegex(), HalfRegex(), QuarterRegex(), MinutesToRegex(), NoonRegex(), HourAmPmRegex(), HourWithPrepositionRegex(), HourWithUnitRegex(), HourWordRegex()];
        var t = m.Text;
        var hasDigit = HasDigit(t);
        bool[] worthScanning =
        [
            hasDigit, t.Contains("пол", StringComparison.Ordinal), t.Contains("четверт", StringComparison.Ordinal), t.Contains("без", StringComparison.Ordinal),
            NoonHintRegex().IsMatch(t), hasDigit, hasDigit, hasDigit, HourWordHintRegex().IsMatch(t),
        ];
        for (var k = 0; k < kinds.Length; k++)
        {
            if (!worthScanning[k]) continue;
            foreach (Match x in kinds[k].Matches(t))
            {
                if (!m.IsFree(x.Index, x.Length)) continue;
                if (Read(x, k, messagePod) is null) continue;
                if (best is null || x.Index < best.Index) { best = x; bestKind = k; }
                break;
            }
        }
        if (best is null) return (null, TimeRelation.At, PartOfDay.None, false);
        var (time, pod, bare) = Read(best, bestKind, messagePod)!.Value;
        m.Claim(best.Index, best.Length, "ztime");
        return (time, Relation(best.Groups["pre"].Value), pod, bare && messagePod == PartOfDay.None);
    }

    /// <summary>Reads the time out of one match of pattern <paramref name="kind"/>; null when it is not a valid time.</summary>
    private static (TimeOnly Time, PartOfDay Pod, bool Bare)? Read(Match x, int kind, PartOfDay messagePod)
    {
        var podText = x.Groups["pod"].Value;
        var pod = PodOf(podText);
        var effectivePod = pod != PartOfDay.None ? pod : messagePod;
        int h, min = 0;
        bool literal24 = false;
        switch (kind)
        {
            case 0: // 15:00, 15.30, 18-00
                h = int.Parse(x.Groups["h"].ValueSpan);
                min = int.Parse(x.Groups["m"].ValueSpan);
                literal24 = x.Groups["h"].Length == 2 && x.Groups["h"].Value[0] == '0';
                var sep = x.Groups["sep"].Value;
                if (sep != ":" && !x.Groups["pre"].Success && !x.Groups["pod"].Success && min % 15 != 0) return null;
                break;
            case 1: // половина пятого, полпятого
                h = HourOrdinal(x.Groups["ho"].Value) - 1;
                if (h < 0) return null;
                if (h == 0) h = 12;
                min = 30;
                break;
            case 2: // четверть пятого
                h = HourOrdinal(x.Groups["ho"].Value) - 1;
                if (h < 0) return null;
                if (h == 0) h = 12;
                min = 15;
                break;
            case 3: // без четверти пять, без 10 пять
                h = HourValue(x.Groups["h"].Value, x.Groups["hw"].Value) - 1;
                if (h < 0) return null;
                if (h == 0) h = 12;
                min = 60 - MinutesWord(x.Groups["mw"].Value);
                break;
            case 4: // полдень, полночь
                return x.Value.Contains("ноч") || x.Value.Contains("midnight") ? (new TimeOnly(0, 0), PartOfDay.Night, false) : (new TimeOnly(12, 0), PartOfDay.Afternoon, false);
            default:
                var pre = x.Groups["pre"].Value;
                // "на 2 часа" is a duration and "в три" alone may be anything: a bare hour needs a clear time cue.
                if (pre == "на" && !x.Groups["pod"].Success) return null;
                if (kind == 8 && !(x.Groups["pod"].Success || x.Groups["unit"].Success || (pre.Length > 0 && (x.Groups["hw"].Value != "час" || pre is not ("на" or "часов в" or "часа в")))))
                    return null;
                h = HourValue(x.Groups["h"].Value, x.Groups["hw"].Value);
                if (x.Groups["m"].Success) min = int.Parse(x.Groups["m"].ValueSpan);
                break;
        }
        if (h < 0 || h > 23 || min is < 0 or > 59) return null;
        var bare = h is >= 1 and <= 12 && !literal24 && podText.Length == 0 && effectivePod == PartOfDay.None;
        h = Adjust(h, podText, effectivePod, literal24);
        return h is < 0 or > 23 ? null : (new TimeOnly(h, min), pod, bare);
    }

    private static int Adjust(int h, string podText, PartOfDay pod, bool literal24)
    {
        if (h >= 13 || literal24) return h;
        if (podText is "pm" or "p.m.") return h == 12 ? 12 : h + 12;
        if (podText is "am" or "a.m.") return h == 12 ? 0 : h;
        return pod switch
        {
            PartOfDay.Morning => h,
            PartOfDay.Afternoon => h is >= 1 and <= 7 ? h + 12 : h,
            PartOfDay.Evening => h is >= 1 and <= 11 ? h + 12 : h,
            PartOfDay.Night => h is >= 9 and <= 11 ? h + 12 : h == 12 ? 0 : h,
            _ => h is >= 1 and <= 7 ? h + 12 : h,
        };
    }

    private static PartOfDay PodOf(string pod) => pod switch
    {
        "утра" or "am" or "a.m." => PartOfDay.Morning,
        "дня" or "pm" or "p.m." => PartOfDay.Afternoon,
        "вечера" => PartOfDay.Evening,
        "ночи" => PartOfDay.Night,
        _ => PartOfDay.None,
    };

    private static PartOfDay PartOfDayWord(MessageText m)
    {
        var x = PartOfDayRegex().Match(m.Text);
        if (!x.Success) return PartOfDay.None;
        var w = x.Value;
        return w.Contains("утр") || w.Contains("morning") || w.Contains("перв") || w.Contains("first") ? PartOfDay.Morning
            : w.Contains("вечер") || w.Contains("evening") || w.Contains("tonight") || w.Contains("работ") || w.Contains("work") ? PartOfDay.Evening
            : w.Contains("ноч") || w.Contains("night") ? PartOfDay.Night
            : PartOfDay.Afternoon;
    }

    private static int HourValue(string digits, string word)
    {
        if (digits.Length > 0) return int.Parse(digits);
        if (word == "час") return 1;
        var v = NumberWords.Cardinal(word);
        return v is >= 1 and <= 12 ? v : -1;
    }

    private static int HourOrdinal(string w)
    {
        if (w.Length > 0 && char.IsAsciiDigit(w[0])) return int.Parse(w.AsSpan(0, char.IsAsciiDigit(w.Length > 1 ? w[1] : ' ') ? 2 : 1));
        var v = NumberWords.Ordinal(w);
        return v is >= 1 and <= 12 ? v : -1;
    }

    private static int MinutesWord(string w) =>
        int.TryParse(w, out var n) ? n : w switch { "четверти" => 15, "пятнадцати" => 15, "десяти" => 10, "двадцати" => 20, "пяти" => 5, _ => 0 };

    private static TimeRelation Relation(string pre) => pre switch
    {
        "после" or "after" or "с" or "со" or "from" => TimeRelation.After,
        "до" or "before" => TimeRelation.Before,
        "к" or "by" => TimeRelation.By,
        _ => TimeRelation.At,
    };

    // ---------------------------------------------------------------- patterns

    private static readonly MatchCollection NoMatches = Regex.Matches("", "x");

    private static bool HasDigit(string t) => t.AsSpan().IndexOfAnyInRange('0', '9') >= 0;

    [GeneratedRegex(@"январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", RegexOptions.CultureInvariant)]
    private static partial Regex MonthHintRegex();

    [GeneratedRegex(@"понедельн|вторн|сред|четверг|пятниц|суббот|воскрес|monday|tuesday|wednesday|thursday|friday|saturday|sunday|пн|вт|ср|чт|пт|сб|вс|mon|tue|wed|thu|fri|sat|sun", RegexOptions.CultureInvariant)]
    private static partial Regex WeekdayHintRegex();

    [GeneratedRegex(@"ого\b|ое\b|ье\b", RegexOptions.CultureInvariant)]
    private static partial Regex OrdinalHintRegex();

    [GeneratedRegex(@"полд|полн|noon|midday|midnight", RegexOptions.CultureInvariant)]
    private static partial Regex NoonHintRegex();

    [GeneratedRegex(@"\b(?:час|одиннадцать|двенадцать|один|два|три|четыре|пять|шесть|семь|восемь|девять|десять|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b", RegexOptions.CultureInvariant)]
    private static partial Regex HourWordHintRegex();

    [GeneratedRegex(@"(?<![\d.:/])(?<d>\d{1,2})[./](?<m>\d{1,2})(?:[./](?<y>\d{4}|\d{2}))?(?![\d:]|[./]\d|\s*(?:k\b|к\b|тыс|т\.?р|руб|р\b|₽|\$))", RegexOptions.CultureInvariant)]
    private static partial Regex NumericDateRegex();

    [GeneratedRegex(@"(?:(?<![\d])(?<d>\d{1,2})(?:-?(?:го|е|ое|th|st|nd|rd))?|\b(?<dw>(?:двадцать |тридцать )?[а-я]+(?:ого|ое|ье|ьего)))(?: of)?\s*" + MonthAlt + @"\b(?:\s*(?<y>20\d\d))?|\b" + MonthAlt + @"\s+(?<d>\d{1,2})(?:st|nd|rd|th)?\b", RegexOptions.CultureInvariant)]
    private static partial Regex DayMonthRegex();

    [GeneratedRegex(@"\b(?:послезавтра|завтра|сегодня|day after tomorrow|tomorrow|tmrw|today|tonight)\b", RegexOptions.CultureInvariant)]
    private static partial Regex RelativeDayRegex();

    [GeneratedRegex(@"\b(?:через|in)\s+(?:(?<u>полчаса|полтора\s+часа|half an hour)|(?:(?<n>\d{1,3}|пару|два|две|три|четыре|пять|десять|пятнадцать|двадцать|тридцать|сорок|a|an|one|two|three|ten|fifteen|twenty|thirty|forty)\s+)?(?<u>минут[уы]?|мин|час[аов]*|minutes?|mins?|hours?))\b", RegexOptions.CultureInvariant)]
    private static partial Regex InTimeRegex();

    [GeneratedRegex(@"(?:^|\s)(?:с|со|from)\s+\S.*\s(?:на|to)\s+\S", RegexOptions.CultureInvariant)]
    private static partial Regex FromToRegex();

    [GeneratedRegex(@"(?:я\s+)?(?:не\s+(?:получится|получается|смогу|могу|выйдет|успею|успеваю|подходит|подойдет|подойдёт)|никак\b|(?:i\s+)?(?:can'?t|cannot|won'?t)\s+(?:make|come|do)|(?:does|is)\s*n[o']t\s+(?:work|suit)|no\s+longer\s+works)", RegexOptions.CultureInvariant)]
    private static partial Regex CannotRegex();

    [GeneratedRegex(@"\b(?:через|in)\s+(?:(?<n>\d{1,3}|пару|два|две|три|четыре|пять|шесть|семь|десять|a|an|one|two|three|four|five)\s+)?(?<u>дн[яейи]\w*|день|недел[юиь]\w*|days?|weeks?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex InDaysRegex();

    [GeneratedRegex(@"(?:(?<p>\b(?:в|во|на|on|by)\s+))?(?:(?<mod>эт[уоа]|следующ[а-я]*|ближайш[а-я]*|this|next)\s+)?\b(?<wd>понедельник[а-я]*|вторник[а-я]*|сред[уаые]|четверг[а-я]*|пятниц[а-я]*|суббот[а-я]*|воскресень[а-я]*|monday|tuesday|wednesday|thursday|friday|saturday|sunday|пн|вт|ср|чт|пт|сб|вс|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b", RegexOptions.CultureInvariant)]
    private static partial Regex WeekdayRegex();

    [GeneratedRegex(@"\b(?:(?:в|на)\s+)?(?:след(?:ующ[а-я]*|\.)?\s+недел[а-я]*|next week)\b", RegexOptions.CultureInvariant)]
    private static partial Regex NextWeekRegex();

    [GeneratedRegex(@"\b(?:(?:на|в)\s+)?(?:этой\s+неделе|this week)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ThisWeekRegex();

    [GeneratedRegex(@"\b(?:(?:в|на)\s+)?(?:эти\s+)?(?:выходны[еx]|выходных|weekend)\b|\bthis weekend\b", RegexOptions.CultureInvariant)]
    private static partial Regex WeekendRegex();

    [GeneratedRegex(@"(?<![\d.])(?<d>\d{1,2})-(?:го|е|ое)\b|\b(?:на|к|до|с)\s+(?:(?<d>\d{1,2})(?:-?(?:го|е|ое)|\s+числ[оа])|(?<dw>(?:двадцать |тридцать )?[а-я]+(?:ого|ое|ье|ьего))(?:\s+числ[оа])?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex DayOnlyRegex();

    [GeneratedRegex(@"\b(?:в|во|к|с|со|до|после|около|at|by|after|from)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TimePrepositionRegex();

    [GeneratedRegex(@"(?:\b" + PreAlt + @"\s*)?(?<![\d.])(?<h>\d{1,2})(?<sep>[:.\-])(?<m>\d{2})(?![\d.]|-\d)(?:\s*(?:ч\b|час[а-я]*))?\s*" + PodAlt + "?", RegexOptions.CultureInvariant)]
    private static partial Regex ClockRegex();

    [GeneratedRegex(@"(?:\b" + PreAlt + @"\s*)?\b(?:пол|половин[аеуы])[\s\-]*" + HourOrdinalAlt + @"(?:\s*" + PodAlt + ")?", RegexOptions.CultureInvariant)]
    private static partial Regex HalfRegex();

    [GeneratedRegex(@"(?:\b" + PreAlt + @"\s*)?\bчетверть\s+" + HourOrdinalAlt + @"(?:\s*" + PodAlt + ")?", RegexOptions.CultureInvariant)]
    private static partial Regex QuarterRegex();

    [GeneratedRegex(@"(?:\b" + PreAlt + @"\s*)?\bбез\s+(?<mw>четверти|пятнадцати|десяти|двадцати|пяти|\d{1,2})(?:\s*мин[а-я]*)?\s+(?:(?<h>\d{1,2})\b|\b" + HourWordAlt + @"\b)(?:\s*" + PodAlt + ")?", RegexOptions.CultureInvariant)]
    private static partial Regex MinutesToRegex();

    [GeneratedRegex(@"\b(?:в\s+)?(?:полдень|полночь|noon|midday|midnight)\b", RegexOptions.CultureInvariant)]
    private static partial Regex NoonRegex();

    [GeneratedRegex(@"(?:\b" + PreAlt + @"\s*)?(?<![\d.:])(?<h>\d{1,2})(?::(?<m>\d{2}))?\s*(?<pod>am|pm|a\.m\.|p\.m\.)(?![a-z])", RegexOptions.CultureInvariant)]
    private static partial Regex HourAmPmRegex();

    [GeneratedRegex(@"\b" + PreAlt + @"\s*(?<![\d.:])(?<h>\d{1,2})(?![\d:/]|[.,]\d|\s*(?:-?(?:го|е|ое)\b|числ|раз|мин|чел|шт|%|руб|р\b|₽|тыс|к\b|k\b|т\b|дн|недел|лет|год|мес|сеанс|процед|заняти|занят|кг|см|мл))(?:\s*(?<unit>ч\b|час[а-я]*))?(?:\s*" + PodAlt + ")?", RegexOptions.CultureInvariant)]
    private static partial Regex HourWithPrepositionRegex();

    [GeneratedRegex(@"(?<![\d.:])(?<!\b(?:на|через)\s{0,3})(?<h>\d{1,2})\s*(?:(?:ч\b|час[а-я]*)(?:\s*" + PodAlt + ")?|" + PodAlt + @"\b)", RegexOptions.CultureInvariant)]
    private static partial Regex HourWithUnitRegex();

    [GeneratedRegex(@"(?:\b" + PreAlt + @"\s+)?\b" + HourWordAlt + @"\b(?:\s*(?<unit>час[а-я]*|o'?clock))?(?:\s*" + PodAlt + @"(?![а-яa-z]))?", RegexOptions.CultureInvariant)]
    private static partial Regex HourWordRegex();

    [GeneratedRegex(@"\b(?:с\s+утра|утром|утречком|днем|днeм|в обед|после обеда|вечером|вечерком|ночью|ближе к вечеру|к вечеру|под вечер|после работы|во второй половине дня|в первой половине дня|first half of the day|in the morning|morning|in the afternoon|afternoon|in the evening|evening|after work|tonight)\b", RegexOptions.CultureInvariant)]
    private static partial Regex PartOfDayRegex();
}
