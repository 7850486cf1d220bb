using Microsoft.Extensions.Time.Testing;
using Paylink.Assistant;
using Paylink.Assistant.Dialogue;
using Paylink.Core.Assistance;
using Paylink.Core.Common;

namespace Paylink.Tests.Assistant;

/// <summary>An in-memory dialogue backend that records what the assistant asked it to do.</summary>
internal sealed class RecordingDialogueBackend : IDialogueBackend
{
    public List<BusyInterval> Busy { get; } = [];
    /// <summary>Busy intervals of named staff members (their own schedules).</summary>
    public Dictionary<string, List<BusyInterval>> StaffBusy { get; } = [];
    public OpenBooking? Open { get; set; }
    public LastPayment? Last { get; set; }
    public List<string> Calls { get; } = [];
    public Error? BookError { get; set; }
    /// <summary>Receipts are on and the client gave no contact yet (the server's backend learns it from the message).</summary>
    public bool NeedsContact { get; set; }

    public Task<IReadOnlyList<BusyInterval>> BusyAsync(DateOnly localDay, string? staff, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<BusyInterval>>((staff is null ? Busy : StaffBusy.GetValueOrDefault(staff) ?? []).Where(b => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(b.Start, AssistantTestData.Moscow).DateTime) == localDay).ToList());

    public Task<OpenBooking?> FindOpenBookingAsync(CancellationToken ct) => Task.FromResult(Open);

    public Task<Result<(string BookingId, Invoice? Invoice)>> BookAsync(string serviceId, DateTimeOffset start, long prepaymentMinor, string? staff, CancellationToken ct)
    {
        Calls.Add($"book {serviceId} {start:O} {prepaymentMinor}" + (staff is null ? "" : " " + staff));
        if (BookError is { } e) { BookError = null; Busy.Add(new BusyInterval(start, start.AddHours(1))); return Task.FromResult<Result<(string, Invoice?)>>(e); }
        Invoice? inv = prepaymentMinor > 0 ? new Invoice("lnk_1", "http://pay/p/abc", new Money(prepaymentMinor, "RUB"), serviceId) : null;
        return Task.FromResult<Result<(string, Invoice?)>>(("bkg_1", inv));
    }

    public Task<Result<Invoice>> InvoiceAsync(string? bookingId, long amountMinor, string description, CancellationToken ct)
    {
        Calls.Add($"invoice {bookingId ?? "-"} {amountMinor} {description}");
        if (NeedsContact) return Task.FromResult<Result<Invoice>>(Error.Validation("customer", "customer.email or customer.phone is required"));
        return Task.FromResult<Result<Invoice>>(new Invoice("lnk_2", "http://pay/p/def", new Money(amountMinor, "RUB"), description));
    }

    public Task<Result<bool>> RescheduleAsync(string bookingId, DateTimeOffset newStart, CancellationToken ct)
    {
        Calls.Add($"reschedule {bookingId} {newStart:O}");
        return Task.FromResult<Result<bool>>(true);
    }

    public Task<Result<bool>> CancelAsync(string bookingId, long refundMinor, CancellationToken ct)
    {
        Calls.Add($"cancel {bookingId} {refundMinor}");
        return Task.FromResult<Result<bool>>(true);
    }

    public Task<LastPayment?> LastPaymentAsync(CancellationToken ct) => Task.FromResult(Last);

    public Task HandOverAsync(string reason, CancellationToken ct)
    {
        Calls.Add("handover " + reason);
        return Task.CompletedTask;
    }
}

/// <summary>One client talking to the engine over a <see cref="RecordingDialogueBackend"/>, the state carried between messages.</summary>
internal sealed class DialogueDriver(DialogueContext context, DialoguePolicy policy)
{
    public RecordingDialogueBackend Backend { get; } = new();
    public DialogueState State { get; private set; } = DialogueState.New;

    public async Task<DialogueReply> SayAsync(string text, DialoguePolicy? other = null)
    {
        var engine = new DialogueEngine(AssistantTestData.Analyzer, other ?? policy, new FakeTimeProvider(AssistantTestData.Now));
        var reply = await engine.HandleAsync(State, text, context, Backend, CancellationToken.None);
        State = reply.State;
        return reply;
    }

    /// <summary>A Moscow wall-clock time in November 2026.</summary>
    public static DateTimeOffset Msk(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.FromHours(3));
}
