using Paylink.Core.Common;

namespace Paylink.Assistant.Dialogue;

/// <summary>What the assistant is waiting for from the client.</summary>
public enum Pending { None, Service, Date, Time, ConfirmBooking, ConfirmReschedule, ConfirmCancel, PayWhat, Contact, ConfirmInvoice, CompanyDetails, ConfirmCompanyInvoice }

/// <summary>
/// One conversation's memory between messages, small and serialisable: the booking being put together,
/// the question asked, misunderstandings in a row, and whether a person has taken over.
/// </summary>
public sealed record DialogueState
{
    public string? ServiceId { get; init; }
    public DateOnly? Date { get; init; }
    public TimeOnly? Time { get; init; }
    /// <summary>The staff member asked for ("к Анне"), as the catalog spells the name.</summary>
    public string? Staff { get; init; }
    public Pending Pending { get; init; }
    /// <summary>The start proposed for the pending confirmation (booking or reschedule).</summary>
    public DateTimeOffset? ProposedStart { get; init; }
    /// <summary>The booking a reschedule or cancellation is about.</summary>
    public string? BookingId { get; init; }
    /// <summary>Refund promised in the pending cancellation, minor units.</summary>
    public long? RefundMinor { get; init; }
    /// <summary>The invoice waiting for the client's contact (receipts need one): amount and what for.</summary>
    public long? InvoiceMinor { get; init; }
    public string? InvoiceWhat { get; init; }
    /// <summary>The company a счёт is asked for (<see cref="Pending.CompanyDetails"/>, <see cref="Pending.ConfirmCompanyInvoice"/>), as the client wrote it.</summary>
    public string? BuyerName { get; init; }
    public string? BuyerInn { get; init; }
    public string? BuyerKpp { get; init; }
    public string? BuyerEmail { get; init; }
    public int Misses { get; init; }
    /// <summary>The client's language ("ru", "en"), read from their first clear message and kept.</summary>
    public string? Lang { get; init; }
    public bool HandedOver { get; init; }

    public static DialogueState New { get; } = new();
}

/// <summary>The client's current booking as the backend sees it.</summary>
/// <param name="PaidMinor">What the client has paid towards it (prepayment), minor units.</param>
/// <param name="PayUrl">The open link for an unpaid prepayment, if any.</param>
public sealed record OpenBooking(string Id, string ServiceId, string ServiceName, DateTimeOffset Start, Money Price, long PaidMinor, string? PayUrl, Money? Due, string? Staff = null);

/// <summary>A link the backend created and the reply shows as a chat invoice.</summary>
public sealed record Invoice(string LinkId, string Url, Money Amount, string Description);

/// <summary>The company a client asked a счёт for; the ИНН has passed its check digits.</summary>
public sealed record CompanyBuyer(string Name, string Inn, string? Kpp, string? Email);

/// <summary>A счёт the backend issued: its number and dates, the public PDF, where it was e-mailed, and its pay link as a chat invoice.</summary>
public sealed record CompanyInvoice(string Number, DateOnly IssueDate, DateOnly DueDate, string PdfUrl, string? EmailedTo, Invoice Invoice);

/// <summary>The status of the client's latest payment link ("did I pay?"); an open one can be sent again.</summary>
public sealed record LastPayment(string Status, Money Amount, DateTimeOffset? PaidAt, string? LinkId = null, string? PayUrl = null, string? Description = null);

/// <summary>
/// What the dialogue needs from the rest of Paylink for one client of one merchant: bookings, payment links,
/// refunds and the manager. The server implements it over the database and the use cases; tests use their own.
/// </summary>
public interface IDialogueBackend
{
    /// <summary>Busy intervals of one local day: of <paramref name="staff"/> when given, else of the merchant's shared resource.</summary>
    Task<IReadOnlyList<BusyInterval>> BusyAsync(DateOnly localDay, string? staff, CancellationToken ct);
    Task<OpenBooking?> FindOpenBookingAsync(CancellationToken ct);
    /// <summary>Creates the customer (if new), the pending booking and its CRM lead, and the prepayment link when <paramref name="prepaymentMinor"/> &gt; 0.</summary>
    Task<Result<(string BookingId, Invoice? Invoice)>> BookAsync(string serviceId, DateTimeOffset start, long prepaymentMinor, string? staff, CancellationToken ct);
    Task<Result<Invoice>> InvoiceAsync(string? bookingId, long amountMinor, string description, CancellationToken ct);
    Task<Result<bool>> RescheduleAsync(string bookingId, DateTimeOffset newStart, CancellationToken ct);
    /// <summary>Cancels the booking and refunds <paramref name="refundMinor"/> through the gateway (0 = nothing).</summary>
    Task<Result<bool>> CancelAsync(string bookingId, long refundMinor, CancellationToken ct);
    Task<LastPayment?> LastPaymentAsync(CancellationToken ct);
    /// <summary>
    /// Issues a счёт (B2B invoice with the payment QR) to the company for one line «<paramref name="what"/>» and, when the
    /// buyer gave an e-mail, sends it there with the PDF. Backends that cannot issue one answer an error (the dialogue hands over).
    /// </summary>
    Task<Result<CompanyInvoice>> CompanyInvoiceAsync(CompanyBuyer buyer, long amountMinor, string what, CancellationToken ct) =>
        Task.FromResult<Result<CompanyInvoice>>(Error.Conflict("company_invoice", "This backend does not issue счета."));
    /// <summary>Notifies the manager (a CRM task / conversation flag); the assistant goes quiet in this conversation.</summary>
    Task HandOverAsync(string reason, CancellationToken ct);
}

/// <summary>What the assistant did with one message, for the decision log.</summary>
public sealed record DialogueDecision(Intent Intent, double Confidence, AnalysisSource Source, string Action);

/// <summary>The answer to one message: texts to send (possibly none), an invoice card, the new state.</summary>
public sealed record DialogueReply(IReadOnlyList<string> Texts, Invoice? Invoice, DialogueState State, DialogueDecision Decision);
