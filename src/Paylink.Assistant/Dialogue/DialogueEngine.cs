using System.Text.RegularExpressions;
using Paylink.Core.Assistance;
using Paylink.Core.Catalog;
using Paylink.Core.Common;

namespace Paylink.Assistant.Dialogue;

/// <summary>Who the assistant talks for and how: the merchant's catalog, zone, name and the client's language.</summary>
public sealed record DialogueContext(CatalogSnapshot Catalog, TimeZoneInfo Zone, string MerchantName, string Lang = "ru");

/// <summary>
/// Moves one conversation from "хочу записаться / хочу оплатить" to a booking and a chat invoice. Each client
/// message: understand it (<see cref="IMessageUnderstanding"/>), combine it with the state (the pending
/// question, the booking being assembled), act through <see cref="IDialogueBackend"/> and answer with one
/// short message, at most one question. Two misunderstandings in a row, a refund without a booking, or a
/// backend failure hand the conversation to the manager, after which the assistant stays quiet.
/// </summary>
public sealed partial class DialogueEngine(IMessageUnderstanding understanding, DialoguePolicy policy, TimeProvider clock)
{
    public const int MaxMisses = 2;

    public DialoguePolicy Policy { get; } = policy;

    public async Task<DialogueReply> HandleAsync(DialogueState state, string? text, DialogueContext ctx, IDialogueBackend backend, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var a = await understanding.UnderstandAsync(text, ctx.Catalog, now, ctx.Zone, ct);
        var turn = new Turn(this, state, text ?? "", a, ctx, backend, now, new DialogueTexts(ctx.Lang, ctx.Zone), ct);
        if (state.HandedOver) return turn.Reply([], state, "quiet: handed over");
        try
        {
            return await turn.RunAsync();
        }
        catch (HttpRequestException)
        {
            return await turn.HandOverAsync("backend unavailable", turn.T.Failed);
        }
    }

    private sealed class Turn(DialogueEngine e, DialogueState s, string text, MessageAnalysis a, DialogueContext ctx, IDialogueBackend backend,
        DateTimeOffset now, DialogueTexts t, CancellationToken ct)
    {
        public DialogueTexts T => t;
        private DialoguePolicy P => e.Policy;

        public DialogueReply Reply(IReadOnlyList<string> texts, DialogueState state, string action, Invoice? invoice = null) =>
            new(texts, invoice, state, new DialogueDecision(a.Intent, a.Confidence, a.Source, action));

        private DialogueReply Say(string message, DialogueState state, string action, Invoice? invoice = null) =>
            Reply([message], state with { Misses = 0 }, action, invoice);

        public async Task<DialogueReply> HandOverAsync(string reason, string message)
        {
            await backend.HandOverAsync(reason, ct);
            return Reply([message], s with { HandedOver = true, Pending = Pending.None }, "handover: " + reason);
        }

        public async Task<DialogueReply> RunAsync()
        {
            // The contact the receipt needs: with it, do what was waiting for it.
            if (s.Pending == Pending.Contact && (a.Phone is not null || a.Email is not null))
                return s.InvoiceMinor is { } waiting ? await InvoiceAsync(s.BookingId, waiting, s.InvoiceWhat ?? "") : await ConfirmOrDeclineAsync(true, Pending.ConfirmBooking);
            // Answers to the pending question first: "да", "16:00", "маникюр" mean something only in context.
            if (s.Pending is Pending.ConfirmBooking or Pending.ConfirmReschedule or Pending.ConfirmCancel && a.Intent is Intent.Confirm or Intent.Decline)
                return await ConfirmOrDeclineAsync(a.Intent == Intent.Confirm);
            var givesSlot = a.ServiceId is not null || a.Date is not null || a.Time is not null || a.PartOfDay != PartOfDay.None || a.Candidates.Count > 1;
            if (s.Pending is Pending.Service or Pending.Date or Pending.Time or Pending.ConfirmBooking or Pending.ConfirmReschedule && givesSlot
                && a.Intent is not (Intent.Cancel or Intent.Refund or Intent.Price or Intent.Pay))
                return s.BookingId is not null ? await RescheduleAsync() : await BookAsync();
            if (s.Pending == Pending.PayWhat && (a.AmountMinor is not null || a.ServiceId is not null)) return await PayAsync();

            if (!a.IsConfident || a.Intent == Intent.Other) return await MissAsync();
            return a.Intent switch
            {
                Intent.Greeting when ThanksRegex().IsMatch(text) => Say(t.YouAreWelcome, s with { Pending = Pending.None }, "greeting: thanks"),
                Intent.Greeting => Say(t.Greeting(ctx.MerchantName), s with { Pending = Pending.None }, "greeting"),
                Intent.Book => await BookAsync(),
                Intent.Price => Price(),
                Intent.Pay => await PayAsync(),
                Intent.Reschedule => await RescheduleAsync(),
                Intent.Cancel => await CancelAsync(),
                Intent.Refund => await RefundAsync(),
                Intent.Confirm => Say(t.NothingPending, s, "confirm: nothing pending"),
                Intent.Decline => Say(t.Bye, DialogueState.New, "decline: nothing pending"),
                _ => await MissAsync(),
            };
        }

        private async Task<DialogueReply> MissAsync()
        {
            var misses = s.Misses + 1;
            if (misses >= MaxMisses) return await HandOverAsync("not understood twice", t.HandedOver);
            return Reply([t.NotUnderstood], s with { Misses = misses }, "ask: not understood");
        }

        // ---- booking ----

        private CatalogEntry? Service(string? id) => id is null ? null : ctx.Catalog.Entries.FirstOrDefault(x => x.Id == id);

        private TimeSpan Duration(CatalogEntry service) => TimeSpan.FromMinutes(service.DurationMinutes ?? P.DefaultDurationMinutes);

        private async Task<DialogueReply> BookAsync()
        {
            var st = s with
            {
                ServiceId = a.ServiceId ?? s.ServiceId,
                Date = a.Date ?? s.Date,
                Time = a.Time ?? (a.Date is not null && a.Date != s.Date ? null : s.Time),
                BookingId = null,
            };
            if (Service(st.ServiceId) is not { } service)
            {
                if (a.Candidates.Count > 1)
                    return Say(t.WhichOne(a.Candidates.Take(3).Select(c => c.Name)), st with { Pending = Pending.Service }, "ask: which service");
                return Say(t.AskService(ctx.Catalog.Entries.Take(4)), st with { Pending = Pending.Service }, "ask: service");
            }
            if (st.Date is not { } date) return Say(t.AskDate(service.Name), st with { Pending = Pending.Date }, "ask: date");
            var duration = Duration(service);
            var busy = await backend.BusyAsync(date, st.Staff, ct);
            if (st.Time is not { } time || a.TimeRelation != TimeRelation.At)
            {
                var free = SlotFinder.FreeStarts(date, duration, P, busy, now, ctx.Zone).Where(Fits).ToList();
                if (st.Time is not null && free.Count > 0)
                {
                    // "после 18", "к половине пятого": take the best start that honours the bound.
                    var best = a.TimeRelation == TimeRelation.After ? free[0] : free[^1];
                    return ProposeBooking(st with { Time = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(best, ctx.Zone).DateTime) }, service, best);
                }
                return Say(t.AskTime(t.Day(date), free.Take(6).ToList()), st with { Time = null, Pending = Pending.Time }, "ask: time");
            }
            var start = SlotFinder.ToInstant(date, time, ctx.Zone);
            var verdict = SlotFinder.Check(start, duration, P, busy, now, ctx.Zone);
            if (verdict == SlotFinder.Verdict.Free) return ProposeBooking(st, service, start);
            var nearest = await NearestAsync(start, duration, date, busy, st.Staff);
            if (nearest.Count == 0) return await HandOverAsync("no free time within a week", t.SlotProblem(verdict, nearest) + " " + t.HandedOver);
            return Say(t.SlotProblem(verdict, nearest), st with { Time = null, Pending = Pending.Time }, $"offer: {verdict.ToString().ToLowerInvariant()}");
        }

        /// <summary>Whether a free start honours the client's bound ("после 18", "до 12", "утром").</summary>
        private bool Fits(DateTimeOffset start)
        {
            var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, ctx.Zone).DateTime);
            var part = a.PartOfDay switch
            {
                PartOfDay.Morning => local < new TimeOnly(12, 0),
                PartOfDay.Afternoon => local >= new TimeOnly(12, 0) && local < new TimeOnly(17, 0),
                PartOfDay.Evening => local >= new TimeOnly(17, 0),
                _ => true,
            };
            if (a.Time is not { } bound) return part;
            return part && a.TimeRelation switch
            {
                TimeRelation.After => local >= bound,
                TimeRelation.Before or TimeRelation.By => local <= bound,
                _ => true,
            };
        }

        private async Task<IReadOnlyList<DateTimeOffset>> NearestAsync(DateTimeOffset wanted, TimeSpan duration, DateOnly day, IReadOnlyList<BusyInterval> busyThatDay, string? staff)
        {
            // Busy intervals of the following days come from the backend too; a week is enough to offer something.
            var busy = busyThatDay.ToList();
            for (var d = 1; d < 7; d++) busy.AddRange(await backend.BusyAsync(day.AddDays(d), staff, ct));
            return SlotFinder.Nearest(wanted, duration, P, busy, now, ctx.Zone);
        }

        private DialogueReply ProposeBooking(DialogueState st, CatalogEntry service, DateTimeOffset start)
        {
            var price = new Money(service.PriceMinor, service.Currency);
            return Say(t.ConfirmBooking(service.Name, start, price, P.Prepayment.For(price.Minor)),
                st with { Pending = Pending.ConfirmBooking, ProposedStart = start }, "propose: booking");
        }

        /// <summary>The merchant issues receipts and the client has given no phone or e-mail yet.</summary>
        private static bool NeedsContact(Error e) => e.Fields?.ContainsKey("customer") == true;

        private async Task<DialogueReply> ConfirmOrDeclineAsync(bool yes, Pending? pending = null)
        {
            switch (pending ?? s.Pending)
            {
                case Pending.ConfirmBooking when yes:
                {
                    var service = Service(s.ServiceId)!;
                    var prepay = P.Prepayment.For(service.PriceMinor);
                    var booked = await backend.BookAsync(service.Id, s.ProposedStart!.Value, prepay, s.Staff, ct);
                    if (!booked.IsSuccess)
                    {
                        // Someone took the slot between the offer and "да": offer the nearest again.
                        if (booked.Error!.Kind == ErrorKind.Conflict) return await BookAsync();
                        if (NeedsContact(booked.Error)) return Say(t.AskContact, s with { Pending = Pending.Contact, InvoiceMinor = null }, "ask: contact");
                        return await HandOverAsync("booking failed: " + booked.Error.Code, t.Failed);
                    }
                    var (_, invoice) = booked.Value;
                    return Say(t.Booked(service.Name, s.ProposedStart.Value, invoice?.Amount), DialogueState.New, "book", invoice);
                }
                case Pending.ConfirmBooking:
                    return Say(t.NotBooked, s with { Pending = Pending.Time, Time = null, ProposedStart = null }, "decline: booking");
                case Pending.ConfirmReschedule when yes:
                {
                    var moved = await backend.RescheduleAsync(s.BookingId!, s.ProposedStart!.Value, ct);
                    if (!moved.IsSuccess) return await HandOverAsync("reschedule failed: " + moved.Error!.Code, t.Failed);
                    return Say(t.Rescheduled(Service(s.ServiceId)?.Name ?? "", s.ProposedStart.Value), DialogueState.New, "reschedule");
                }
                case Pending.ConfirmCancel when yes:
                {
                    var booking = await backend.FindOpenBookingAsync(ct);
                    var refund = s.RefundMinor ?? 0;
                    var cancelled = await backend.CancelAsync(s.BookingId!, refund, ct);
                    if (!cancelled.IsSuccess) return await HandOverAsync("cancel failed: " + cancelled.Error!.Code, t.Failed);
                    return Say(t.Cancelled(refund, booking?.Price.Currency ?? ctx.Catalog.Currency), DialogueState.New, refund > 0 ? "cancel + refund" : "cancel");
                }
                default:
                    return Say(t.KeepBooking, DialogueState.New, "decline: keep booking");
            }
        }

        // ---- questions and payments ----

        private DialogueReply Price()
        {
            var ids = a.ServiceId is not null ? [a.ServiceId] : a.Candidates.Select(c => c.ServiceId).ToList();
            var entries = ids.Count > 0 ? ctx.Catalog.Entries.Where(x => ids.Contains(x.Id)).ToList() : ctx.Catalog.Entries.Take(8).ToList();
            var text = (ids.Count > 0 ? "" : t.PricesIntro + "\n") + t.Prices(entries, ctx.Catalog.Currency);
            return Say(text, s with { Pending = Pending.None, ServiceId = a.ServiceId ?? s.ServiceId }, "answer: price");
        }

        private async Task<DialogueReply> PayAsync()
        {
            if (DidIPayRegex().IsMatch(text)) return Say(t.PaymentStatus(await backend.LastPaymentAsync(ct)), s, "answer: payment status");
            var booking = await backend.FindOpenBookingAsync(ct);
            if (a.AmountMinor is { } amount)
            {
                if (amount <= 0 || amount > P.MaxPaymentMinor)
                    return Say(t.PayLimits(new Money(P.MaxPaymentMinor, ctx.Catalog.Currency)), s with { Pending = Pending.PayWhat }, "refuse: amount out of limits");
                var what = booking?.ServiceName ?? Service(a.ServiceId)?.Name ?? (ctx.Lang == "en" ? "payment" : "оплата");
                return await InvoiceAsync(booking?.Id, amount, what);
            }
            if (booking is { Due: { } due } && due.Minor > 0)
            {
                if (booking.PayUrl is { } url)
                    return Say(t.InvoiceFor(booking.ServiceName, due), DialogueState.New, "invoice: existing link", new Invoice("", url, due, booking.ServiceName));
                return await InvoiceAsync(booking.Id, due.Minor, booking.ServiceName);
            }
            if (Service(a.ServiceId) is { } service) return await InvoiceAsync(null, service.PriceMinor, service.Name);
            // An invoice the manager (or the CRM) sent and the client has not paid yet: show it again.
            if (await backend.LastPaymentAsync(ct) is { Status: "open", PayUrl: { } openUrl } open)
                return Say(t.InvoiceFor(open.Description ?? "", open.Amount), DialogueState.New, "invoice: open link",
                    new Invoice(open.LinkId ?? "", openUrl, open.Amount, open.Description ?? ""));
            return Say(t.PayWhat, s with { Pending = Pending.PayWhat }, "ask: pay for what");
        }

        private async Task<DialogueReply> InvoiceAsync(string? bookingId, long amount, string what)
        {
            var invoice = await backend.InvoiceAsync(bookingId, amount, what, ct);
            if (!invoice.IsSuccess && NeedsContact(invoice.Error!))
                return Say(t.AskContact, s with { Pending = Pending.Contact, BookingId = bookingId, InvoiceMinor = amount, InvoiceWhat = what }, "ask: contact");
            if (!invoice.IsSuccess) return await HandOverAsync("invoice failed: " + invoice.Error!.Code, t.Failed);
            return Say(t.InvoiceFor(what, invoice.Value.Amount), DialogueState.New, "invoice", invoice.Value);
        }

        // ---- changing a booking ----

        private async Task<DialogueReply> RescheduleAsync()
        {
            var booking = await backend.FindOpenBookingAsync(ct);
            if (booking is null) return Say(t.NoBooking, DialogueState.New, "reschedule: no booking");
            var current = TimeZoneInfo.ConvertTime(booking.Start, ctx.Zone);
            var date = a.Date ?? (a.Time is not null ? s.Date ?? DateOnly.FromDateTime(current.DateTime) : null);
            var time = a.Time ?? (a.Date is not null ? TimeOnly.FromDateTime(current.DateTime) : null);
            var st = s with { BookingId = booking.Id, ServiceId = booking.ServiceId, Date = date, Staff = booking.Staff };
            if (date is null || time is null) return Say(t.AskNewTime(booking.ServiceName, booking.Start), st with { Pending = Pending.Date }, "ask: new time");
            var service = Service(booking.ServiceId);
            var duration = service is null ? TimeSpan.FromMinutes(P.DefaultDurationMinutes) : Duration(service);
            var busy = (await backend.BusyAsync(date.Value, st.Staff, ct)).Where(b => b.Start != booking.Start).ToList();
            var start = SlotFinder.ToInstant(date.Value, time.Value, ctx.Zone);
            var verdict = SlotFinder.Check(start, duration, P, busy, now, ctx.Zone);
            if (verdict != SlotFinder.Verdict.Free)
            {
                var nearest = await NearestAsync(start, duration, date.Value, busy, st.Staff);
                return Say(t.SlotProblem(verdict, nearest), st with { Pending = Pending.Time }, "offer: reschedule " + verdict.ToString().ToLowerInvariant());
            }
            return Say(t.ConfirmReschedule(booking.ServiceName, start), st with { Pending = Pending.ConfirmReschedule, ProposedStart = start }, "propose: reschedule");
        }

        private async Task<DialogueReply> CancelAsync()
        {
            var booking = await backend.FindOpenBookingAsync(ct);
            if (booking is null) return Say(t.NoBooking, DialogueState.New, "cancel: no booking");
            var hoursBefore = (booking.Start - now).TotalHours;
            var rule = P.Cancellation;
            long refund;
            if (hoursBefore >= rule.FullRefundHoursBefore) refund = booking.PaidMinor;
            else if (rule.KeepDepositWhenLate) refund = 0;
            else return await HandOverAsync("late cancellation", t.HandedOver);
            return Say(t.ConfirmCancel(booking, refund, rule.FullRefundHoursBefore),
                s with { Pending = Pending.ConfirmCancel, BookingId = booking.Id, ServiceId = booking.ServiceId, RefundMinor = refund }, "propose: cancel");
        }

        private async Task<DialogueReply> RefundAsync()
        {
            if (await backend.FindOpenBookingAsync(ct) is not null) return await CancelAsync();
            return await HandOverAsync("refund requested", t.RefundToManager);
        }
    }

    [GeneratedRegex(@"спасиб|благодар|thank", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ThanksRegex();

    [GeneratedRegex(@"(оплатил[аи]?\s*\?|оплата\s+прошла|прошла\s+ли\s+оплата|оплачено\s*\?|did\s+i\s+pay|have\s+i\s+paid|payment\s+(go\s+through|went\s+through))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DidIPayRegex();
}
