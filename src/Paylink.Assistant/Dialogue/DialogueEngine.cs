using System.Text.RegularExpressions;
using Paylink.Core.Assistance;
using Paylink.Core.Catalog;
using Paylink.Assistant.Extraction;
using Paylink.Core.Common;
using Paylink.Core.Documents;

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
        // An ИНН or КПП is never a phone or an amount (a client asking for a company's счёт writes both).
        var a = BuyerExtractor.WithoutRequisiteNumbers(await understanding.UnderstandAsync(text, ctx.Catalog, now, ctx.Zone, ct), text);
        // The client's language is read from their first clear message and kept for the whole conversation.
        var lang = state.Lang ?? LanguageOf(text) ?? ctx.Lang;
        state = state with { Lang = lang };
        var turn = new Turn(this, state, text ?? "", a, ctx, backend, now, new DialogueTexts(lang, ctx.Zone), ct);
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

    /// <summary>"en" or "ru" when the message is clearly in one script (at least two words of letters), else null.</summary>
    internal static string? LanguageOf(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        int latin = 0, cyrillic = 0;
        foreach (var c in text)
        {
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z') latin++;
            else if (c is >= 'а' and <= 'я' or >= 'А' and <= 'Я' or 'ё' or 'Ё') cyrillic++;
        }
        if (latin + cyrillic < 5) return null;
        return latin >= 4 * cyrillic ? "en" : cyrillic >= 4 * latin ? "ru" : null;
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
            // A person asked for is a person given, whatever else is pending.
            if (HumanRegex().IsMatch(text)) return await HandOverAsync("client asked for a person", t.HandedOver);
            // The contact the receipt needs: with it, do what was waiting for it.
            if (s.Pending == Pending.Contact && (a.Phone is not null || a.Email is not null))
                return s.InvoiceMinor is { } waiting ? await InvoiceAsync(s.BookingId, waiting, s.InvoiceWhat ?? "") : await ConfirmOrDeclineAsync(true, Pending.ConfirmBooking);
            var confident = a.IsConfident && a.Intent != Intent.Other;
            // A счёт for a company («выставьте счёт на ООО …, ИНН …», «нужен счёт для юрлица», "invoice our company"): read by
            // rule (the words are unambiguous), then its details are collected and confirmed before anything is issued.
            var buyer = BuyerExtractor.Extract(text);
            if (BuyerExtractor.AsksForCompanyInvoice(text)
                || (s.Pending is Pending.CompanyDetails or Pending.ConfirmCompanyInvoice && buyer.Any)
                || (s.Pending is Pending.CompanyDetails && (a.ServiceId is not null || a.AmountMinor is not null || a.Email is not null)))
                return await CompanyInvoiceAsync(buyer);
            // A question whether to pay ahead is answered, whatever it was read as (pay, status, info, or unsure).
            if (a.AmountMinor is null && MustIPayRegex().IsMatch(text) && a.Intent is not (Intent.Cancel or Intent.Refund or Intent.Reschedule))
                return await MustIPayAsync();
            // Answers to the pending proposal first: "да" and "нет" mean something only in context. A reply that
            // also changes what was proposed ("давайте лучше в полвосьмого") is a correction, never a yes.
            if (s.Pending is Pending.ConfirmBooking or Pending.ConfirmReschedule or Pending.ConfirmCancel or Pending.ConfirmInvoice or Pending.ConfirmCompanyInvoice)
            {
                var changes = ChangesProposal();
                if (a.Intent is Intent.Confirm or Intent.Decline && !changes) return await ConfirmOrDeclineAsync(a.Intent == Intent.Confirm);
                // "yes thanks", "да, спасибо большое": a plain yes at the start answers the proposal, whatever else follows.
                if (!changes && YesFirstRegex().IsMatch(text)) return await ConfirmOrDeclineAsync(true);
                // A new day or time while a slot is proposed is a correction even when it reads as a question
                // ("can we do 5pm instead?"): it is only proposed again, never booked without a yes.
                var newWhen = a.Date is not null || a.Time is not null;
                if (changes && s.Pending is Pending.ConfirmBooking or Pending.ConfirmReschedule
                    && a.Intent is not (Intent.Cancel or Intent.Refund or Intent.Price) && (newWhen || a.Intent is not (Intent.Info or Intent.Status)))
                    return s.Pending == Pending.ConfirmReschedule ? await RescheduleAsync() : await BookAsync();
                if (confident && a.Intent is Intent.Price or Intent.Info or Intent.Status) return await SideQuestionAsync();
            }
            var givesSlot = a.ServiceId is not null || a.Date is not null || a.Time is not null || a.PartOfDay != PartOfDay.None || a.Candidates.Count > 1 || a.Staff is not null;
            if (s.Pending is Pending.Service or Pending.Date or Pending.Time && givesSlot
                && a.Intent is not (Intent.Cancel or Intent.Refund or Intent.Price or Intent.Pay or Intent.Info or Intent.Status))
                return s.BookingId is not null ? await RescheduleAsync() : await BookAsync();
            // "да" or "нет" to a question keeps what is known and asks again.
            if (s.Pending is Pending.Service or Pending.Date or Pending.Time or Pending.PayWhat && a.Intent is Intent.Confirm or Intent.Decline && !givesSlot && a.AmountMinor is null)
                return Say(AskAgain(), s, "ask again: " + s.Pending.ToString().ToLowerInvariant());
            if (s.Pending == Pending.PayWhat && (a.AmountMinor is not null || a.ServiceId is not null) && a.Intent is not (Intent.Book or Intent.Cancel or Intent.Refund or Intent.Reschedule))
                return await PayAsync();
            if (s.Pending is not Pending.None && confident && a.Intent is Intent.Price or Intent.Info or Intent.Status) return await SideQuestionAsync();

            // Only a new day or time, said loosely ("слушайте, завтра не получится, давайте в субботу в 2") while the
            // client has a booking: a move of that booking, proposed and confirmed like any other.
            if (s.Pending is Pending.None && a.ServiceId is null && a.Candidates.Count <= 1 && (a.Date is not null || a.Time is not null)
                && (!confident || a.Intent is Intent.Decline or Intent.Other || (a.Intent == Intent.Book && GiveUpRegex().IsMatch(text)))
                && await backend.FindOpenBookingAsync(ct) is not null)
                return await RescheduleAsync();
            if (!confident) return await MissAsync();
            return a.Intent switch
            {
                Intent.Greeting when ThanksRegex().IsMatch(text) => Say(t.YouAreWelcome, s with { Pending = Pending.None }, "greeting: thanks"),
                Intent.Greeting => Say(t.Greeting(ctx.MerchantName), s with { Pending = Pending.None }, "greeting"),
                Intent.Book => await BookAsync(),
                Intent.Price => Price(),
                Intent.Pay => await PayAsync(),
                Intent.Status => await StatusAsync(),
                Intent.Info => await InfoAsync(),
                Intent.Reschedule => await RescheduleAsync(),
                Intent.Cancel => await CancelAsync(),
                Intent.Refund => await RefundAsync(),
                // "Ок, давайте оплачу" after a price is a wish to pay, not an answer to anything.
                Intent.Confirm when PayWordRegex().IsMatch(text) => await PayAsync(),
                Intent.Confirm => Say(t.NothingPending, s, "confirm: nothing pending"),
                Intent.Decline => Say(t.Bye, Fresh, "decline: nothing pending"),
                _ => await MissAsync(),
            };
        }

        /// <summary>"а заранее платить надо?", "do I have to pay in advance?": answered from the prepayment rule and the
        /// client's booking; an invoice is only offered when a prepayment is due, and sent after a yes. While a slot is
        /// proposed, its text (which names the prepayment) is repeated and stays open.</summary>
        private async Task<DialogueReply> MustIPayAsync()
        {
            if (s.Pending is Pending.ConfirmBooking or Pending.ConfirmReschedule or Pending.ConfirmInvoice or Pending.ConfirmCancel) return await SideQuestionAsync();
            var booking = await backend.FindOpenBookingAsync(ct);
            if (booking is null) return Say(t.PrepaymentRule(P.Prepayment.Kind == PrepaymentKind.None), s, "answer: prepayment rule");
            var prepay = booking.Due is { } d ? Math.Min(d.Minor, Math.Max(0, P.Prepayment.For(booking.Price.Minor) - booking.PaidMinor)) : 0;
            if (prepay <= 0) return Say(t.NoPrepaymentDue(booking.ServiceName), s, "answer: nothing due before the visit");
            return Say(t.PrepaymentDue(booking.ServiceName, new Money(prepay, booking.Price.Currency)),
                s with { Pending = Pending.ConfirmInvoice, BookingId = booking.Id, InvoiceMinor = prepay, InvoiceWhat = booking.ServiceName }, "propose: prepayment invoice");
        }

        /// <summary>The fresh state after an action: nothing pending, the client's language kept.</summary>
        private DialogueState Fresh => DialogueState.New with { Lang = s.Lang };

        /// <summary>Whether the message names something other than what the pending proposal holds.</summary>
        private bool ChangesProposal()
        {
            var proposed = s.ProposedStart is { } p ? TimeZoneInfo.ConvertTime(p, ctx.Zone) : (DateTimeOffset?)null;
            if (a.Time is { } time && (proposed is null || TimeOnly.FromDateTime(proposed.Value.DateTime) != time)) return true;
            if (a.Date is { } date && (proposed is null || DateOnly.FromDateTime(proposed.Value.DateTime) != date)) return true;
            if (a.ServiceId is { } id && id != s.ServiceId) return true;
            if (a.Staff is { } staff && staff != s.Staff) return true;
            if (a.PartOfDay != PartOfDay.None && a.Time is null && proposed is { } pl && !InPart(TimeOnly.FromDateTime(pl.DateTime), a.PartOfDay)) return true;
            return false;
        }

        private static bool InPart(TimeOnly local, PartOfDay part) => part switch
        {
            PartOfDay.Morning => local < new TimeOnly(12, 0),
            PartOfDay.Afternoon => local >= new TimeOnly(12, 0) && local < new TimeOnly(17, 0),
            PartOfDay.Evening => local >= new TimeOnly(17, 0),
            _ => true,
        };

        /// <summary>The pending question again, with what is already known.</summary>
        private string AskAgain() => s.Pending switch
        {
            Pending.Service => t.AskService(ctx.Catalog.Entries.Take(4)),
            Pending.Date => t.AskDate(Service(s.ServiceId)?.Name ?? ""),
            Pending.Time when s.Date is { } d => t.AskTimeAgain(t.Day(d)),
            Pending.PayWhat => t.PayWhat,
            _ => t.NothingPending,
        };

        /// <summary>A question asked while something is pending: answered, and the pending proposal or question kept.</summary>
        private async Task<DialogueReply> SideQuestionAsync()
        {
            var answer = a.Intent switch
            {
                _ when MustIPayRegex().IsMatch(text) => Say(t.PrepaymentRule(P.Prepayment.Kind == PrepaymentKind.None), s, "answer: prepayment rule"),
                Intent.Price => Price(),
                Intent.Status => await StatusAsync(),
                _ => await InfoAsync(keepPending: true),
            };
            var again = s.Pending switch
            {
                Pending.ConfirmBooking when Service(s.ServiceId) is { } service && s.ProposedStart is { } start =>
                    t.ConfirmBooking(service.Name, start, new Money(service.PriceMinor, service.Currency), P.Prepayment.For(service.PriceMinor), s.Staff),
                Pending.ConfirmReschedule when s.ProposedStart is { } start => t.ConfirmReschedule(Service(s.ServiceId)?.Name ?? "", start),
                Pending.ConfirmInvoice when s.InvoiceMinor is { } amount => t.ConfirmInvoice(s.InvoiceWhat ?? "", new Money(amount, ctx.Catalog.Currency)),
                Pending.ConfirmCancel => t.ConfirmCancelAgain,
                Pending.ConfirmCompanyInvoice when s is { InvoiceMinor: { } sum, BuyerName: { } bn, BuyerInn: { } bi } =>
                    t.ConfirmCompanyInvoice(s.InvoiceWhat ?? "", new Money(sum, ctx.Catalog.Currency), bn, bi, s.BuyerKpp, s.BuyerEmail),
                Pending.None or Pending.Contact => null,
                _ => AskAgain(),
            };
            var texts = again is null ? answer.Texts : [.. answer.Texts, again];
            return Reply(texts, s with { Misses = 0 }, answer.Decision.Action + " (kept " + s.Pending.ToString().ToLowerInvariant() + ")");
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
            var dateChanged = a.Date is not null && a.Date != s.Date;
            var st = s with
            {
                ServiceId = a.ServiceId ?? s.ServiceId,
                Staff = a.Staff ?? s.Staff,
                Date = a.Date ?? s.Date,
                // A new day or a part of day without a time drops the old time; a new time replaces it.
                Time = a.Time ?? (dateChanged || a.PartOfDay != PartOfDay.None ? null : s.Time),
                BookingId = null,
                ProposedStart = null,
            };
            if (a.ServiceId is null && a.Candidates.Count > 1) st = st with { ServiceId = null };
            // Another service named in the middle of a booking by a question or a loose word ("а можно онлайн или только
            // в кабинете?", "онлайн"): the client may be asking or refining, not switching. Ask which one instead of
            // proposing (and later booking) something the client did not clearly choose.
            if (s.ServiceId is { } oldId && a.ServiceId is { } newId && newId != oldId && s.Pending is not Pending.None
                && (text.Contains('?') || a.Intent is not (Intent.Book or Intent.Decline or Intent.Reschedule))
                && Service(oldId) is { } oldService && Service(newId) is { } newService)
                return Say(t.WhichOne([oldService.Name, newService.Name]), st with { ServiceId = null, Pending = Pending.Service }, "ask: which service (switch)");
            // Asked for by staff name only ("к Анне на пятницу"): what that person does.
            if (Service(st.ServiceId) is null && st.Staff is { } onlyStaff && a.Candidates.Count <= 1)
            {
                var theirs = ctx.Catalog.ServicesOf(onlyStaff);
                if (theirs.Count == 1) st = st with { ServiceId = theirs[0].Id };
                else if (theirs.Count > 1) return Say(t.WhichOne(theirs.Take(4).Select(x => x.Name)), st with { Pending = Pending.Service }, "ask: which service of staff");
            }
            if (Service(st.ServiceId) is not { } service)
            {
                if (a.Candidates.Count > 1)
                    return Say(t.WhichOne(a.Candidates.Take(4).Select(c => c.Name)), st with { Pending = Pending.Service }, "ask: which service");
                return Say(t.AskService(ctx.Catalog.Entries.Take(4)), st with { Pending = Pending.Service }, "ask: service");
            }
            var prefix = "";
            if (st.Staff is { } named && !(service.Staff ?? []).Contains(named, StringComparer.OrdinalIgnoreCase) && ctx.Catalog.ServicesOf(named) is { Count: > 0 } namedDoes)
            {
                // The client asked for a person: a candidate of this message that the person does is what was meant;
                // otherwise ask which of that person's services, never book the service without the person silently.
                var ofStaff = a.Candidates.Select(c => namedDoes.FirstOrDefault(x => x.Id == c.ServiceId)).OfType<CatalogEntry>().ToList();
                if (a.ServiceId is not null && ofStaff.Count == 1) { service = ofStaff[0]; st = st with { ServiceId = service.Id }; }
                else
                    return Say(t.StaffDoesNot(named, service.Name, service.Staff ?? []) + " " + t.WhichOne(namedDoes.Take(4).Select(x => x.Name)),
                        st with { ServiceId = null, Pending = Pending.Service }, "ask: which service of staff");
            }
            if (st.Staff is { } staff && !(service.Staff ?? []).Contains(staff, StringComparer.OrdinalIgnoreCase))
            {
                // Never book someone else silently: say who does it, and go on without a named person.
                prefix = t.StaffDoesNot(staff, service.Name, service.Staff ?? []) + " ";
                st = st with { Staff = null };
            }
            // A pass, a package, a product, remote work: sold without a slot.
            if (!service.NeedsSlot) return ProposeInvoice(st, service, prefix);
            if (st.Date is not { } date) return Say(prefix + t.AskDate(service.Name), st with { Pending = Pending.Date }, "ask: date");
            var duration = Duration(service);
            var busy = await backend.BusyAsync(date, st.Staff, ct);
            if (st.Time is { } asked && a.Time is not null && a.TimeIsTwelveHour) st = st with { Time = WithinHours(date, asked, duration) };
            if (st.Time is not { } time || (a.Time is not null && a.TimeRelation != TimeRelation.At))
            {
                var free = SlotFinder.FreeStarts(date, duration, P, busy, now, ctx.Zone).Where(Fits).ToList();
                if (st.Time is not null && free.Count > 0)
                {
                    // "после 18", "к половине пятого": take the best start that honours the bound.
                    var best = a.TimeRelation == TimeRelation.After ? free[0] : free[^1];
                    return ProposeBooking(st with { Time = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(best, ctx.Zone).DateTime) }, service, best, prefix);
                }
                return Say(prefix + t.AskTime(t.Day(date), free.Take(6).ToList()), st with { Time = null, Pending = Pending.Time }, "ask: time");
            }
            var start = SlotFinder.ToInstant(date, time, ctx.Zone);
            var verdict = SlotFinder.Check(start, duration, P, busy, now, ctx.Zone);
            if (verdict == SlotFinder.Verdict.Free) return ProposeBooking(st, service, start, prefix);
            var nearest = await NearestAsync(start, duration, date, busy, st.Staff);
            if (nearest.Count == 0) return await HandOverAsync("no free time within a week", prefix + t.SlotProblem(verdict, nearest, st.Staff) + " " + t.HandedOver);
            return Say(prefix + t.SlotProblem(verdict, nearest, st.Staff), st with { Time = null, Pending = Pending.Time }, $"offer: {verdict.ToString().ToLowerInvariant()}");
        }

        /// <summary>"в 8" read as 08:00 where the merchant opens at 10 and works until 21 is 20:00; a bare hour flips only when only the other reading fits.</summary>
        private TimeOnly WithinHours(DateOnly date, TimeOnly asked, TimeSpan duration)
        {
            if (P.Hours.On(date.DayOfWeek) is not { } hours) return asked;
            bool Open(TimeOnly x) => WeeklyHours.Fits(hours, x, duration);
            if (Open(asked)) return asked;
            var other = asked.AddHours(asked.Hour >= 12 ? -12 : 12);
            return Open(other) ? other : asked;
        }

        private DialogueReply ProposeInvoice(DialogueState st, CatalogEntry service, string prefix = "")
        {
            var price = new Money(service.PriceMinor, service.Currency);
            return Say(prefix + t.ConfirmInvoice(service.Name, price),
                st with { Pending = Pending.ConfirmInvoice, InvoiceMinor = price.Minor, InvoiceWhat = service.Name, Date = null, Time = null }, "propose: invoice");
        }

        /// <summary>Whether a free start honours the client's bound ("после 18", "до 12", "утром").</summary>
        private bool Fits(DateTimeOffset start)
        {
            var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, ctx.Zone).DateTime);
            var part = InPart(local, a.PartOfDay);
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

        private DialogueReply ProposeBooking(DialogueState st, CatalogEntry service, DateTimeOffset start, string prefix = "")
        {
            var price = new Money(service.PriceMinor, service.Currency);
            return Say(prefix + t.ConfirmBooking(service.Name, start, price, P.Prepayment.For(price.Minor), st.Staff),
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
                        return await FailedAsync("booking", booked.Error);
                    }
                    var (_, invoice) = booked.Value;
                    return Say(t.Booked(service.Name, s.ProposedStart.Value, invoice?.Amount, s.Staff), Fresh, "book", invoice);
                }
                case Pending.ConfirmBooking:
                    return Say(t.NotBooked, s with { Pending = Pending.Time, Time = null, ProposedStart = null }, "decline: booking");
                case Pending.ConfirmInvoice when yes && s.InvoiceMinor is { } amount:
                    return await InvoiceAsync(s.BookingId, amount, s.InvoiceWhat ?? "");
                case Pending.ConfirmInvoice:
                    return Say(t.Bye, Fresh, "decline: invoice");
                case Pending.ConfirmCompanyInvoice when yes && s is { InvoiceMinor: { } sum, BuyerName: { } name, BuyerInn: { } inn }:
                {
                    var issued = await backend.CompanyInvoiceAsync(new CompanyBuyer(name, inn, s.BuyerKpp, s.BuyerEmail), sum, s.InvoiceWhat ?? "", ct);
                    if (!issued.IsSuccess) return await FailedAsync("company invoice", issued.Error!);
                    return Say(t.CompanyInvoiceIssued(issued.Value), Fresh, "company invoice", issued.Value.Invoice);
                }
                case Pending.ConfirmCompanyInvoice:
                    return Say(t.Bye, Fresh, "decline: company invoice");
                case Pending.ConfirmReschedule when yes:
                {
                    var moved = await backend.RescheduleAsync(s.BookingId!, s.ProposedStart!.Value, ct);
                    if (!moved.IsSuccess)
                    {
                        if (moved.Error!.Kind == ErrorKind.Conflict) return await RescheduleAsync();
                        return await FailedAsync("reschedule", moved.Error);
                    }
                    return Say(t.Rescheduled(Service(s.ServiceId)?.Name ?? "", s.ProposedStart.Value), Fresh, "reschedule");
                }
                case Pending.ConfirmCancel when yes:
                {
                    var booking = await backend.FindOpenBookingAsync(ct);
                    var refund = s.RefundMinor ?? 0;
                    var cancelled = await backend.CancelAsync(s.BookingId!, refund, ct);
                    if (!cancelled.IsSuccess) return await FailedAsync("cancel", cancelled.Error!);
                    return Say(t.Cancelled(refund, booking?.Price.Currency ?? ctx.Catalog.Currency), Fresh, refund > 0 ? "cancel + refund" : "cancel");
                }
                default:
                    return Say(t.KeepBooking, Fresh, "decline: keep booking");
            }
        }

        /// <summary>A use case refused or failed: say specifically what happened, and pass it on where a person must act.</summary>
        private async Task<DialogueReply> FailedAsync(string what, Error error)
        {
            var reason = what + " failed: " + error.Code;
            return error.Kind switch
            {
                ErrorKind.ProviderUnavailable or ErrorKind.ProviderDeclined => await HandOverAsync(reason, t.PaymentSystemDown),
                ErrorKind.NotFound => await HandOverAsync(reason, t.NotFoundAnyMore(what)),
                ErrorKind.Validation => await HandOverAsync(reason, t.CannotDo(what)),
                _ => await HandOverAsync(reason, t.CannotDo(what)),
            };
        }

        // ---- questions and payments ----

        private DialogueReply Price()
        {
            var ids = a.ServiceId is not null ? [a.ServiceId] : a.Candidates.Select(c => c.ServiceId).ToList();
            if (ids.Count == 0 && s.ServiceId is not null && PriceOfItRegex().IsMatch(text)) ids = [s.ServiceId];
            var entries = ids.Count > 0 ? ctx.Catalog.Entries.Where(x => ids.Contains(x.Id)).ToList() : ctx.Catalog.Entries.Take(8).ToList();
            var text2 = (ids.Count > 0 ? "" : t.PricesIntro + "\n") + t.Prices(entries, ctx.Catalog.Currency);
            // The service priced is remembered, so "ок, давайте оплачу" or "запишите" next knows what it is about.
            var known = a.ServiceId ?? (ids.Count == 1 ? ids[0] : s.ServiceId);
            var keep = s.Pending is Pending.None or Pending.PayWhat ? s with { Pending = Pending.None } : s;
            return Say(text2, keep with { ServiceId = s.Pending is Pending.None or Pending.PayWhat ? known : s.ServiceId }, "answer: price");
        }

        private async Task<DialogueReply> StatusAsync()
        {
            var booking = await backend.FindOpenBookingAsync(ct);
            var last = await backend.LastPaymentAsync(ct);
            return Say(t.Status(booking, last), s, "answer: status");
        }

        private async Task<DialogueReply> InfoAsync(bool keepPending = false)
        {
            var service = Service(a.ServiceId) ?? Service(s.ServiceId);
            if (service is not null && DurationQuestionRegex().IsMatch(text)) return Say(t.Duration(service), s, "answer: duration");
            if (StaffQuestionRegex().IsMatch(text) && service?.Staff is { Count: > 0 } staff) return Say(t.StaffOf(service.Name, staff), s, "answer: staff");
            if (HoursQuestionRegex().IsMatch(text)) return Say(t.Hours(P.Hours), s, "answer: hours");
            // Anything else the catalog cannot answer goes to a person; an open proposal is kept for the client.
            if (keepPending) return Say(t.ManagerWillAnswer, s, "answer: to manager");
            return await HandOverAsync("question the assistant cannot answer", t.HandedOver);
        }

        private async Task<DialogueReply> PayAsync()
        {
            // "проверьте оплату", "деньги дошли?", "can you see my payment": a question about a payment, never a new invoice.
            if (DidIPayRegex().IsMatch(text) || PaymentSeenRegex().IsMatch(text)) return await StatusAsync();
            var booking = await backend.FindOpenBookingAsync(ct);

            if (a.AmountMinor is { } amount)
            {
                if (amount <= 0 || amount > P.MaxPaymentMinor)
                    return Say(t.PayLimits(new Money(P.MaxPaymentMinor, ctx.Catalog.Currency)), s with { Pending = Pending.PayWhat }, "refuse: amount out of limits");
                var what = booking?.ServiceName ?? Service(a.ServiceId)?.Name ?? t.T["оплата", "lc"];
                return await InvoiceAsync(booking?.Id, amount, what);
            }
            if (booking is { Due: { } due } && due.Minor > 0)
            {
                if (booking.PayUrl is { } url)
                    return Say(t.InvoiceFor(booking.ServiceName, due), Fresh, "invoice: existing link", new Invoice("", url, due, booking.ServiceName));
                return await InvoiceAsync(booking.Id, due.Minor, booking.ServiceName);
            }
            // The client names what they pay for (after a visit, or a product): that is what they asked for.
            if (Service(a.ServiceId) is { } named) return await InvoiceAsync(null, named.PriceMinor, named.Name);
            // "Ок, давайте оплачу" right after a price: the service just priced. One that takes a slot is paid
            // through its booking, so the time is chosen first.
            if (s.Pending is Pending.None && Service(s.ServiceId) is { } priced)
                return priced.NeedsSlot ? await BookAsync() : await InvoiceAsync(null, priced.PriceMinor, priced.Name);
            // An invoice the manager (or the CRM) sent and the client has not paid yet: show it again.
            if (await backend.LastPaymentAsync(ct) is { Status: "open", PayUrl: { } openUrl } open)
                return Say(t.InvoiceFor(open.Description ?? "", open.Amount), Fresh, "invoice: open link",
                    new Invoice(open.LinkId ?? "", openUrl, open.Amount, open.Description ?? ""));
            return Say(t.PayWhat, s with { Pending = Pending.PayWhat }, "ask: pay for what");
        }

        /// <summary>
        /// Collects what a счёт for a company needs — the ИНН (check digits verified: a wrong one gets a specific answer), the
        /// name as written, an optional КПП and e-mail, and what it is for and its amount (named now, priced earlier in the
        /// conversation, or the open booking's due sum) — asking for one missing thing at a time, then proposes exactly what
        /// will be issued. Nothing is issued before the client's yes.
        /// </summary>
        private async Task<DialogueReply> CompanyInvoiceAsync(BuyerDetails buyer)
        {
            var inn = buyer.Inn ?? s.BuyerInn;
            var name = buyer.Name ?? s.BuyerName;
            var kpp = buyer.Kpp ?? s.BuyerKpp;
            var email = buyer.Email ?? a.Email ?? s.BuyerEmail;
            var (amount, what) = (s.InvoiceMinor, s.InvoiceWhat);
            if (Service(a.ServiceId) is { } named) (amount, what) = (a.AmountMinor ?? named.PriceMinor, named.Name);
            else if (a.AmountMinor is { } given) (amount, what) = (given, what ?? t.T["Услуги"]);
            else if (amount is null && Service(s.ServiceId) is { } priced) (amount, what) = (priced.PriceMinor, priced.Name);
            else if (amount is null && await backend.FindOpenBookingAsync(ct) is { Due: { Minor: > 0 } due } booking) (amount, what) = (due.Minor, booking.ServiceName);
            var st = s with
            {
                Pending = Pending.CompanyDetails, BuyerName = name, BuyerInn = inn, BuyerKpp = inn?.Length == 12 ? null : kpp, BuyerEmail = email,
                InvoiceMinor = amount, InvoiceWhat = what, BookingId = null, ProposedStart = null,
            };
            if (inn is not null && !RequisiteChecks.IsValidInn(inn)) return Say(t.WrongInn(inn), st with { BuyerInn = null }, "company invoice: wrong inn");
            if (inn is null) return Say(t.AskCompanyInn, st, "ask: company inn");
            if (name is null) return Say(t.AskCompanyName, st, "ask: company name");
            if (amount is null) return Say(t.AskCompanyInvoiceWhat(ctx.Catalog.Entries.Take(4)), st, "ask: company invoice what");
            if (amount <= 0 || amount > P.MaxPaymentMinor)
                return Say(t.PayLimits(new Money(P.MaxPaymentMinor, ctx.Catalog.Currency)), st with { InvoiceMinor = null }, "refuse: company invoice amount out of limits");
            return Say(t.ConfirmCompanyInvoice(what ?? "", new Money(amount.Value, ctx.Catalog.Currency), name, inn, st.BuyerKpp, email),
                st with { Pending = Pending.ConfirmCompanyInvoice }, "propose: company invoice");
        }

        private async Task<DialogueReply> InvoiceAsync(string? bookingId, long amount, string what)
        {
            var invoice = await backend.InvoiceAsync(bookingId, amount, what, ct);
            if (!invoice.IsSuccess && NeedsContact(invoice.Error!))
                return Say(t.AskContact, s with { Pending = Pending.Contact, BookingId = bookingId, InvoiceMinor = amount, InvoiceWhat = what }, "ask: contact");
            if (!invoice.IsSuccess) return await FailedAsync("invoice", invoice.Error!);
            return Say(t.InvoiceFor(what, invoice.Value.Amount), Fresh, "invoice", invoice.Value);
        }

        // ---- changing a booking ----

        private async Task<DialogueReply> RescheduleAsync()
        {
            var booking = await backend.FindOpenBookingAsync(ct);
            if (booking is null) return Say(t.NoBooking, Fresh, "reschedule: no booking");
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
            if (booking is null) return Say(t.NoBooking, Fresh, "cancel: no booking");
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

    [GeneratedRegex(@"(позов|позвать|соедин|переключ|дайте|нужен|хочу|можно)\w*\s+(с\s+)?(администратор|менеджер|человек|оператор|живо)|поговорить с (человеком|администратором|менеджером|живым)|живой человек|\b(talk|speak) to (a )?(human|person|manager|someone)|\breal person\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HumanRegex();

    [GeneratedRegex(@"длит|по времени|сколько времени|долго|продолжительн|how long|duration|take\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationQuestionRegex();

    [GeneratedRegex(@"мастер|кто (делает|работает|принимает)|к кому|врач|тренер|who (does|is)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StaffQuestionRegex();

    [GeneratedRegex(@"до скольки|часы работы|график|работаете|во сколько (вы )?(открыва|закрыва)|opening hours|open on|do you work|are you open", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HoursQuestionRegex();

    [GeneratedRegex(@"\b(это|она|он|оно|it|that)\b|сколько\s*\??\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PriceOfItRegex();

    [GeneratedRegex(@"оплач|оплат|заплач|заплат|\bpay\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PayWordRegex();

    [GeneratedRegex(@"^\W*(да|ага|угу|конечно|давайте|подходит|хорошо|ок|окей|yes|yep|yeah|sure|ok|okay|perfect|great)\b(?!\s*,?\s*(но|but|only|только|лучше|instead)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex YesFirstRegex();

    [GeneratedRegex(@"(провер|видите|видно|дошл|дошёл|пришл|пришёл|поступил|получили|зачислил|ушл)\w*[^.!?]{0,30}(оплат|деньг|плат[её]ж|перевод|предоплат)|(оплат|деньг|плат[её]ж|перевод|предоплат)\w*[^.!?]{0,30}(видите|видно|дошл|дошёл|пришл|пришёл|поступил|получили|зачислил)|\b(check|see|receive[d]?|got|get)\b[^.!?]{0,30}\b(payment|money|transfer)\b|\b(payment|money|transfer)\b[^.!?]{0,30}\b(arrive[d]?|received|come through|came through|go through|went through|show up)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PaymentSeenRegex();

    [GeneratedRegex(@"(надо|нужно|обязательно|необходимо|требуется|должн)\w*[^.!?]{0,25}(пла[тч]|предопла[тч])|(пла[тч]|предопла[тч])\w*[^.!?]{0,25}(надо|нужно|обязательно|необходимо|требуется)|\b(do|must|should)\s+i\s+(need\s+to\s+|have\s+to\s+)?(pre)?pay\b|\b(is|do you (need|require)|need) (a )?(pre)?payment\b|(pre)?payment (required|needed|necessary)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MustIPayRegex();

    [GeneratedRegex(@"не\s+(получится|получается|смогу|могу|выйдет|успею|успеваю)|никак\b|\b(can'?t|cannot|won'?t)\s+(make|come|do)\b|\b(does|is)\s*n[o']t\s+(work|suit)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GiveUpRegex();

    [GeneratedRegex(@"спасиб|благодар|thank", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ThanksRegex();

    [GeneratedRegex(@"(оплатил[аи]?\s*\?|оплата\s+прошла|прошла\s+ли\s+оплата|оплачено\s*\?|did\s+i\s+pay|have\s+i\s+paid|payment\s+(go\s+through|went\s+through))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DidIPayRegex();
}
