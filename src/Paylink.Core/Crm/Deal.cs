using Paylink.Core.Common;

namespace Paylink.Core.Crm;

/// <summary>The built-in pipeline. Final stages: refunded; visit_done, no_show and cancelled only move on to refunded.</summary>
public enum DealStage { New, InvoiceSent, Paid, VisitDone, NoShow, Cancelled, Refunded }

public static class DealStageNames
{
    public static readonly string[] All = ["new", "invoice_sent", "paid", "visit_done", "no_show", "cancelled", "refunded"];

    public static string ToWire(this DealStage s) => All[(int)s];

    public static bool TryParse(string? s, out DealStage stage)
    {
        var i = Array.IndexOf(All, s);
        stage = (DealStage)Math.Max(i, 0);
        return i >= 0;
    }
}

/// <summary>
/// One request of a contact: a lead while nothing was asked of the customer (stage new), a deal once an
/// invoice went out or money came. Moves only through <see cref="MoveTo"/>, which enforces the pipeline.
/// </summary>
public sealed class Deal : IMerchantOwned
{
    private static readonly Dictionary<DealStage, DealStage[]> Next = new()
    {
        [DealStage.New] = [DealStage.InvoiceSent, DealStage.Paid, DealStage.VisitDone, DealStage.NoShow, DealStage.Cancelled],
        [DealStage.InvoiceSent] = [DealStage.Paid, DealStage.VisitDone, DealStage.NoShow, DealStage.Cancelled],
        [DealStage.Paid] = [DealStage.VisitDone, DealStage.NoShow, DealStage.Cancelled, DealStage.Refunded],
        [DealStage.VisitDone] = [DealStage.Refunded],
        [DealStage.NoShow] = [DealStage.Refunded],
        [DealStage.Cancelled] = [DealStage.Refunded],
        [DealStage.Refunded] = [],
    };

    private Deal() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string ContactId { get; private set; } = "";
    public string Title { get; private set; } = "";
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "RUB";
    public DealStage Stage { get; private set; }
    /// <summary>True while it is a lead (nothing invoiced yet).</summary>
    public bool IsLead { get; private set; } = true;
    public string? ServiceId { get; private set; }
    public string? LinkId { get; private set; }
    public string? BookingId { get; private set; }
    /// <summary>Where the request came from: link, booking, api, bitrix24.</summary>
    public string Source { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public int Version { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    public static Deal Create(string merchantId, string contactId, string title, Money amount, string source, TimeProvider clock,
        string? serviceId = null, string? linkId = null, string? bookingId = null)
    {
        var now = clock.GetUtcNow();
        return new Deal
        {
            Id = Ids.New("deal", clock), MerchantId = merchantId, ContactId = contactId, Title = title, AmountMinor = amount.Minor,
            Currency = amount.Currency, Stage = DealStage.New, ServiceId = serviceId, LinkId = linkId, BookingId = bookingId, Source = source,
            CreatedAt = now, UpdatedAt = now,
        };
    }

    public bool CanMoveTo(DealStage target) => target == Stage || Next[Stage].Contains(target);

    /// <summary>Moves to <paramref name="target"/>. False when already there; a move the pipeline does not allow is a conflict.</summary>
    public Result<bool> MoveTo(DealStage target, DateTimeOffset at)
    {
        if (target == Stage) return false;
        if (!Next[Stage].Contains(target))
            return Error.Conflict("invalid_stage", $"A deal in stage {Stage.ToWire()} cannot move to {target.ToWire()}; allowed: {string.Join(", ", Next[Stage].Select(s => s.ToWire()).DefaultIfEmpty("none"))}.");
        Stage = target;
        if (target != DealStage.New) IsLead = false;
        Touch(at);
        return true;
    }

    public void AttachLink(string linkId, Money amount, DateTimeOffset at)
    {
        LinkId = linkId;
        AmountMinor = amount.Minor;
        Currency = amount.Currency;
        Touch(at);
    }

    public void AttachBooking(string bookingId, DateTimeOffset at)
    {
        BookingId = bookingId;
        Touch(at);
    }

    public void MoveToContact(string contactId, DateTimeOffset at)
    {
        ContactId = contactId;
        Touch(at);
    }

    private void Touch(DateTimeOffset at)
    {
        UpdatedAt = at;
        Version++;
    }
}

/// <summary>A line in a deal's (and its contact's) timeline: a manager's note or something that happened.</summary>
public sealed class TimelineEntry : IMerchantOwned
{
    private TimelineEntry() { }

    public long Id { get; private set; }
    public string MerchantId { get; private set; } = "";
    public string ContactId { get; private set; } = "";
    public string? DealId { get; private set; }
    /// <summary>note (written by a person) or event (written by Paylink).</summary>
    public string Kind { get; private set; } = "";
    public string Text { get; private set; } = "";
    /// <summary>What caused an event entry ("link_event:42", "booking:bkg_…:visit_done"); unique per merchant so a retried job adds it once.</summary>
    public string? SourceKey { get; private set; }
    public DateTimeOffset At { get; private set; }

    public const int MaxText = 4000;

    /// <summary>Erasure (152-FZ): a note or event text may name the person; the entry stays as a dated fact.</summary>
    public void Erase() => Text = "[удалено]";

    public static TimelineEntry Note(string merchantId, string contactId, string? dealId, string text, DateTimeOffset at) => new()
    {
        MerchantId = merchantId, ContactId = contactId, DealId = dealId, Kind = "note", Text = text, At = at,
    };

    public static TimelineEntry Event(Deal deal, string text, string sourceKey, DateTimeOffset at) => new()
    {
        MerchantId = deal.MerchantId, ContactId = deal.ContactId, DealId = deal.Id, Kind = "event", Text = text, SourceKey = sourceKey, At = at,
    };

    public void MoveToContact(string contactId) => ContactId = contactId;
}

public enum CrmTaskStatus { Open, Done }

/// <summary>Something a manager has to do ("client asked for a refund", "the assistant handed over").</summary>
public sealed class CrmTask : IMerchantOwned
{
    private CrmTask() { }

    public const int MaxText = 1000;

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string? DealId { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset? DueAt { get; private set; }
    public CrmTaskStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }

    public static CrmTask Create(string merchantId, string? dealId, string text, DateTimeOffset? dueAt, TimeProvider clock) => new()
    {
        Id = Ids.New("task", clock), MerchantId = merchantId, DealId = dealId, Text = text, DueAt = dueAt?.ToUniversalTime(),
        Status = CrmTaskStatus.Open, CreatedAt = clock.GetUtcNow(),
    };

    /// <summary>Erasure (152-FZ): the task text may name the client.</summary>
    public void Erase() => Text = "[удалено]";

    /// <summary>Open → done. False when already done.</summary>
    public bool Complete(DateTimeOffset at)
    {
        if (Status == CrmTaskStatus.Done) return false;
        Status = CrmTaskStatus.Done;
        DoneAt = at;
        return true;
    }
}
