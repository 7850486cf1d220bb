using Paylink.Core.Assistance;

namespace Paylink.Assistant.Dialogue;

/// <summary>A booked interval (UTC) that a new booking must not overlap.</summary>
public sealed record BusyInterval(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Checks a requested start against opening hours, lead time and existing bookings, and finds the nearest
/// free starts when it is taken. Pure: all times in, all times out; the zone turns local wall-clock times
/// into instants.
/// </summary>
public static class SlotFinder
{
    public enum Verdict { Free, Past, Closed, Taken }

    public static Verdict Check(DateTimeOffset start, TimeSpan duration, DialoguePolicy policy, IReadOnlyList<BusyInterval> busy,
        DateTimeOffset now, TimeZoneInfo zone)
    {
        if (start < now.AddMinutes(policy.MinLeadMinutes)) return Verdict.Past;
        var local = TimeZoneInfo.ConvertTime(start, zone);
        if (policy.Hours.On(local.DayOfWeek) is not { } hours) return Verdict.Closed;
        if (!WeeklyHours.Fits(hours, TimeOnly.FromDateTime(local.DateTime), duration)) return Verdict.Closed;
        var end = start + duration;
        return busy.Any(b => b.Start < end && b.End > start) ? Verdict.Taken : Verdict.Free;
    }

    /// <summary>Up to <paramref name="count"/> free starts nearest to <paramref name="wanted"/> (the same day first, then the next days, within <paramref name="days"/>).</summary>
    public static IReadOnlyList<DateTimeOffset> Nearest(DateTimeOffset wanted, TimeSpan duration, DialoguePolicy policy, IReadOnlyList<BusyInterval> busy,
        DateTimeOffset now, TimeZoneInfo zone, int count = 3, int days = 7)
    {
        var wantedLocal = TimeZoneInfo.ConvertTime(wanted, zone);
        var result = new List<DateTimeOffset>();
        for (var d = 0; d < days && result.Count < count; d++)
        {
            var day = DateOnly.FromDateTime(wantedLocal.DateTime).AddDays(d);
            var candidates = FreeStarts(day, duration, policy, busy, now, zone);
            // The wanted day: closest to the wanted time; later days: earliest first.
            var ordered = d == 0 ? candidates.OrderBy(c => Math.Abs((c - wanted).Ticks)) : candidates.OrderBy(c => c);
            result.AddRange(ordered.Take(count - result.Count));
        }
        return result.OrderBy(r => r).ToList();
    }

    /// <summary>Every free start of a local day, on the policy's step.</summary>
    public static IEnumerable<DateTimeOffset> FreeStarts(DateOnly day, TimeSpan duration, DialoguePolicy policy, IReadOnlyList<BusyInterval> busy,
        DateTimeOffset now, TimeZoneInfo zone)
    {
        if (policy.Hours.On(day.DayOfWeek) is not { } hours) yield break;
        for (var t = hours.Open; WeeklyHours.Fits(hours, t, duration); t = t.AddMinutes(policy.SlotStepMinutes))
        {
            var start = ToInstant(day, t, zone);
            if (Check(start, duration, policy, busy, now, zone) == Verdict.Free) yield return start;
            if (t.AddMinutes(policy.SlotStepMinutes) < t) yield break; // wrapped past midnight
        }
    }

    public static DateTimeOffset ToInstant(DateOnly day, TimeOnly time, TimeZoneInfo zone) => Core.Common.DateFormat.LocalToUtc(day, time, zone);
}
