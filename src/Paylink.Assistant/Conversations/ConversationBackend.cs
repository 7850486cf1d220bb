using Microsoft.EntityFrameworkCore;
using Paylink.Assistant.Dialogue;
using Paylink.Core.Bookings;
using Paylink.Core.Common;
using Paylink.Core.Crm;
using Paylink.Core.Customers;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.Core.Messaging;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;
using Paylink.Core.Refunds;

namespace Paylink.Assistant.Conversations;

/// <summary>
/// The dialogue's view of Paylink for the client of one conversation, over the same use cases the API uses
/// (CreateBooking, RescheduleBooking, ChangeBookingStatus, CreatePaymentLink, RefundPayment, CRM tasks), so
/// the assistant can do nothing a merchant's API call could not. Each action saves on its own; the job that
/// drives the dialogue saves the conversation's state after the turn.
/// </summary>
public sealed class ConversationBackend(
    AppDbContext db, CreateBooking createBooking, RescheduleBooking reschedule, ChangeBookingStatus changeStatus, CreatePaymentLink createLink,
    RefundPayment refunds, ManageCrmTasks tasks, PublicUrls urls, TimeProvider clock,
    Core.Documents.CreateInvoice createInvoice, Core.Documents.SendInvoice sendInvoice, ProviderRegistry<IMessageChannel> channels) : IDialogueBackend
{
    private Conversation _c = null!;
    private Merchant _merchant = null!;

    /// <summary>Contacts the client wrote in this message ("мой номер 8 916 …"), kept on the customer.</summary>
    public string? Phone { get; set; }
    public string? Email { get; set; }

    /// <summary>Ids touched by the last action, for the decision log.</summary>
    public string? LastBookingId { get; private set; }
    public string? LastLinkId { get; private set; }
    /// <summary>The open link <see cref="FindOpenBookingAsync"/> found for the booking (an invoice to show again).</summary>
    public string? OpenLinkId { get; private set; }

    public ConversationBackend For(Conversation conversation, Merchant merchant)
    {
        _c = conversation;
        _merchant = merchant;
        return this;
    }

    public void ResetTurn()
    {
        LastBookingId = null;
        LastLinkId = null;
        OpenLinkId = null;
    }

    public async Task<IReadOnlyList<BusyInterval>> BusyAsync(DateOnly localDay, string? staff, CancellationToken ct)
    {
        var from = DateFormat.LocalToUtc(localDay, TimeOnly.MinValue, _merchant.Zone);
        var to = DateFormat.LocalToUtc(localDay.AddDays(1), TimeOnly.MinValue, _merchant.Zone);
        // Bookings without a staff member share the merchant's single resource; each staff member has their
        // own schedule (the overlap rule of CreateBooking).
        var rows = await db.Bookings.AsNoTracking()
            .Where(b => b.Staff == staff && b.Status != BookingStatus.Cancelled && b.StartAt < to && b.EndAt > from)
            .Select(b => new { b.StartAt, b.EndAt }).ToListAsync(ct);
        return rows.Select(b => new BusyInterval(b.StartAt, b.EndAt)).ToList();
    }

    public async Task<OpenBooking?> FindOpenBookingAsync(CancellationToken ct)
    {
        if (_c.CustomerId is null) return null;
        var now = clock.GetUtcNow();
        var booking = (await db.Bookings.AsNoTracking()
                .Where(b => b.CustomerId == _c.CustomerId && (b.Status == BookingStatus.Pending || b.Status == BookingStatus.Confirmed))
                .ToListAsync(ct))
            .Where(b => b.EndAt > now).OrderBy(b => b.StartAt).FirstOrDefault();
        if (booking is null) return null;
        var links = await BookingLinks(booking.Id, booking.LinkId).ToListAsync(ct);
        var linkIds = links.Select(l => l.Id).ToList();
        var paid = await db.Payments.AsNoTracking().Where(p => linkIds.Contains(p.LinkId)).SumAsync(p => p.AmountMinor - p.RefundedMinor, ct);
        var open = links.Where(l => l.StatusAt(now) == LinkStatus.Open).OrderByDescending(l => l.CreatedAt).FirstOrDefault();
        var left = booking.PriceMinor - paid;
        OpenLinkId = open?.Id;
        Money? due = open is not null ? new Money(open.AmountMinor, open.Currency) : left > 0 ? new Money(left, booking.Currency) : null;
        return new OpenBooking(booking.Id, booking.ServiceId, booking.ServiceName, booking.StartAt, booking.Price, paid,
            open is null ? null : urls.PayPage(open.Code), due, booking.Staff);
    }

    public async Task<Result<(string BookingId, Invoice? Invoice)>> BookAsync(string serviceId, DateTimeOffset start, long prepaymentMinor, string? staff, CancellationToken ct)
    {
        var customerId = await CustomerIdAsync(ct);
        var booked = await createBooking.HandleAsync(_merchant.Id, new CreateBookingRequest(
            CustomerId: customerId, ServiceId: serviceId, Start: start, Staff: staff,
            Prepayment: prepaymentMinor > 0 ? new PrepaymentInput(prepaymentMinor) : null), ct);
        if (!booked.IsSuccess) return booked.Error!;
        var booking = booked.Value;
        LastBookingId = booking.Id;
        if (booking.LinkId is null)
        {
            // Nothing to prepay: the client's "да" to the exact proposal is the confirmation.
            var confirmed = await changeStatus.HandleAsync(booking.Id, BookingAction.Confirm, ct);
            if (!confirmed.IsSuccess) return confirmed.Error!;
            return (booking.Id, null);
        }
        LastLinkId = booking.LinkId;
        var link = await db.PaymentLinks.AsNoTracking().FirstAsync(l => l.Id == booking.LinkId, ct);
        return (booking.Id, ToInvoice(link));
    }

    public async Task<Result<Invoice>> InvoiceAsync(string? bookingId, long amountMinor, string description, CancellationToken ct)
    {
        var customerId = await CustomerIdAsync(ct);
        var customer = await db.Customers.AsNoTracking().FirstAsync(x => x.Id == customerId, ct);
        var booking = bookingId is null ? null : await db.Bookings.FirstOrDefaultAsync(b => b.Id == bookingId, ct);
        // A booking is one order until its prepayment is paid; a further payment is its own order.
        var prepaid = booking?.LinkId is { } linkId && await db.PaymentLinks.AnyAsync(l => l.Id == linkId && l.PaidAt != null, ct);
        var orderId = booking is null ? null : prepaid ? BalanceOrder(booking.Id) : booking.Id;
        var currency = booking?.Currency ?? (await db.CatalogServices.AsNoTracking().Select(s => s.Currency).FirstOrDefaultAsync(ct)) ?? "RUB";
        var created = await createLink.HandleAsync(_merchant.Id, new CreatePaymentLinkRequest(
            Amount: amountMinor, Currency: currency, Description: description,
            Customer: new CustomerInput(customer.Name, customer.Phone, customer.Email),
            OrderId: orderId,
            Metadata: booking is null ? null : new Dictionary<string, string> { ["bookingId"] = booking.Id }), ct, customerId);
        if (!created.IsSuccess) return created.Error!;
        if (booking is not null && !prepaid)
        {
            booking.AttachLink(created.Value.Id);
            await db.SaveChangesAsync(ct);
        }
        LastLinkId = created.Value.Id;
        LastBookingId = booking?.Id;
        return ToInvoice(created.Value);
    }

    /// <summary>
    /// The счёт through <see cref="Core.Documents.CreateInvoice"/> (the same validation, numbering and link as the API), one
    /// line; e-mailed with its PDF through <see cref="Core.Documents.SendInvoice"/> when the buyer gave an address and the
    /// merchant has an e-mail account (otherwise the chat reply alone carries the PDF link). The chat reply itself is the
    /// dialogue's, so the chat gets one message, not two.
    /// </summary>
    public async Task<Result<CompanyInvoice>> CompanyInvoiceAsync(CompanyBuyer buyer, long amountMinor, string what, CancellationToken ct)
    {
        var created = await createInvoice.HandleAsync(_merchant.Id, new Core.Documents.CreateInvoiceRequest(
            new Core.Documents.InvoiceBuyerInput(buyer.Name, buyer.Inn, buyer.Kpp, null, buyer.Email),
            [new Core.Documents.InvoiceLineInput(what, 1, null, amountMinor)],
            Comment: null), ct);
        if (!created.IsSuccess) return created.Error!;
        var invoice = created.Value;
        string? emailed = null;
        var mailer = buyer.Email is null ? null : (await db.ChannelAccounts.AsNoTracking().Where(a => a.Enabled && a.DeletedAt == null).ToListAsync(ct))
            .FirstOrDefault(a => Reaches(a.Provider, ContactKind.Email));
        if (mailer is not null)
        {
            var sent = await sendInvoice.HandleAsync(_merchant.Id, invoice.Id, new Core.Documents.SendInvoiceRequest(mailer.Id, buyer.Email), ct);
            if (sent.IsSuccess) emailed = buyer.Email;
        }
        LastLinkId = invoice.LinkId;
        var payUrl = urls.PayPage(invoice.LinkCode);
        return new CompanyInvoice(invoice.NumberText, invoice.IssueDate, invoice.DueDate, Core.Documents.SendInvoice.PdfUrl(urls, invoice), emailed,
            new Invoice(invoice.LinkId, payUrl, invoice.Amount, $"Счёт № {invoice.NumberText} от {Core.Documents.InvoicePdf.Date(invoice.IssueDate)}"));
    }

    public async Task<Result<bool>> RescheduleAsync(string bookingId, DateTimeOffset newStart, CancellationToken ct)
    {
        LastBookingId = bookingId;
        var moved = await reschedule.HandleAsync(bookingId, newStart, ct);
        return moved.IsSuccess ? true : moved.Error!;
    }

    public async Task<Result<bool>> CancelAsync(string bookingId, long refundMinor, CancellationToken ct)
    {
        LastBookingId = bookingId;
        var cancelled = await changeStatus.HandleAsync(bookingId, BookingAction.Cancel, ct);
        if (!cancelled.IsSuccess) return cancelled.Error!;
        if (refundMinor <= 0) return true;
        // The refund goes back from the booking's paid links, newest first, never more than each one took.
        var payments = await db.Payments.AsNoTracking()
            .Join(BookingLinks(bookingId, cancelled.Value.LinkId), p => p.LinkId, l => l.Id, (p, l) => p)
            .ToListAsync(ct);
        var left = refundMinor;
        foreach (var p in payments.OrderByDescending(p => p.PaidAt))
        {
            var part = Math.Min(left, p.AmountMinor - p.RefundedMinor);
            if (part <= 0) continue;
            var reserved = await refunds.ReserveAsync(p.LinkId, new RefundLinkRequest(part, "Отмена записи клиентом в чате"), ct);
            if (!reserved.IsSuccess) return reserved.Error!;
            var sent = await refunds.SendAsync(reserved.Value.Id, false, ct);
            if (!sent.IsSuccess) return sent.Error!;
            LastLinkId = p.LinkId;
            left -= part;
            if (left == 0) break;
        }
        return left == 0 ? true : Error.Conflict("refund_short", $"Only {refundMinor - left} of {refundMinor} could be refunded.");
    }

    public async Task<LastPayment?> LastPaymentAsync(CancellationToken ct)
    {
        // The client's links, and any link sent in this conversation (a manager may send one without naming the client).
        var sent = await db.ChannelMessages.AsNoTracking().Where(m => m.ConversationId == _c.Id && m.LinkId != null)
            .Select(m => m.LinkId!).Distinct().ToListAsync(ct);
        var customerId = _c.CustomerId;
        var link = (await db.PaymentLinks.AsNoTracking().Where(l => (customerId != null && l.CustomerId == customerId) || sent.Contains(l.Id)).ToListAsync(ct))
            .OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id, StringComparer.Ordinal).FirstOrDefault();
        return link is null ? null : new LastPayment(link.StatusAt(clock.GetUtcNow()).ToWire(), new Money(link.AmountMinor, link.Currency), link.PaidAt,
            link.Id, urls.PayPage(link.Code), link.Description);
    }

    public async Task HandOverAsync(string reason, CancellationToken ct)
    {
        var who = _c.DisplayName ?? (channels.TryGet(_c.Channel, out var channel) && channel.Traits.IsSiteWidget ? "посетитель веб-чата" : "клиент");
        var created = await tasks.CreateAsync(_merchant.Id, $"Ассистент передал разговор ({_c.Channel}, {who}): {reason}. Ответьте клиенту в разговоре {_c.Id}.",
            clock.GetUtcNow(), null, ct);
        if (!created.IsSuccess) throw new InvalidOperationException("The hand-over task was refused: " + created.Error!.Message);
    }

    /// <summary>The order of a payment after a booking's prepayment was paid (the booking's own order is closed then).</summary>
    /// <summary>The order of a booking's payments after its prepayment: "&lt;booking&gt;:balance".</summary>
    internal const string BalanceSuffix = ":balance";

    private static string BalanceOrder(string bookingId) => bookingId + BalanceSuffix;

    /// <summary>Every link of a booking: its prepayment link, links of its order and of its balance order.</summary>
    private IQueryable<PaymentLink> BookingLinks(string bookingId, string? prepaymentLinkId)
    {
        var balance = BalanceOrder(bookingId);
        return db.PaymentLinks.AsNoTracking().Where(l => l.Id == prepaymentLinkId || l.OrderRef == bookingId || l.OrderRef == balance);
    }

    /// <summary>Whether the channel's addresses are customers' phones (SMS) or e-mails, so a conversation's address is one.</summary>
    private bool Reaches(string provider, ContactKind kind) => channels.TryGet(provider, out var c) && c.Traits.ReachesBy == kind;

    private Invoice ToInvoice(PaymentLink link) => new(link.Id, urls.PayPage(link.Code), new Money(link.AmountMinor, link.Currency), link.Description);

    /// <summary>The conversation's customer, created on the first action that needs one (with the contacts the client gave).</summary>
    private async Task<string> CustomerIdAsync(CancellationToken ct)
    {
        var phone = Phone ?? (Reaches(_c.Channel, ContactKind.Phone) ? _c.Address : null);
        var email = Email ?? (Reaches(_c.Channel, ContactKind.Email) ? _c.Address : null);
        Customer customer;
        if (_c.CustomerId is not null)
        {
            customer = await CustomerDirectory.CurrentAsync(db, await db.Customers.FirstAsync(x => x.Id == _c.CustomerId, ct), ct);
            customer.Complete(_c.DisplayName, phone, email);
        }
        else if (phone is not null || email is not null)
            customer = await CustomerDirectory.FindOrCreateAsync(db, _merchant.Id, _c.DisplayName, phone, email, clock, ct);
        else
        {
            customer = Customer.Create(_merchant.Id, _c.DisplayName, null, null, clock);
            db.Customers.Add(customer);
        }
        var tracked = await db.Conversations.FirstAsync(x => x.Id == _c.Id, ct);
        tracked.LinkCustomer(customer.Id);
        _c = tracked;
        await db.SaveChangesAsync(ct);
        return customer.Id;
    }
}
