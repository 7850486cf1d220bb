using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Receipts;

/// <summary>The year so far against the НПД income limit. <see cref="Level"/>: ok, near (≥ 80 %), over (≥ 100 %).</summary>
public sealed record SelfEmployedYear(int Year, long RegisteredMinor, long WaitingMinor, long LimitMinor, int Percent, string Level);

public sealed record SelfEmployedReceiptView(string Id, string LinkId, string PaymentId, int Sequence, long Amount, string Currency, string Status,
    DateTimeOffset OperationTime, string ClientType, string? ReceiptId, string? ReceiptUrl, int Attempts, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? RegisteredAt, DateTimeOffset? CancelledAt)
{
    public static SelfEmployedReceiptView From(SelfEmployedReceipt r) => new(r.Id, r.LinkId, r.PaymentId, r.Sequence, r.AmountMinor, r.Currency,
        r.Status.ToString().ToLowerInvariant(), r.OperationTime, r.ClientType, r.ReceiptId, r.ReceiptUrl, r.Attempts, r.LastError, r.CreatedAt,
        r.RegisteredAt, r.CancelledAt);
}

/// <summary>Read side of self-employed receipts for the API and the dashboard (merchant-scoped by the query filter).</summary>
public sealed class SelfEmployedOverview(AppDbContext db, TimeProvider clock)
{
    /// <summary>422-FZ art. 4: 2.4 mn ₽ a calendar year.</summary>
    public const long YearLimitMinor = 2_400_000_00;
    public const int NearPercent = 80;

    /// <summary>Incomes of the merchant's current calendar year (its own time zone): registered receipts that are not
    /// cancelled, and those still waiting to be registered.</summary>
    public async Task<SelfEmployedYear> YearAsync(TimeZoneInfo zone, CancellationToken ct)
    {
        var local = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone);
        var startLocal = new DateTime(local.Year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var start = new DateTimeOffset(startLocal, zone.GetUtcOffset(startLocal)).ToUniversalTime();
        var endLocal = startLocal.AddYears(1);
        var end = new DateTimeOffset(endLocal, zone.GetUtcOffset(endLocal)).ToUniversalTime();
        var rows = await db.SelfEmployedReceipts.AsNoTracking()
            .Where(r => r.OperationTime >= start && r.OperationTime < end
                && (r.Status == SelfEmployedReceiptStatus.Registered || r.Status == SelfEmployedReceiptStatus.Queued
                    || r.Status == SelfEmployedReceiptStatus.Sending || r.Status == SelfEmployedReceiptStatus.Cancelling))
            .Select(r => new { r.Status, r.AmountMinor }).ToListAsync(ct);
        // A receipt being cancelled still counts until the tax service confirms the cancel.
        var registered = rows.Where(r => r.Status is SelfEmployedReceiptStatus.Registered or SelfEmployedReceiptStatus.Cancelling).Sum(r => r.AmountMinor);
        var waiting = rows.Where(r => r.Status is SelfEmployedReceiptStatus.Queued or SelfEmployedReceiptStatus.Sending).Sum(r => r.AmountMinor);
        var percent = (int)Math.Min(999, (registered + waiting) * 100 / YearLimitMinor);
        var level = percent >= 100 ? "over" : percent >= NearPercent ? "near" : "ok";
        return new SelfEmployedYear(local.Year, registered, waiting, YearLimitMinor, percent, level);
    }

    /// <summary>Receipts not yet settled (queued, sending with an unknown outcome, cancelling) and failed ones, oldest first.</summary>
    public async Task<List<SelfEmployedReceiptView>> WaitingAsync(int limit, CancellationToken ct) =>
        (await db.SelfEmployedReceipts.AsNoTracking()
            .Where(r => r.Status == SelfEmployedReceiptStatus.Queued || r.Status == SelfEmployedReceiptStatus.Sending
                || r.Status == SelfEmployedReceiptStatus.Cancelling || r.Status == SelfEmployedReceiptStatus.Failed)
            .OrderBy(r => r.Id).Take(limit).ToListAsync(ct)).Select(SelfEmployedReceiptView.From).ToList();

    public async Task<Result<List<SelfEmployedReceiptView>>> ListAsync(string? status, string? linkId, int limit, CancellationToken ct)
    {
        if (limit is < 1 or > 500) return Error.Validation("limit", "limit must be between 1 and 500.");
        var q = db.SelfEmployedReceipts.AsNoTracking();
        if (status is not null)
        {
            if (status == "waiting") return await WaitingAsync(limit, ct);
            if (!Enum.TryParse<SelfEmployedReceiptStatus>(status, ignoreCase: true, out var s) || !status.All(char.IsAsciiLetterLower))
                return Error.Validation("status", "status must be one of waiting, queued, sending, registered, cancelling, cancelled, failed.");
            q = q.Where(r => r.Status == s);
        }
        if (linkId is not null) q = q.Where(r => r.LinkId == linkId);
        return (await q.OrderByDescending(r => r.Id).Take(limit).ToListAsync(ct)).Select(SelfEmployedReceiptView.From).ToList();
    }

    /// <summary>The receipt the buyer should see for a link (the live registered one), for the «Оплачено» page.</summary>
    public static async Task<string?> ReceiptUrlAsync(AppDbContext db, string merchantId, string linkId, CancellationToken ct) =>
        await db.SelfEmployedReceipts.IgnoreQueryFilters().AsNoTracking()
            .Where(r => r.LinkId == linkId && r.MerchantId == merchantId && r.Status == SelfEmployedReceiptStatus.Registered)
            .OrderByDescending(r => r.Sequence).Select(r => r.ReceiptUrl).FirstOrDefaultAsync(ct);
}
