using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Data;

namespace Paylink.Core.Crm;

/// <param name="ChannelOrder">The client's own channel fallback order (empty: the merchant's applies), see docs/channels.md.</param>
public sealed record ContactView(string Id, string? Name, string? Phone, string? Email, DateTimeOffset CreatedAt, string? MergedIntoId,
    IReadOnlyList<string> ChannelOrder)
{
    public static ContactView From(Customer c) => new(c.Id, c.Name, c.Phone, c.Email, c.CreatedAt, c.MergedIntoId,
        c.ChannelOrder?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? []);
}

public sealed record ContactDetailsView(ContactView Contact, IReadOnlyList<DealView> Deals, IReadOnlyList<TimelineView> Timeline);

public sealed record DealView(string Id, string Kind, string Stage, string ContactId, string Title, long Amount, string Currency,
    string? ServiceId, string? LinkId, string? BookingId, string Source, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static DealView From(Deal d) => new(d.Id, d.IsLead ? "lead" : "deal", d.Stage.ToWire(), d.ContactId, d.Title, d.AmountMinor,
        d.Currency, d.ServiceId, d.LinkId, d.BookingId, d.Source, d.CreatedAt, d.UpdatedAt);
}

public sealed record DealDetailsView(DealView Deal, ContactView? Contact, IReadOnlyList<TimelineView> Timeline, IReadOnlyList<TaskView> Tasks);

public sealed record TimelineView(long Id, string Kind, string Text, string? DealId, DateTimeOffset At)
{
    public static TimelineView From(TimelineEntry t) => new(t.Id, t.Kind, t.Text, t.DealId, t.At);
}

public sealed record TaskView(string Id, string Status, string Text, string? DealId, DateTimeOffset? DueAt, DateTimeOffset CreatedAt, DateTimeOffset? DoneAt)
{
    public static TaskView From(CrmTask t) => new(t.Id, t.Status == CrmTaskStatus.Open ? "open" : "done", t.Text, t.DealId, t.DueAt, t.CreatedAt, t.DoneAt);
}

/// <summary>Reads the built-in CRM of the merchant in scope: contacts (search), deals (by stage/kind), details with timeline and tasks.</summary>
public sealed class CrmQueries(AppDbContext db)
{
    public const int MaxItems = 200;

    public async Task<IReadOnlyList<ContactView>> ContactsAsync(string? q, CancellationToken ct)
    {
        var query = db.Customers.AsNoTracking().Where(c => c.MergedIntoId == null);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim().ToLowerInvariant();
            var phone = ContactFormats.NormalizePhone(q);
            query = query.Where(c => (c.Name != null && c.Name.ToLower().Contains(term)) || (c.Email != null && c.Email.ToLower().Contains(term))
                || (c.Phone != null && c.Phone.Contains(term)) || (phone != null && c.Phone == phone));
        }
        var rows = await query.ToListAsync(ct);
        return rows.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Take(MaxItems).Select(ContactView.From).ToList();
    }

    public async Task<Result<ContactDetailsView>> ContactAsync(string id, CancellationToken ct)
    {
        var c = await db.Customers.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return Error.NotFound($"Contact '{id}'");
        var deals = (await db.Deals.AsNoTracking().Where(d => d.ContactId == id).ToListAsync(ct)).OrderBy(d => d.CreatedAt).Select(DealView.From).ToList();
        var timeline = (await db.TimelineEntries.AsNoTracking().Where(t => t.ContactId == id).ToListAsync(ct)).OrderBy(t => t.Id).Select(TimelineView.From).ToList();
        return new ContactDetailsView(ContactView.From(c), deals, timeline);
    }

    public async Task<Result<IReadOnlyList<DealView>>> DealsAsync(string? stage, string? kind, string? contactId, CancellationToken ct)
    {
        var q = db.Deals.AsNoTracking().AsQueryable();
        if (stage is not null)
        {
            if (!DealStageNames.TryParse(stage, out var s)) return Error.Validation("stage", $"stage must be one of {string.Join(", ", DealStageNames.All)}.");
            q = q.Where(d => d.Stage == s);
        }
        if (kind is not null)
        {
            if (kind is not ("lead" or "deal")) return Error.Validation("kind", "kind must be lead or deal.");
            var lead = kind == "lead";
            q = q.Where(d => d.IsLead == lead);
        }
        if (contactId is not null) q = q.Where(d => d.ContactId == contactId);
        var rows = await q.ToListAsync(ct);
        return rows.OrderByDescending(d => d.UpdatedAt).ThenBy(d => d.Id).Take(MaxItems).Select(DealView.From).ToList();
    }

    public async Task<Result<DealDetailsView>> DealAsync(string id, CancellationToken ct)
    {
        var d = await db.Deals.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (d is null) return Error.NotFound($"Deal '{id}'");
        var contact = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == d.ContactId, ct);
        var timeline = (await db.TimelineEntries.AsNoTracking().Where(t => t.DealId == id).ToListAsync(ct)).OrderBy(t => t.Id).Select(TimelineView.From).ToList();
        var tasks = (await db.CrmTasks.AsNoTracking().Where(t => t.DealId == id).ToListAsync(ct)).OrderBy(t => t.CreatedAt).Select(TaskView.From).ToList();
        return new DealDetailsView(DealView.From(d), contact is null ? null : ContactView.From(contact), timeline, tasks);
    }
}

/// <summary>Contact helpers for the pipeline.</summary>
public static class CrmContacts
{
    /// <summary>The contact that now stands for <paramref name="contactId"/> (following merges).</summary>
    public static async Task<string> ResolveAsync(AppDbContext db, string contactId, CancellationToken ct)
    {
        for (var i = 0; i < 10; i++)
        {
            var into = await db.Customers.IgnoreQueryFilters().Where(c => c.Id == contactId).Select(c => c.MergedIntoId).FirstOrDefaultAsync(ct);
            if (into is null) return contactId;
            contactId = into;
        }
        return contactId;
    }
}
