using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.PaymentLinks;

/// <param name="Search">Optional: an exact id, code or order id, or a piece of the description (case-sensitive on SQLite).</param>
public sealed record ListPaymentLinksRequest(string? Status, int? Limit, string? Cursor, string? Search = null);

public sealed record LinkPage(IReadOnlyList<PaymentLink> Items, string? NextCursor);

/// <summary>Newest first, keyset-paginated on the time-ordered id (the cursor is the last id seen).</summary>
public sealed class ListPaymentLinks(AppDbContext db, TimeProvider clock)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public async Task<Result<LinkPage>> HandleAsync(ListPaymentLinksRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var limit = r.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit) errors.Add("limit", $"limit must be between 1 and {MaxLimit}.");
        LinkStatus? status = null;
        if (!string.IsNullOrEmpty(r.Status))
        {
            if (LinkStatusNames.TryParse(r.Status, out var s)) status = s;
            else errors.Add("status", "status must be one of open, paid, expired, cancelled, refunded, partially_refunded, authorized, voided.");
        }
        if (r.Cursor is not null && (r.Cursor.Length > 40 || !r.Cursor.StartsWith("lnk_", StringComparison.Ordinal)))
            errors.Add("cursor", "cursor is not valid; pass nextCursor from the previous page.");
        var search = r.Search?.Trim();
        if (search is { Length: > 200 }) errors.Add("search", "search must be at most 200 characters.");
        if (errors.Any) return errors.ToError();

        var now = clock.GetUtcNow();
        IQueryable<PaymentLink> q = db.PaymentLinks.AsNoTracking();
        // The tenant filter is "no scope OR MerchantId = scope", which SQLite cannot match to an index: saying the
        // merchant again lets (MerchantId, Status, Id) serve the status filters (200 ms → ms on a year of links).
        if (db.Scope?.MerchantId is { } merchantId) q = q.Where(l => l.MerchantId == merchantId);
        if (r.Cursor is not null) q = q.Where(l => string.Compare(l.Id, r.Cursor) < 0);
        if (!string.IsNullOrEmpty(search))
            q = q.Where(l => l.Id == search || l.Code == search || l.OrderRef == search || l.Description.Contains(search));
        List<PaymentLink> items;
        if (status == LinkStatus.Expired)
        {
            // "expired" as a reader sees it: recorded expired, or open past expiry. An OR of the two is served by the index for
            // its first half only; two index range scans, newest first, merged here (the halves are disjoint by status).
            var recorded = await Newest(q.Where(l => l.Status == LinkStatus.Expired), limit + 1, ct);
            var due = await Newest(q.Where(l => l.Status == LinkStatus.Open && l.ExpiresAt <= now), limit + 1, ct);
            items = recorded.Concat(due).OrderByDescending(l => l.Id, StringComparer.Ordinal).Take(limit + 1).ToList();
        }
        else
        {
            q = status switch
            {
                null => q,
                // "open" as a reader sees it: an open link past expiry is expired.
                LinkStatus.Open => q.Where(l => l.Status == LinkStatus.Open && l.ExpiresAt > now),
                { } s => q.Where(l => l.Status == s),
            };
            items = await Newest(q, limit + 1, ct);
        }
        var next = items.Count > limit ? items[limit - 1].Id : null;
        if (items.Count > limit) items.RemoveAt(limit);
        return new LinkPage(items, next);
    }

    private static Task<List<PaymentLink>> Newest(IQueryable<PaymentLink> q, int take, CancellationToken ct) =>
        q.OrderByDescending(l => l.Id).Take(take).ToListAsync(ct);
}
