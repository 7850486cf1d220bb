using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Messaging;

/// <summary>One unpaid-link reminder step: either <see cref="AfterMinutes"/> after sending, or the next day
/// at <see cref="NextDayAt"/> (local "HH:mm").</summary>
public sealed record ReminderStep(int? AfterMinutes = null, string? NextDayAt = null);

/// <summary>
/// A merchant's reminder rules. Defaults: unpaid-link reminders 30 minutes after sending and the next day at
/// 11:00 local; visit reminders 24 h and 2 h before; quiet hours 21:00–09:00 local; every step on the channel
/// the invoice went through. <see cref="Escalation"/>[i] names the channel of step i (the last entry repeats):
/// "same", a provider id (telegram, exolve, email, webchat) or "manager" (a task for the manager: the
/// conversation is flagged needs_reply instead of messaging the client).
/// </summary>
public sealed record ReminderPolicy(
    bool LinkRemindersEnabled,
    IReadOnlyList<ReminderStep> LinkSteps,
    bool VisitRemindersEnabled,
    IReadOnlyList<int> VisitHoursBefore,
    string QuietFrom,
    string QuietTo,
    IReadOnlyList<string> Escalation)
{
    public const string Same = "same";
    public const string Manager = "manager";

    public static readonly ReminderPolicy Default = new(true, [new(AfterMinutes: 30), new(NextDayAt: "11:00")], true, [24, 2], "21:00", "09:00", [Same]);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ChannelForStep(int step) => Escalation.Count == 0 ? Same : Escalation[Math.Min(step, Escalation.Count - 1)];

    /// <summary>Checks every field; errors name it (linkSteps[1].nextDayAt, quietFrom…).</summary>
    public Result<ReminderPolicy> Validate(IEnumerable<string> knownChannels)
    {
        var e = new ValidationErrors();
        if (LinkSteps is null || LinkSteps.Count > 5) e.Add("linkSteps", "linkSteps must be a list of at most 5 steps.");
        else
            for (var i = 0; i < LinkSteps.Count; i++)
            {
                var s = LinkSteps[i];
                if ((s.AfterMinutes is null) == (s.NextDayAt is null)) e.Add($"linkSteps[{i}]", "Give exactly one of afterMinutes or nextDayAt.");
                else if (s.AfterMinutes is { } m && (m < 1 || m > 7 * 24 * 60)) e.Add($"linkSteps[{i}].afterMinutes", "afterMinutes must be 1–10080.");
                else if (s.NextDayAt is { } t && ParseTime(t) is null) e.Add($"linkSteps[{i}].nextDayAt", "nextDayAt must be a local time HH:mm.");
            }
        if (VisitHoursBefore is null || VisitHoursBefore.Count > 5 || VisitHoursBefore.Any(h => h is < 1 or > 168))
            e.Add("visitHoursBefore", "visitHoursBefore must be at most 5 numbers of hours, 1–168.");
        if (ParseTime(QuietFrom) is null) e.Add("quietFrom", "quietFrom must be a local time HH:mm.");
        if (ParseTime(QuietTo) is null) e.Add("quietTo", "quietTo must be a local time HH:mm.");
        var allowed = knownChannels.Append(Same).Append(Manager).ToHashSet(StringComparer.Ordinal);
        if (Escalation is null || Escalation.Count is 0 or > 5) e.Add("escalation", "escalation must list 1–5 channels.");
        else
            for (var i = 0; i < Escalation.Count; i++)
                if (!allowed.Contains(Escalation[i])) e.Add($"escalation[{i}]", $"Unknown channel '{Escalation[i]}'. Use one of: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.");
        return e.Any ? e.ToError() : this;
    }

    /// <summary>When step <paramref name="step"/> is due for a message sent at <paramref name="sentAt"/>, moved out of quiet hours.</summary>
    public DateTimeOffset DueAt(int step, DateTimeOffset sentAt, TimeZoneInfo zone)
    {
        var s = LinkSteps[step];
        DateTimeOffset due;
        if (s.AfterMinutes is { } m) due = sentAt.AddMinutes(m);
        else
        {
            var local = TimeZoneInfo.ConvertTime(sentAt, zone);
            var at = ParseTime(s.NextDayAt!)!.Value;
            due = AtLocal(local.Date.AddDays(1), at, zone);
        }
        return OutOfQuietHours(due, zone, later: true).ToUniversalTime();
    }

    /// <summary>Moves a time inside quiet hours to their end (<paramref name="later"/>) or to just before they start.</summary>
    public DateTimeOffset OutOfQuietHours(DateTimeOffset at, TimeZoneInfo zone, bool later)
    {
        var from = ParseTime(QuietFrom)!.Value;
        var to = ParseTime(QuietTo)!.Value;
        if (from == to) return at;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var t = TimeOnly.FromTimeSpan(local.TimeOfDay);
        var wraps = from > to;   // 21:00–09:00
        var quiet = wraps ? t >= from || t < to : t >= from && t < to;
        if (!quiet) return at;
        if (later)
        {
            var day = wraps && t >= from ? local.Date.AddDays(1) : local.Date;
            return AtLocal(day, to, zone);
        }
        var startDay = wraps && t < to ? local.Date.AddDays(-1) : local.Date;
        return AtLocal(startDay, from, zone).AddMinutes(-1);
    }

    public static TimeOnly? ParseTime(string? s) =>
        s is not null && TimeOnly.TryParseExact(s, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    private static DateTimeOffset AtLocal(DateTime date, TimeOnly time, TimeZoneInfo zone) =>
        DateFormat.LocalToUtc(DateOnly.FromDateTime(date), time, zone);
}

/// <summary>Reads and saves a merchant's <see cref="ReminderPolicy"/>.</summary>
public sealed class ReminderPolicies(AppDbContext db, Providers.ProviderRegistry<Providers.IMessageChannel> channels, TimeProvider clock)
{
    public async Task<ReminderPolicy> GetAsync(string merchantId, CancellationToken ct)
    {
        var row = await db.ReminderPolicies.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(p => p.MerchantId == merchantId, ct);
        return row is null ? ReminderPolicy.Default : JsonSerializer.Deserialize<ReminderPolicy>(row.Json, ReminderPolicy.Json) ?? ReminderPolicy.Default;
    }

    public async Task<Result<ReminderPolicy>> SaveAsync(string merchantId, ReminderPolicy policy, CancellationToken ct)
    {
        var valid = policy.Validate(channels.Ids);
        if (!valid.IsSuccess) return valid;
        var json = JsonSerializer.Serialize(policy, ReminderPolicy.Json);
        await db.UpsertAsync(async c =>
        {
            var row = await db.ReminderPolicies.FirstOrDefaultAsync(p => p.MerchantId == merchantId, c);
            if (row is null) db.ReminderPolicies.Add(ReminderPolicyRecord.Create(merchantId, json, clock.GetUtcNow()));
            else row.Replace(json, clock.GetUtcNow());
        }, ct);
        return valid;
    }
}
