using Microsoft.EntityFrameworkCore;
using Paylink.Core.Bookings;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;

namespace Paylink.Core.Crm;

/// <summary>
/// A manager moves a deal. Moving to visit_done, no_show or cancelled moves the deal's booking the same
/// way (and so a prepaid visit done gets its closing receipt); an illegal move of either is a 409 and
/// changes nothing. A connected external CRM follows through <c>crm.push</c>.
/// </summary>
public sealed class ChangeDealStage(AppDbContext db, BookingHooks bookingHooks, IJobQueue jobs, TimeProvider clock)
{
    public async Task<Result<Deal>> HandleAsync(string dealId, string? stage, CancellationToken ct)
    {
        if (!DealStageNames.TryParse(stage, out var target))
            return Error.Validation("stage", $"stage must be one of {string.Join(", ", DealStageNames.All)}.");
        var deal = await db.Deals.FirstOrDefaultAsync(d => d.Id == dealId, ct);
        if (deal is null) return Error.NotFound($"Deal '{dealId}'");
        var now = clock.GetUtcNow();
        var from = deal.Stage;
        var moved = deal.MoveTo(target, now);
        if (!moved.IsSuccess) return moved.Error!;
        if (!moved.Value) return deal;

        BookingAction? action = target switch
        {
            DealStage.VisitDone => BookingAction.Complete,
            DealStage.NoShow => BookingAction.NoShow,
            DealStage.Cancelled => BookingAction.Cancel,
            _ => null,
        };
        if (action is { } a && deal.BookingId is not null)
        {
            var booking = await db.Bookings.FirstAsync(b => b.Id == deal.BookingId, ct);
            var changed = ChangeBookingStatus.Apply(booking, a, now);
            if (!changed.IsSuccess) return changed.Error!;
            if (changed.Value)
            {
                bookingHooks.StatusChanged(db, booking);
                await BookingPrepaymentLink.FollowAsync(db, booking, now, ct);
            }
        }
        db.TimelineEntries.Add(TimelineEntry.Event(deal, $"Стадия изменена вручную: {from.ToWire()} → {target.ToWire()}",
            $"manual:{deal.Id}:{deal.Version}:{target.ToWire()}", now));
        await PushToCrm.EnqueueAsync(db, jobs, deal, ct);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("concurrent_change", $"Deal '{dealId}' or its booking changed at the same time; read it again and retry.");
        }
        return deal;
    }
}

/// <summary>A manager's note on a deal's timeline.</summary>
public sealed class AddDealNote(AppDbContext db, IJobQueue jobs, TimeProvider clock)
{
    public async Task<Result<TimelineEntry>> HandleAsync(string dealId, string? text, CancellationToken ct)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > TimelineEntry.MaxText)
            return Error.Validation("text", $"text is required, at most {TimelineEntry.MaxText} characters.");
        var deal = await db.Deals.AsNoTracking().FirstOrDefaultAsync(d => d.Id == dealId, ct);
        if (deal is null) return Error.NotFound($"Deal '{dealId}'");
        var note = TimelineEntry.Note(deal.MerchantId, deal.ContactId, deal.Id, text, clock.GetUtcNow());
        db.TimelineEntries.Add(note);
        await PushToCrm.EnqueueAsync(db, jobs, deal, ct);
        await db.SaveChangesAsync(ct);
        return note;
    }
}
