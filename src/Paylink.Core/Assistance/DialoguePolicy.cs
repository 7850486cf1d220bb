using System.Globalization;
using Paylink.Core.Common;

namespace Paylink.Core.Assistance;

public enum PrepaymentKind { None, Fixed, Percent, Full }

/// <summary>How much a client prepays when booking: nothing, a fixed sum, a percentage of the price, or all of it.</summary>
/// <param name="Value">Minor units for <see cref="PrepaymentKind.Fixed"/>, 1..100 for <see cref="PrepaymentKind.Percent"/>.</param>
public sealed record PrepaymentRule(PrepaymentKind Kind = PrepaymentKind.None, long Value = 0)
{
    /// <summary>The prepayment for a service price, never more than the price.</summary>
    public long For(long priceMinor) => Kind switch
    {
        PrepaymentKind.Fixed => Math.Min(Value, priceMinor),
        PrepaymentKind.Percent => (long)Math.Round(priceMinor * Math.Clamp(Value, 0, 100) / 100m, MidpointRounding.AwayFromZero),
        PrepaymentKind.Full => priceMinor,
        _ => 0,
    };
}

/// <summary>
/// What a cancellation costs: more than <see cref="FullRefundHoursBefore"/> hours before the visit the
/// prepayment is refunded in full; later it is kept (<see cref="KeepDepositWhenLate"/>) or the case goes
/// to the manager.
/// </summary>
public sealed record CancellationRule(int FullRefundHoursBefore = 24, bool KeepDepositWhenLate = true);

/// <summary>Opening hours for each weekday; null means closed that day.</summary>
public sealed class WeeklyHours
{
    private readonly (TimeOnly Open, TimeOnly Close)?[] _days = new (TimeOnly, TimeOnly)?[7];

    /// <summary>Monday–Sunday 10:00–20:00 unless told otherwise.</summary>
    public static WeeklyHours Default { get; } = Every(new TimeOnly(10, 0), new TimeOnly(20, 0));

    public static WeeklyHours Every(TimeOnly open, TimeOnly close)
    {
        var w = new WeeklyHours();
        for (var d = 0; d < 7; d++) w._days[d] = (open, close);
        return w;
    }

    /// <summary>A close of "24:00" (or "00:00" after an opening time): open until midnight.</summary>
    public static readonly TimeOnly Midnight = TimeOnly.MaxValue;

    /// <summary>How long after the day's start the place closes (24 h for <see cref="Midnight"/>).</summary>
    public static TimeSpan CloseOffset(TimeOnly close) => close == Midnight ? TimeSpan.FromDays(1) : close.ToTimeSpan();

    /// <summary>Whether a visit from <paramref name="start"/> lasting <paramref name="duration"/> lies within open hours of
    /// <paramref name="hours"/> (ending exactly at closing, midnight included, fits).</summary>
    public static bool Fits((TimeOnly Open, TimeOnly Close) hours, TimeOnly start, TimeSpan duration) =>
        start >= hours.Open && start.ToTimeSpan() + duration <= CloseOffset(hours.Close);

    /// <summary>"HH:mm" of a closing time, "24:00" for midnight.</summary>
    public static string FormatClose(TimeOnly close) => close == Midnight ? "24:00" : close.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Parses "mon-fri 10:00-20:00; sat 11:00-18:00" (days not named are closed; "…-24:00" or "…-00:00" is until midnight).</summary>
    public static Result<WeeklyHours> Parse(string text)
    {
        var w = new WeeklyHours();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (pieces.Length != 2 || DayRange(pieces[0]) is not { } days || Hours(pieces[1]) is not { } hours || hours.Open >= hours.Close)
                return Error.Validation("hours", $"'{part}' is not like 'mon-fri 10:00-20:00'.");
            foreach (var d in days) w._days[(int)d] = hours;
        }
        return w;
    }

    public (TimeOnly Open, TimeOnly Close)? On(DayOfWeek day) => _days[(int)day];

    private static readonly string[] Names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private static IEnumerable<DayOfWeek>? DayRange(string s)
    {
        var ends = s.ToLowerInvariant().Split('-');
        var a = Array.IndexOf(Names, ends[0]);
        var b = ends.Length == 2 ? Array.IndexOf(Names, ends[1]) : a;
        if (a < 0 || b < 0 || ends.Length > 2) return null;
        var list = new List<DayOfWeek>();
        for (var d = a; ; d = (d + 1) % 7) { list.Add((DayOfWeek)d); if (d == b) break; }
        return list;
    }

    private static (TimeOnly Open, TimeOnly Close)? Hours(string s)
    {
        var ends = s.Split('-');
        if (ends.Length != 2 || !TimeOnly.TryParseExact(ends[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var o)) return null;
        if (ends[1] is "24:00" or "00:00") return (o, Midnight);
        return TimeOnly.TryParseExact(ends[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var c) ? (o, c) : null;
    }
}

/// <summary>The merchant's rules the assistant follows in a conversation.</summary>
/// <param name="SlotStepMinutes">Offered start times are multiples of this.</param>
/// <param name="DefaultDurationMinutes">For services without a duration in the catalog.</param>
/// <param name="MaxPaymentMinor">The largest amount a client may ask to pay in chat ("хочу оплатить 5000").</param>
/// <param name="MinLeadMinutes">How soon from now a booking may start.</param>
public sealed record DialoguePolicy(
    WeeklyHours Hours,
    PrepaymentRule Prepayment,
    CancellationRule Cancellation,
    int SlotStepMinutes = 30,
    int DefaultDurationMinutes = 60,
    long MaxPaymentMinor = 10_000_000,
    int MinLeadMinutes = 60)
{
    public static DialoguePolicy Default { get; } = new(WeeklyHours.Default, new PrepaymentRule(), new CancellationRule());
}
