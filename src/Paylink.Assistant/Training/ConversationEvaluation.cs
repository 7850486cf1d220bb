using System.Globalization;
using System.Text;
using System.Text.Json;
using Paylink.Assistant.Dialogue;
using Paylink.Core.Assistance;
using Paylink.Core.Catalog;
using Paylink.Core.Common;

namespace Paylink.Assistant.Training;

/// <summary>A booking as a conversation set states it: service, local date and time, staff, status.</summary>
public sealed record BookingOutcome(string ServiceId, string Date, string Time, string? Staff, string Status)
{
    /// <summary>The booking without its status: what the client asked for.</summary>
    public string Slot => $"{ServiceId} {Date} {Time} {Staff ?? "-"}";

    public override string ToString() => $"{Slot} {Status}";
}

/// <summary>The end state of a conversation: every booking, the invoice amounts in order, the refunds, hand-over.</summary>
public sealed record ConversationOutcome(IReadOnlyList<BookingOutcome> Bookings, IReadOnlyList<long> Invoices, IReadOnlyList<long> Refunds, bool Handoff)
{
    public override string ToString() =>
        $"bookings [{string.Join("; ", Bookings)}] invoices [{string.Join(", ", Invoices)}] refunds [{string.Join(", ", Refunds)}] handoff {(Handoff ? "yes" : "no")}";
}

/// <summary>One client turn: a message, or <c>{"paid": true}</c> (the client pays the latest open invoice in full).</summary>
public sealed record ConversationTurn(string? Text, bool Paid);

/// <summary>One line of conversations.jsonl (format: tests/heldout/README.md).</summary>
public sealed record ConversationCase(string Id, string Catalog, string Lang, IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End, string? Staff)> Busy,
    IReadOnlyList<ConversationTurn> Turns, ConversationOutcome Expect);

/// <summary>How one conversation ended compared with what a good administrator would reach.</summary>
public enum ConversationVerdict { Right, WrongBooking, WrongInvoice, Neither }

/// <summary>One conversation's run: verdict, end state, transcript, and whether every reply kept the client's language.</summary>
public sealed record ConversationResult(ConversationCase Case, ConversationVerdict Verdict, ConversationOutcome Actual, bool WrongBooking, bool WrongInvoice,
    int Replies, int RepliesInLanguage, IReadOnlyList<string> Transcript)
{
    public bool LanguageKept => RepliesInLanguage == Replies;
}

/// <summary>The figures of a conversation set.</summary>
public sealed record ConversationReport(IReadOnlyList<ConversationResult> Results)
{
    public int Count => Results.Count;
    public int Right => Results.Count(r => r.Verdict == ConversationVerdict.Right);
    public int WrongBookings => Results.Count(r => r.WrongBooking);
    public int WrongInvoices => Results.Count(r => r.WrongInvoice);
    public int Neither => Results.Count(r => r.Verdict == ConversationVerdict.Neither);
    public int LanguageKept => Results.Count(r => r.LanguageKept);

    public string Format(bool withErrors = false)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        double Share(int n) => Count == 0 ? 0 : (double)n / Count;
        var replies = Results.Sum(r => r.Replies);
        var inLang = Results.Sum(r => r.RepliesInLanguage);
        sb.AppendLine(ci, $"conversations:   {Count}");
        sb.AppendLine(ci, $"right:           {Right} ({Share(Right):F4})");
        sb.AppendLine(ci, $"wrong bookings:  {WrongBookings}");
        sb.AppendLine(ci, $"wrong invoices:  {WrongInvoices}");
        sb.AppendLine(ci, $"neither:         {Neither}");
        sb.AppendLine(ci, $"language kept:   {LanguageKept} ({Share(LanguageKept):F4}); replies {inLang}/{replies}");
        if (withErrors)
            foreach (var r in Results.Where(r => r.Verdict != ConversationVerdict.Right || !r.LanguageKept))
            {
                sb.AppendLine();
                sb.AppendLine(ci, $"[{r.Verdict.ToString().ToLowerInvariant()}{(r.LanguageKept ? "" : ", language")}] {r.Case.Id} ({r.Case.Catalog}, {r.Case.Lang})");
                foreach (var line in r.Transcript) sb.AppendLine("  " + line);
                sb.AppendLine("  expected " + r.Case.Expect);
                sb.AppendLine("  actual   " + r.Actual);
            }
        return sb.ToString();
    }
}

/// <summary>
/// Runs multi-turn conversations (conversations.jsonl + catalogs/ + settings.json) through the real
/// <see cref="DialogueEngine"/>, constructed as the server constructs it, over an in-memory backend that keeps
/// bookings (per staff member), invoices, payments, refunds and the hand-over flag, and compares the end state
/// with the expected one. The clock starts at <see cref="LabelledSet.Now"/> and moves a minute per turn.
/// </summary>
public static class ConversationEvaluation
{
    /// <summary>Reads a conversations.jsonl file; errors name the line.</summary>
    public static IReadOnlyList<ConversationCase> Load(string path)
    {
        var rows = new List<ConversationCase>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try { rows.Add(Parse(JsonDocument.Parse(line).RootElement)); }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new InvalidDataException($"{path}:{lineNo}: {ex.Message}", ex);
            }
        }
        return rows;
    }

    private static ConversationCase Parse(JsonElement o)
    {
        var busy = new List<(DateTimeOffset, DateTimeOffset, string?)>();
        if (o.TryGetProperty("busy", out var b) && b.ValueKind == JsonValueKind.Array)
            foreach (var x in b.EnumerateArray())
                busy.Add((x.GetProperty("start").GetDateTimeOffset(), x.GetProperty("end").GetDateTimeOffset(), OptString(x, "staff")));
        var turns = new List<ConversationTurn>();
        foreach (var t in o.GetProperty("turns").EnumerateArray())
            turns.Add(t.ValueKind == JsonValueKind.String ? new ConversationTurn(t.GetString(), false)
                : t.TryGetProperty("paid", out var paid) && paid.GetBoolean() ? new ConversationTurn(null, true)
                : throw new FormatException("a turn is a message or {\"paid\": true}."));
        var e = o.GetProperty("expect");
        var bookings = e.TryGetProperty("bookings", out var eb)
            ? eb.EnumerateArray().Select(x => new BookingOutcome(x.GetProperty("serviceId").GetString()!, x.GetProperty("date").GetString()!,
                x.GetProperty("time").GetString()!, OptString(x, "staff"), OptString(x, "status") ?? "pending")).ToList()
            : [];
        var invoices = e.TryGetProperty("invoices", out var ei) ? ei.EnumerateArray().Select(x => x.GetInt64()).ToList() : [];
        var refunds = e.TryGetProperty("refunds", out var er) ? er.EnumerateArray().Select(x => x.GetInt64()).ToList() : [];
        var handoff = e.TryGetProperty("handoff", out var eh) && eh.GetBoolean();
        return new ConversationCase(o.GetProperty("id").GetString()!, o.GetProperty("catalog").GetString()!, OptString(o, "lang") ?? "ru", busy, turns,
            new ConversationOutcome(bookings, invoices, refunds, handoff));
    }

    private static string? OptString(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Reads settings.json: per business, the assistant settings (API form); each validated.</summary>
    public static IReadOnlyDictionary<string, AssistantSettings> LoadSettings(string path)
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var all = JsonSerializer.Deserialize<Dictionary<string, AssistantSettings>>(File.ReadAllText(path), json)
            ?? throw new InvalidDataException($"{path}: not a settings object.");
        var valid = new Dictionary<string, AssistantSettings>(StringComparer.Ordinal);
        foreach (var (business, s) in all)
        {
            var v = s.Validate([]);
            if (!v.IsSuccess) throw new InvalidDataException($"{path}: {business}: {v.Error!.Message} {string.Join(" ", (v.Error.Fields?.Values ?? []).SelectMany(x => x))}");
            valid[business] = v.Value;
        }
        return valid;
    }

    /// <summary>
    /// Runs every conversation. <paramref name="channelLanguage"/> is the language the channel reports for the
    /// conversation (the server's <c>Conversation.Language</c>); null uses each conversation's own "lang", "ru"
    /// measures whether the assistant notices the client's language by itself.
    /// </summary>
    public static async Task<ConversationReport> RunAsync(IMessageUnderstanding understanding, IReadOnlyList<ConversationCase> cases,
        IReadOnlyDictionary<string, CatalogSnapshot> catalogs, IReadOnlyDictionary<string, AssistantSettings> settings, string? channelLanguage, CancellationToken ct)
    {
        var results = new List<ConversationResult>();
        foreach (var c in cases) results.Add(await RunOneAsync(understanding, c, catalogs, settings, channelLanguage, ct));
        return new ConversationReport(results);
    }

    public static async Task<ConversationResult> RunOneAsync(IMessageUnderstanding understanding, ConversationCase c,
        IReadOnlyDictionary<string, CatalogSnapshot> catalogs, IReadOnlyDictionary<string, AssistantSettings> settings, string? channelLanguage, CancellationToken ct)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(LabelledSet.TimeZoneId);
        var catalog = LabelledSet.Catalog(catalogs, c.Catalog);
        var s = settings.TryGetValue(c.Catalog, out var found) ? found : AssistantSettings.Default;
        var clock = new SteppedClock(LabelledSet.Now);
        var backend = new InMemoryDialogueBackend(catalog, zone, clock);
        foreach (var (start, end, staff) in c.Busy) backend.AddBusy(start, end, staff);
        var engine = new DialogueEngine(understanding, s.ToPolicy(), clock);
        var context = new DialogueContext(catalog, zone, c.Catalog, channelLanguage ?? c.Lang);
        var state = DialogueState.New;
        var transcript = new List<string>();
        int replies = 0, inLanguage = 0;
        for (var i = 0; i < c.Turns.Count; i++)
        {
            if (i > 0) clock.Advance(TimeSpan.FromMinutes(1));
            var turn = c.Turns[i];
            if (turn.Paid)
            {
                transcript.Add(backend.PayLatest() is { } paid ? $"[paid {paid}]" : "[paid: no open invoice]");
                continue;
            }
            transcript.Add("> " + turn.Text);
            var reply = await engine.HandleAsync(state, turn.Text, context, backend, ct);
            state = reply.State;
            foreach (var text in reply.Texts)
            {
                transcript.Add("< " + text.Replace('\n', ' '));
                if (ScriptOf(text) is not { } script) continue;
                replies++;
                if (script == c.Lang) inLanguage++;
            }
            if (reply.Invoice is { } inv) transcript.Add($"  [invoice {inv.LinkId} {inv.Amount.Minor}]");
            transcript.Add($"  ({reply.Decision.Intent.ToName()} {reply.Decision.Confidence:F2} → {reply.Decision.Action})");
        }
        var actual = backend.Outcome();
        var (verdict, wrongBooking, wrongInvoice) = Score(c.Expect, actual);
        return new ConversationResult(c, verdict, actual, wrongBooking, wrongInvoice, replies, inLanguage, transcript);
    }

    /// <summary>
    /// Right: the end state equals the expected one (bookings and refunds as multisets, invoices in order).
    /// Wrong booking: a booking exists whose service, day, time or staff no expected booking has. Wrong invoice:
    /// an invoice amount beyond the expected ones. Otherwise (a question too many, a status short): neither.
    /// </summary>
    public static (ConversationVerdict Verdict, bool WrongBooking, bool WrongInvoice) Score(ConversationOutcome expect, ConversationOutcome actual)
    {
        var wrongBooking = Extra(actual.Bookings.Select(b => b.Slot), expect.Bookings.Select(b => b.Slot)).Count > 0;
        var wrongInvoice = Extra(actual.Invoices, expect.Invoices).Count > 0;
        var right = SameBag(actual.Bookings.Select(b => b.ToString()), expect.Bookings.Select(b => b.ToString()))
            && actual.Invoices.SequenceEqual(expect.Invoices)
            && SameBag(actual.Refunds, expect.Refunds)
            && actual.Handoff == expect.Handoff;
        var verdict = right ? ConversationVerdict.Right
            : wrongBooking ? ConversationVerdict.WrongBooking
            : wrongInvoice ? ConversationVerdict.WrongInvoice
            : ConversationVerdict.Neither;
        return (verdict, wrongBooking, wrongInvoice);
    }

    private static List<T> Extra<T>(IEnumerable<T> actual, IEnumerable<T> expected) where T : notnull
    {
        var left = expected.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        var extra = new List<T>();
        foreach (var x in actual)
        {
            if (left.TryGetValue(x, out var n) && n > 0) left[x] = n - 1;
            else extra.Add(x);
        }
        return extra;
    }

    private static bool SameBag<T>(IEnumerable<T> a, IEnumerable<T> b) where T : notnull
    {
        var x = a.ToList();
        var y = b.ToList();
        return x.Count == y.Count && Extra(x, y).Count == 0;
    }

    /// <summary>"en" when a text's letters are mostly Latin, "ru" when mostly Cyrillic, null without letters.</summary>
    public static string? ScriptOf(string text)
    {
        int latin = 0, cyrillic = 0;
        foreach (var ch in text)
        {
            if (ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z') latin++;
            else if (ch is >= '\u0400' and <= '\u04FF') cyrillic++;
        }
        // Links and ids in a text are Latin in any language: count only words, not URLs.
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (word.Contains("://", StringComparison.Ordinal)) latin -= word.Count(ch => ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z');
        if (latin <= 0 && cyrillic == 0) return null;
        return latin > cyrillic ? "en" : "ru";
    }
}

/// <summary>A clock that stands still until told to move (the harness moves it a minute per turn).</summary>
public sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start.ToUniversalTime();

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>
/// The dialogue's backend for one client, in memory, following the server's rules (ConversationBackend over
/// CreateBooking, CreatePaymentLink, RescheduleBooking, ChangeBookingStatus, RefundPayment,
/// ConfirmBookingOnPayment): a booking needs a service with a duration, a future start and a slot free for its
/// staff member (bookings without staff share one resource); it is pending until its prepayment link is paid,
/// and a booking made without prepayment is confirmed at once, as on the server (the client's yes confirms it).
/// </summary>
public sealed class InMemoryDialogueBackend(CatalogSnapshot catalog, TimeZoneInfo zone, TimeProvider clock) : IDialogueBackend
{
    private sealed class Booking
    {
        public required string Id { get; init; }
        public required CatalogEntry Service { get; init; }
        public DateTimeOffset Start { get; set; }
        public DateTimeOffset End { get; set; }
        public string? Staff { get; init; }
        public string Status { get; set; } = "pending";
        public string? LinkId { get; set; }
        /// <summary>Someone else's time ("busy" in the set), not the client's booking.</summary>
        public bool Foreign { get; init; }
    }

    private sealed class Link
    {
        public required string Id { get; init; }
        public required long Amount { get; init; }
        public required string Description { get; init; }
        public string? BookingId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? PaidAt { get; set; }
        public long Refunded { get; set; }
        public string Url => "https://pay.example/p/" + Id;
    }

    private readonly List<Booking> _bookings = [];
    private readonly List<Link> _links = [];
    private readonly List<long> _refunds = [];
    private bool _handoff;

    public void AddBusy(DateTimeOffset start, DateTimeOffset end, string? staff) =>
        _bookings.Add(new Booking { Id = "busy" + _bookings.Count, Service = new CatalogEntry("busy", "busy", 0, catalog.Currency), Start = start, End = end, Staff = staff, Foreign = true, Status = "confirmed" });

    /// <summary>The client pays the latest open invoice in full; its booking is confirmed. Returns what was paid, or null.</summary>
    public string? PayLatest()
    {
        var link = _links.LastOrDefault(l => l.PaidAt is null);
        if (link is null) return null;
        link.PaidAt = clock.GetUtcNow();
        if (_bookings.FirstOrDefault(b => b.LinkId == link.Id) is { Status: "pending" } booking) booking.Status = "confirmed";
        return $"{link.Id} {link.Amount}";
    }

    public ConversationOutcome Outcome()
    {
        var ci = CultureInfo.InvariantCulture;
        var bookings = _bookings.Where(b => !b.Foreign).Select(b =>
        {
            var local = TimeZoneInfo.ConvertTime(b.Start, zone);
            return new BookingOutcome(b.Service.Id, local.ToString("yyyy-MM-dd", ci), local.ToString("HH:mm", ci), b.Staff, b.Status);
        }).ToList();
        return new ConversationOutcome(bookings, _links.Select(l => l.Amount).ToList(), _refunds.ToList(), _handoff);
    }

    private Money M(long minor) => new(minor, catalog.Currency);

    public Task<IReadOnlyList<BusyInterval>> BusyAsync(DateOnly localDay, string? staff, CancellationToken ct)
    {
        var from = DateFormat.LocalToUtc(localDay, TimeOnly.MinValue, zone);
        var to = DateFormat.LocalToUtc(localDay.AddDays(1), TimeOnly.MinValue, zone);
        return Task.FromResult<IReadOnlyList<BusyInterval>>(_bookings
            .Where(b => b.Staff == staff && b.Status != "cancelled" && b.Start < to && b.End > from)
            .Select(b => new BusyInterval(b.Start, b.End)).ToList());
    }

    private IEnumerable<Link> LinksOf(Booking b) => _links.Where(l => l.BookingId == b.Id || l.Id == b.LinkId);

    public Task<OpenBooking?> FindOpenBookingAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var b = _bookings.Where(x => !x.Foreign && x.Status is "pending" or "confirmed" && x.End > now).OrderBy(x => x.Start).FirstOrDefault();
        if (b is null) return Task.FromResult<OpenBooking?>(null);
        var links = LinksOf(b).ToList();
        var paid = links.Where(l => l.PaidAt is not null).Sum(l => l.Amount - l.Refunded);
        var open = links.Where(l => l.PaidAt is null).LastOrDefault();
        var left = b.Service.PriceMinor - paid;
        Money? due = open is not null ? M(open.Amount) : left > 0 ? M(left) : null;
        return Task.FromResult<OpenBooking?>(new OpenBooking(b.Id, b.Service.Id, b.Service.Name, b.Start, M(b.Service.PriceMinor), paid, open?.Url, due, b.Staff));
    }

    private Error? Clash(DateTimeOffset start, DateTimeOffset end, string? staff, Booking? except) =>
        _bookings.Any(b => b != except && b.Staff == staff && b.Status != "cancelled" && b.Start < end && b.End > start)
            ? Error.Conflict("slot_taken", "The time overlaps another booking.")
            : null;

    public Task<Result<(string BookingId, Invoice? Invoice)>> BookAsync(string serviceId, DateTimeOffset start, long prepaymentMinor, string? staff, CancellationToken ct)
    {
        var service = catalog.Entries.FirstOrDefault(e => e.Id == serviceId);
        if (service is null) return Task.FromResult<Result<(string, Invoice?)>>(Error.Validation("serviceId", $"Service '{serviceId}' is not in the catalog."));
        if (service.DurationMinutes is not { } minutes)
            return Task.FromResult<Result<(string, Invoice?)>>(Error.Validation("serviceId", $"Service '{service.Id}' has no durationMinutes in the catalog; set it to book the service."));
        if (start < clock.GetUtcNow()) return Task.FromResult<Result<(string, Invoice?)>>(Error.Validation("start", "start must be in the future."));
        if (prepaymentMinor < 0 || prepaymentMinor > service.PriceMinor)
            return Task.FromResult<Result<(string, Invoice?)>>(Error.Validation("prepayment.amount", "prepayment.amount must be between 1 and the service price."));
        var end = start.AddMinutes(minutes);
        if (Clash(start, end, staff, null) is { } clash) return Task.FromResult<Result<(string, Invoice?)>>(clash);
        var booking = new Booking { Id = "bkg_" + (_bookings.Count(b => !b.Foreign) + 1), Service = service, Start = start, End = end, Staff = staff };
        _bookings.Add(booking);
        if (prepaymentMinor == 0) booking.Status = "confirmed";
        Invoice? invoice = null;
        if (prepaymentMinor > 0)
        {
            var link = NewLink(prepaymentMinor, $"{service.Name}, {DateFormat.DateTime(start, zone)}", booking.Id);
            booking.LinkId = link.Id;
            invoice = new Invoice(link.Id, link.Url, M(link.Amount), link.Description);
        }
        return Task.FromResult<Result<(string, Invoice?)>>((booking.Id, invoice));
    }

    private Link NewLink(long amount, string description, string? bookingId)
    {
        var link = new Link { Id = "lnk_" + (_links.Count + 1), Amount = amount, Description = description, BookingId = bookingId, CreatedAt = clock.GetUtcNow() };
        _links.Add(link);
        return link;
    }

    public Task<Result<Invoice>> InvoiceAsync(string? bookingId, long amountMinor, string description, CancellationToken ct)
    {
        if (amountMinor <= 0) return Task.FromResult<Result<Invoice>>(Error.Validation("amount", "amount must be positive."));
        var booking = bookingId is null ? null : _bookings.FirstOrDefault(b => b.Id == bookingId);
        var prepaid = booking?.LinkId is { } id && _links.Any(l => l.Id == id && l.PaidAt is not null);
        var link = NewLink(amountMinor, description, booking?.Id);
        // As on the server: until its prepayment is paid, a booking's latest link is the one that confirms it.
        if (booking is not null && !prepaid) booking.LinkId = link.Id;
        return Task.FromResult<Result<Invoice>>(new Invoice(link.Id, link.Url, M(link.Amount), link.Description));
    }

    public Task<Result<bool>> RescheduleAsync(string bookingId, DateTimeOffset newStart, CancellationToken ct)
    {
        var b = _bookings.FirstOrDefault(x => x.Id == bookingId && !x.Foreign);
        if (b is null) return Task.FromResult<Result<bool>>(Error.NotFound($"Booking '{bookingId}'"));
        if (b.Status is not ("pending" or "confirmed")) return Task.FromResult<Result<bool>>(Error.Conflict("invalid_transition", $"A {b.Status} booking cannot be moved."));
        if (newStart < clock.GetUtcNow()) return Task.FromResult<Result<bool>>(Error.Validation("start", "start must be in the future."));
        var end = newStart + (b.End - b.Start);
        if (Clash(newStart, end, b.Staff, b) is { } clash) return Task.FromResult<Result<bool>>(clash);
        b.Start = newStart;
        b.End = end;
        return Task.FromResult<Result<bool>>(true);
    }

    public Task<Result<bool>> CancelAsync(string bookingId, long refundMinor, CancellationToken ct)
    {
        var b = _bookings.FirstOrDefault(x => x.Id == bookingId && !x.Foreign);
        if (b is null) return Task.FromResult<Result<bool>>(Error.NotFound($"Booking '{bookingId}'"));
        if (b.Status == "cancelled") return Task.FromResult<Result<bool>>(false);
        b.Status = "cancelled";
        // Refunds go back from the booking's paid links, newest first, never more than each one took.
        var left = refundMinor;
        foreach (var l in LinksOf(b).Where(l => l.PaidAt is not null).Reverse())
        {
            if (left <= 0) break;
            var take = Math.Min(left, l.Amount - l.Refunded);
            if (take <= 0) continue;
            l.Refunded += take;
            left -= take;
            _refunds.Add(take);
        }
        return Task.FromResult<Result<bool>>(true);
    }

    public Task<LastPayment?> LastPaymentAsync(CancellationToken ct)
    {
        var l = _links.LastOrDefault();
        return Task.FromResult(l is null ? null
            : new LastPayment(l.PaidAt is null ? "open" : "paid", M(l.Amount), l.PaidAt, l.Id, l.Url, l.Description));
    }

    public Task HandOverAsync(string reason, CancellationToken ct)
    {
        _handoff = true;
        return Task.CompletedTask;
    }
}
