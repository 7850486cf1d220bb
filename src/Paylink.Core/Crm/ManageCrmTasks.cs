using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Crm;

/// <summary>The manager's to-do list: list (open/done), create (optionally about a deal, with a due time), complete.</summary>
public sealed class ManageCrmTasks(AppDbContext db, TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<TaskView>>> ListAsync(string? status, CancellationToken ct)
    {
        var q = db.CrmTasks.AsNoTracking().AsQueryable();
        if (status is not null)
        {
            if (status is not ("open" or "done")) return Error.Validation("status", "status must be open or done.");
            var s = status == "open" ? CrmTaskStatus.Open : CrmTaskStatus.Done;
            q = q.Where(t => t.Status == s);
        }
        var rows = await q.ToListAsync(ct);
        return rows.OrderBy(t => t.DueAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.CreatedAt).Take(CrmQueries.MaxItems).Select(TaskView.From).ToList();
    }

    public async Task<Result<CrmTask>> CreateAsync(string merchantId, string? text, DateTimeOffset? dueAt, string? dealId, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > CrmTask.MaxText) errors.Add("text", $"text is required, at most {CrmTask.MaxText} characters.");
        if (dueAt is { } due && due < clock.GetUtcNow().AddYears(-1)) errors.Add("dueAt", "dueAt is too far in the past.");
        if (dealId is not null && !await db.Deals.AnyAsync(d => d.Id == dealId, ct)) errors.Add("dealId", $"Deal '{dealId}' was not found.");
        if (errors.Any) return errors.ToError();
        var task = CrmTask.Create(merchantId, dealId, text!, dueAt, clock);
        db.CrmTasks.Add(task);
        await db.SaveChangesAsync(ct);
        return task;
    }

    public async Task<Result<CrmTask>> CompleteAsync(string id, CancellationToken ct)
    {
        var task = await db.CrmTasks.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return Error.NotFound($"Task '{id}'");
        if (task.Complete(clock.GetUtcNow())) await db.SaveChangesAsync(ct);
        return task;
    }
}
