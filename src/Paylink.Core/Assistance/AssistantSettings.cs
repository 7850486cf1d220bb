using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Assistance;

/// <summary>The prepayment rule as the API and the dashboard show it: kind none | fixed | percent | full.</summary>
public sealed record PrepaymentSetting(string Kind = "none", long Value = 0);

/// <summary>The cancellation rule as the API shows it.</summary>
public sealed record CancellationSetting(int FullRefundHoursBefore = 24, bool KeepDepositWhenLate = true);

/// <summary>
/// A merchant's rules for the chat assistant (GET/PUT /api/v1/assistant/settings): whether it answers at
/// all, on which channel accounts it stays quiet, opening hours, prepayment and cancellation rules and the
/// limits of a booking. Stored as one JSON document (<see cref="MerchantSetting"/> kind "assistant").
/// </summary>
public sealed record AssistantSettings(
    bool Enabled = true,
    IReadOnlyList<string>? DisabledChannelAccounts = null,
    string Hours = "mon-sun 10:00-20:00",
    PrepaymentSetting? Prepayment = null,
    CancellationSetting? Cancellation = null,
    int SlotStepMinutes = 30,
    int DefaultDurationMinutes = 60,
    long MaxPaymentMinor = 10_000_000,
    int MinLeadMinutes = 60)
{
    public const string Kind = "assistant";
    public static readonly string[] PrepaymentKinds = ["none", "fixed", "percent", "full"];

    public static AssistantSettings Default { get; } = new() { Prepayment = new(), Cancellation = new(), DisabledChannelAccounts = [] };

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Whether the assistant answers on this channel account.</summary>
    public bool AnswersOn(string channelAccountId) => Enabled && !(DisabledChannelAccounts ?? []).Contains(channelAccountId, StringComparer.Ordinal);

    /// <summary>Defaults filled in; every field checked, errors name it (hours, prepayment.value…).</summary>
    public Result<AssistantSettings> Validate(IReadOnlyCollection<string> channelAccountIds)
    {
        var e = new ValidationErrors();
        var hours = WeeklyHours.Parse(Hours ?? "");
        if (!hours.IsSuccess || string.IsNullOrWhiteSpace(Hours)) e.Add("hours", hours.IsSuccess ? "hours is required, e.g. 'mon-fri 10:00-20:00; sat 11:00-18:00'." : hours.Error!.Message);
        var pre = Prepayment ?? new PrepaymentSetting();
        if (!PrepaymentKinds.Contains(pre.Kind)) e.Add("prepayment.kind", $"prepayment.kind must be one of: {string.Join(", ", PrepaymentKinds)}.");
        else if (pre.Kind == "fixed" && pre.Value <= 0) e.Add("prepayment.value", "prepayment.value must be a positive amount in minor units for kind 'fixed'.");
        else if (pre.Kind == "percent" && pre.Value is < 1 or > 100) e.Add("prepayment.value", "prepayment.value must be 1–100 (per cent) for kind 'percent'.");
        var cancel = Cancellation ?? new CancellationSetting();
        if (cancel.FullRefundHoursBefore is < 0 or > 24 * 30) e.Add("cancellation.fullRefundHoursBefore", "cancellation.fullRefundHoursBefore must be 0–720 hours.");
        if (SlotStepMinutes is < 5 or > 240) e.Add("slotStepMinutes", "slotStepMinutes must be 5–240.");
        if (DefaultDurationMinutes is < 5 or > 24 * 60) e.Add("defaultDurationMinutes", "defaultDurationMinutes must be 5–1440.");
        if (MaxPaymentMinor < 100) e.Add("maxPaymentMinor", "maxPaymentMinor must be at least 100 (minor units).");
        if (MinLeadMinutes is < 0 or > 7 * 24 * 60) e.Add("minLeadMinutes", "minLeadMinutes must be 0–10080.");
        var disabled = DisabledChannelAccounts ?? [];
        for (var i = 0; i < disabled.Count; i++)
            if (!channelAccountIds.Contains(disabled[i])) e.Add($"disabledChannelAccounts[{i}]", $"Channel account '{disabled[i]}' was not found.");
        if (e.Any) return e.ToError();
        return this with { Prepayment = pre, Cancellation = cancel, DisabledChannelAccounts = disabled.Distinct(StringComparer.Ordinal).ToList(), Hours = Hours!.Trim() };
    }

    /// <summary>The rules the dialogue follows. Call on validated settings.</summary>
    public DialoguePolicy ToPolicy()
    {
        var pre = Prepayment ?? new PrepaymentSetting();
        var kind = pre.Kind switch { "fixed" => PrepaymentKind.Fixed, "percent" => PrepaymentKind.Percent, "full" => PrepaymentKind.Full, _ => PrepaymentKind.None };
        var cancel = Cancellation ?? new CancellationSetting();
        return new DialoguePolicy(WeeklyHours.Parse(Hours).Value, new PrepaymentRule(kind, pre.Value),
            new CancellationRule(cancel.FullRefundHoursBefore, cancel.KeepDepositWhenLate), SlotStepMinutes, DefaultDurationMinutes, MaxPaymentMinor, MinLeadMinutes);
    }
}

/// <summary>Reads and saves a merchant's <see cref="AssistantSettings"/>.</summary>
public sealed class AssistantSettingsStore(AppDbContext db, TimeProvider clock)
{
    public async Task<AssistantSettings> GetAsync(string merchantId, CancellationToken ct)
    {
        var row = await db.MerchantSettings.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(s => s.MerchantId == merchantId && s.Kind == AssistantSettings.Kind, ct);
        var stored = row is null ? null : JsonSerializer.Deserialize<AssistantSettings>(row.Json, AssistantSettings.Json);
        // A stored document passed validation when saved; channel accounts deleted since do not make it invalid.
        return stored ?? AssistantSettings.Default;
    }

    public async Task<Result<AssistantSettings>> SaveAsync(string merchantId, AssistantSettings settings, CancellationToken ct)
    {
        var accounts = await db.ChannelAccounts.IgnoreQueryFilters().Where(a => a.MerchantId == merchantId && a.DeletedAt == null)
            .Select(a => a.Id).ToListAsync(ct);
        var valid = settings.Validate(accounts);
        if (!valid.IsSuccess) return valid;
        var json = JsonSerializer.Serialize(valid.Value, AssistantSettings.Json);
        await db.UpsertAsync(c => MerchantSetting.PutAsync(db, merchantId, AssistantSettings.Kind, json, clock.GetUtcNow(), c), ct);
        return valid;
    }
}

/// <summary>One JSON settings document of a merchant, keyed by kind ("assistant").</summary>
public sealed class MerchantSetting : IMerchantOwned
{
    public const int MaxJson = 8000;

    private MerchantSetting() { }

    public string MerchantId { get; private set; } = "";
    public string Kind { get; private set; } = "";
    public string Json { get; private set; } = "";
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Adds or replaces the document (not saved).</summary>
    public static async Task PutAsync(AppDbContext db, string merchantId, string kind, string json, DateTimeOffset at, CancellationToken ct)
    {
        var row = await db.MerchantSettings.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.MerchantId == merchantId && s.Kind == kind, ct);
        if (row is null) db.MerchantSettings.Add(new MerchantSetting { MerchantId = merchantId, Kind = kind, Json = json, UpdatedAt = at });
        else
        {
            row.Json = json;
            row.UpdatedAt = at;
        }
    }
}
