using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Bookings;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Crm;

/// <summary>
/// Job <c>crm.sync</c>: applies one link or booking event to the built-in pipeline — finds or creates the
/// contact's deal, moves its stage (link sent → invoice_sent, paid → paid, fully refunded → refunded,
/// booking done / no-show / cancelled → the same stage), writes the timeline entry once (unique source
/// key), then queues <c>crm.push</c> for a connected external CRM. Runs as a job so CRM work never
/// delays a payment; a late or out-of-order event that the pipeline does not allow leaves a timeline note
/// instead of moving the deal backwards.
/// </summary>
public sealed class CrmSync(AppDbContext db, IJobQueue jobs, PublicUrls urls, TimeProvider clock) : IJobHandler
{
    public const string JobType = "crm.sync";
    public static readonly JobRetryPolicy Policy = new(10, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10));

    /// <summary>Exactly one of <see cref="LinkId"/>, <see cref="BookingId"/> is set. <see cref="Key"/> identifies the event (timeline dedupe).</summary>
    public sealed record Payload(string MerchantId, string? LinkId, string? BookingId, string Event, string Key)
    {
        // The key is fixed when the job is queued, so a retried job finds its own timeline entry.
        public static Payload ForLink(LinkEvent e) =>
            new(e.MerchantId, e.LinkId, null, e.Type, $"link:{e.LinkId}:{e.Type}:{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}");
        public static Payload ForBooking(Booking b, string evt) => new(b.MerchantId, null, b.Id, "booking." + evt, $"booking:{b.Id}:{evt}");
    }

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var p = job.Read<Payload>();
        var now = clock.GetUtcNow();
        PaymentLink? link = null;
        Booking? booking = null;
        if (p.LinkId is not null)
        {
            link = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(l => l.Id == p.LinkId, ct);
            if (link is null) return JobResult.Done;
            booking = await db.Bookings.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(b => b.LinkId == link.Id && b.MerchantId == link.MerchantId, ct);
        }
        else if (p.BookingId is not null)
        {
            booking = await db.Bookings.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(b => b.Id == p.BookingId, ct);
            if (booking is null) return JobResult.Done;
            if (booking.LinkId is not null)
                link = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(l => l.Id == booking.LinkId, ct);
        }
        var contactId = booking?.CustomerId ?? link?.CustomerId;
        // A link without any customer details has no contact to keep a deal for.
        if (contactId is null) return JobResult.Done;
        contactId = await CrmContacts.ResolveAsync(db, contactId, ct);

        var deal = await FindDealAsync(p.MerchantId, link?.Id, booking?.Id, DealIdOf(link), ct);
        if (deal is null)
        {
            var amount = link?.Amount ?? booking!.Price;
            var title = booking is null ? link!.Description : $"{booking.ServiceName}";
            deal = Deal.Create(p.MerchantId, contactId, title, amount, booking is null ? "link" : "booking", clock,
                booking?.ServiceId ?? link?.Items.FirstOrDefault()?.ServiceId, link?.Id, booking?.Id);
            db.Deals.Add(deal);
        }
        else
        {
            if (deal.LinkId is null && link is not null) deal.AttachLink(link.Id, link.Amount, now);
            if (deal.BookingId is null && booking is not null) deal.AttachBooking(booking.Id, now);
        }

        if (await db.TimelineEntries.IgnoreQueryFilters().AnyAsync(t => t.MerchantId == p.MerchantId && t.SourceKey == p.Key, ct))
            return JobResult.Done;
        var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.Id == p.MerchantId, ct);
        var (target, text) = await DescribeAsync(p, link, booking, merchant, ct);
        if (target is { } stage && deal.CanMoveTo(stage)) deal.MoveTo(stage, now);
        else if (target is { } refused)
            text += $" (стадия сделки {deal.Stage.ToWire()} не изменена на {refused.ToWire()}: такой переход не предусмотрен)";
        db.TimelineEntries.Add(TimelineEntry.Event(deal, text, p.Key, now));

        var accounts = await db.CrmAccounts.IgnoreQueryFilters().Where(a => a.MerchantId == p.MerchantId && a.DeletedAt == null)
            .Select(a => a.Id).ToListAsync(ct);
        foreach (var account in accounts) jobs.Enqueue(db, PushToCrm.JobType, new PushToCrm.Payload(account, deal.Id));
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException ex) when (AppDbContext.IsUniqueViolation(ex))
        {
            // Another job created this deal or entry at the same moment: the next attempt finds it.
            return JobResult.Retry("A concurrent CRM update won the race; retrying.", TimeSpan.FromSeconds(1));
        }
        return JobResult.Done;
    }

    /// <summary>A link issued for an existing deal (from the CRM) names it in its metadata.</summary>
    private static string? DealIdOf(PaymentLink? link) =>
        link?.MetadataJson is { } json && JsonSerializer.Deserialize<Dictionary<string, string>>(json) is { } md && md.TryGetValue("dealId", out var id) ? id : null;

    private async Task<Deal?> FindDealAsync(string merchantId, string? linkId, string? bookingId, string? dealId, CancellationToken ct)
    {
        var q = db.Deals.IgnoreQueryFilters().Where(d => d.MerchantId == merchantId);
        Deal? deal = null;
        if (dealId is not null) deal = await q.FirstOrDefaultAsync(d => d.Id == dealId, ct);
        if (deal is null && linkId is not null) deal = await q.FirstOrDefaultAsync(d => d.LinkId == linkId, ct);
        if (deal is null && bookingId is not null) deal = await q.FirstOrDefaultAsync(d => d.BookingId == bookingId, ct);
        return deal;
    }

    private async Task<(DealStage? Stage, string Text)> DescribeAsync(Payload p, PaymentLink? link, Booking? booking, Merchants.Merchant merchant,
        CancellationToken ct)
    {
        var zone = merchant.Zone;
        switch (p.Event)
        {
            case LinkEventTypes.Created:
                return (null, $"Создана ссылка на оплату {MoneyFormat.Format(link!.Amount)}: {urls.PayPage(link.Code)}");
            case LinkEventTypes.Sent:
                return (DealStage.InvoiceSent, $"Счёт отправлен клиенту: {MoneyFormat.Format(link!.Amount)}, {urls.PayPage(link.Code)}");
            case LinkEventTypes.Paid:
            case LinkEventTypes.Authorized:
            {
                var payment = await db.Payments.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(x => x.LinkId == link!.Id, ct);
                var gateway = payment?.Provider ?? "—";
                var amount = payment?.Amount ?? link!.Amount;
                var receipt = merchant.Fiscal.IsSelfEmployed ? "чек НПД в «Мой налог»"
                    : merchant.Fiscal.GatewayReceipts && link!.Currency == "RUB" ? $"чек 54-ФЗ ({merchant.Fiscal.PaymentMethod}) через {gateway}" : "без чека";
                var paidAt = payment?.PaidAt ?? link!.PaidAt ?? clock.GetUtcNow();
                var verb = p.Event == LinkEventTypes.Authorized ? "Средства заблокированы" : "Оплачено";
                return (DealStage.Paid, $"{verb}: {MoneyFormat.Format(amount)} через {gateway}; ссылка {urls.PayPage(link!.Code)}; {receipt}; " +
                    $"время до оплаты {Duration(paidAt - link.CreatedAt)}; {DateFormat.DateTime(paidAt, zone)}");
            }
            case LinkEventTypes.Refunded:
            {
                var payment = await db.Payments.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(x => x.LinkId == link!.Id, ct);
                var full = link!.Status == LinkStatus.Refunded;
                var refunded = payment is null ? "" : MoneyFormat.Format(new Money(payment.RefundedMinor, payment.Currency));
                return (full ? DealStage.Refunded : null, full ? $"Возврат полностью: {refunded}" : $"Частичный возврат, всего возвращено {refunded}");
            }
            case LinkEventTypes.Cancelled: return (null, "Ссылка на оплату отменена");
            case LinkEventTypes.Expired: return (null, "Ссылка на оплату истекла без оплаты");
            case "booking.created":
                return (null, $"Запись: {booking!.ServiceName}, {DateFormat.DateTime(booking.StartAt, zone)}{(booking.Staff is null ? "" : ", " + booking.Staff)}");
            case "booking.confirmed": return (null, "Запись подтверждена");
            case "booking.rescheduled": return (null, $"Запись перенесена на {DateFormat.DateTime(booking!.StartAt, zone)}");
            case "booking.visit_done": return (DealStage.VisitDone, "Визит состоялся");
            case "booking.no_show": return (DealStage.NoShow, "Клиент не пришёл");
            case "booking.cancelled": return (DealStage.Cancelled, "Запись отменена");
            default: return (null, $"Событие: {p.Event}");
        }
    }

    private static string Duration(TimeSpan t)
    {
        if (t < TimeSpan.Zero) t = TimeSpan.Zero;
        if (t.TotalDays >= 1) return $"{(int)t.TotalDays} д {t.Hours} ч";
        if (t.TotalHours >= 1) return $"{(int)t.TotalHours} ч {t.Minutes.ToString("00", CultureInfo.InvariantCulture)} мин";
        return $"{Math.Max(1, (int)Math.Ceiling(t.TotalMinutes))} мин";
    }

    internal static string Json(object o) => JsonSerializer.Serialize(o, PaylinkJson.Output);
}

/// <summary>Queues <c>crm.sync</c> for the link events the pipeline follows, in the same SaveChanges as the event.</summary>
public sealed class CrmLinkEventsReaction(IJobQueue jobs) : ILinkEventReaction
{
    private static readonly HashSet<string> Followed =
    [
        LinkEventTypes.Created, LinkEventTypes.Sent, LinkEventTypes.Paid, LinkEventTypes.Authorized, LinkEventTypes.Refunded,
        LinkEventTypes.Cancelled, LinkEventTypes.Expired,
    ];

    public async ValueTask ReactAsync(AppDbContext db, IReadOnlyList<LinkEvent> added, bool sync, CancellationToken ct)
    {
        foreach (var e in added)
        {
            if (!Followed.Contains(e.Type)) continue;
            // A link without customer details has no contact to keep a deal for: no job at all.
            var link = await Webhooks.WebhookEventsReaction.FindLinkAsync(db, e.LinkId, sync, ct);
            if (link?.CustomerId is null) continue;
            jobs.Enqueue(db, CrmSync.JobType, CrmSync.Payload.ForLink(e));
        }
    }
}
