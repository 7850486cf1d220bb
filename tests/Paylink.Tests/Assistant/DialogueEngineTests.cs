using Microsoft.Extensions.Time.Testing;
using Paylink.Assistant;
using Paylink.Assistant.Dialogue;
using Paylink.Core.Assistance;
using Paylink.Core.Common;

namespace Paylink.Tests.Assistant;

/// <summary>
/// The dialogue over the real analyzer and salon catalog, with an in-memory backend that records what the
/// assistant asked it to do. Now is Wednesday 2026-11-18 10:00 Moscow.
/// </summary>
public sealed class DialogueEngineTests
{
    private static readonly DialogueContext Ctx = new(AssistantTestData.Catalog("salon"), AssistantTestData.Moscow, "Салон «Ромашка»");
    private static readonly DialoguePolicy Policy = DialoguePolicy.Default with { Prepayment = new PrepaymentRule(PrepaymentKind.Percent, 30) };

    private readonly DialogueDriver _chat = new(Ctx, Policy);
    private RecordingDialogueBackend _backend => _chat.Backend;

    private Task<DialogueReply> Say(string text, DialoguePolicy? policy = null) => _chat.SayAsync(text, policy);

    private static DateTimeOffset Msk(int day, int hour, int minute = 0) => DialogueDriver.Msk(day, hour, minute);

    private OpenBooking FridayManicure(long paid) =>
        new("bkg_9", "manicure", "Маникюр", Msk(20, 15), new Money(180000, "RUB"), paid, paid == 0 ? "http://pay/p/old" : null, paid == 0 ? new Money(54000, "RUB") : null);

    [Fact]
    public async Task Book_FullRequest_ProposesThenBooksWithPrepaymentInvoice()
    {
        var r = await Say("хочу записаться на маникюр в пятницу в 15:00");
        Assert.Equal(Pending.ConfirmBooking, r.State.Pending);
        Assert.Equal("Записываю: Маникюр, пт 20 ноября в 15:00, 1\u00A0800\u00A0₽. Предоплата 540\u00A0₽. Подтверждаете?", Assert.Single(r.Texts));
        Assert.Empty(_backend.Calls);

        r = await Say("да");
        Assert.Equal($"book manicure {Msk(20, 15).ToUniversalTime():O} 54000", Assert.Single(_backend.Calls));
        Assert.NotNull(r.Invoice);
        Assert.Equal(54000, r.Invoice!.Amount.Minor);
        Assert.Contains("внесите предоплату 540", r.Texts[0]);
        Assert.Equal(Pending.None, r.State.Pending);
        Assert.Equal("book", r.Decision.Action);
    }

    [Fact]
    public async Task Book_TakenSlot_OffersNearestFreeTimes()
    {
        _backend.Busy.Add(new BusyInterval(Msk(20, 15).ToUniversalTime(), Msk(20, 16).ToUniversalTime()));
        var r = await Say("хочу записаться на маникюр в пятницу в 15:00");
        Assert.Equal(Pending.Time, r.State.Pending);
        Assert.StartsWith("Это время занято. Ближайшее свободное:", r.Texts[0]);
        Assert.Contains("в 14:00", r.Texts[0]);
        Assert.Contains("в 16:00", r.Texts[0]);
        r = await Say("давайте в 16:00");
        Assert.Equal(Pending.ConfirmBooking, r.State.Pending);
        Assert.Equal(Msk(20, 16), r.State.ProposedStart);
    }

    [Fact]
    public async Task Book_MissingPieces_AskedOneAtATime()
    {
        var r = await Say("хочу записаться на завтра");
        Assert.Equal(Pending.Service, r.State.Pending);
        r = await Say("маникюр");
        Assert.Equal(Pending.Time, r.State.Pending);
        Assert.StartsWith("На 19 ноября свободно: 10:00, 10:30", r.Texts[0]);
        r = await Say("в 12");
        Assert.Equal(Pending.ConfirmBooking, r.State.Pending);
        Assert.Equal(Msk(19, 12), r.State.ProposedStart);
    }

    [Fact]
    public async Task Book_ClosedDay_SaysSoAndOffersOpenTimes()
    {
        var closedSunday = Policy with { Hours = WeeklyHours.Parse("mon-sat 10:00-20:00").Value };
        var r = await Say("запишите на маникюр в воскресенье в 12:00", closedSunday);
        Assert.StartsWith("В это время мы не работаем.", r.Texts[0]);
        Assert.Contains("пн 23 ноября в 10:00", r.Texts[0]);
    }

    [Fact]
    public async Task Book_SlotTakenBetweenOfferAndYes_OffersAgain()
    {
        await Say("хочу записаться на маникюр в пятницу в 15:00");
        _backend.BookError = Error.Conflict("slot_taken", "taken");
        var r = await Say("да");
        Assert.StartsWith("Это время занято.", r.Texts[0]);
        Assert.Null(r.Invoice);
    }

    [Fact]
    public async Task Decline_ProposedBooking_BooksNothing()
    {
        await Say("хочу записаться на маникюр в пятницу в 15:00");
        var r = await Say("нет");
        Assert.Empty(_backend.Calls);
        Assert.Equal("Хорошо, не записываю. Подобрать другое время?", r.Texts[0]);
    }

    [Fact]
    public async Task Price_AnswersFromTheCatalog()
    {
        var r = await Say("сколько стоит маникюр?");
        Assert.Contains("Маникюр — 1\u00A0800\u00A0₽", r.Texts[0]);
        Assert.Equal("answer: price", r.Decision.Action);
    }

    [Fact]
    public async Task Pay_OpenBooking_SendsItsExistingLink()
    {
        _backend.Open = FridayManicure(paid: 0);
        var r = await Say("как оплатить?");
        Assert.Equal("http://pay/p/old", r.Invoice?.Url);
        Assert.Empty(_backend.Calls);
    }

    [Fact]
    public async Task Pay_ExplicitAmount_InvoicesItWithinLimits()
    {
        var r = await Say("хочу оплатить 2500");
        Assert.Equal("invoice - 250000 оплата", Assert.Single(_backend.Calls));
        Assert.Equal(250000, r.Invoice!.Amount.Minor);
        r = await Say("хочу оплатить 500000 рублей", Policy with { MaxPaymentMinor = 10_000_00 });
        Assert.Single(_backend.Calls);
        Assert.StartsWith("Могу выставить счёт на сумму от 1 до 10\u00A0000", r.Texts[0]);
    }

    [Fact]
    public async Task Pay_NothingToPayFor_AsksWhat_ThenInvoicesTheService()
    {
        var r = await Say("хочу оплатить");
        Assert.Equal(Pending.PayWhat, r.State.Pending);
        r = await Say("маникюр");
        Assert.Equal("invoice - 180000 Маникюр", Assert.Single(_backend.Calls));
    }

    [Fact]
    public async Task Pay_ReceiptNeedsAContact_AsksForIt_ThenInvoices()
    {
        _backend.NeedsContact = true;
        var r = await Say("хочу оплатить маникюр");
        Assert.Equal(Pending.Contact, r.State.Pending);
        Assert.Null(r.Invoice);
        _backend.NeedsContact = false;
        r = await Say("вот почта anna@example.com");
        Assert.Equal("http://pay/p/def", r.Invoice!.Url);
        Assert.Equal(["invoice - 180000 Маникюр", "invoice - 180000 Маникюр"], _backend.Calls);
    }

    [Fact]
    public async Task Pay_OpenLinkFromTheManager_ShownAgain()
    {
        _backend.Last = new LastPayment("open", new Money(300000, "RUB"), null, "lnk_1", "https://pay.example/p/abc", "Курс массажа");
        var r = await Say("как оплатить?");
        Assert.Equal("https://pay.example/p/abc", r.Invoice!.Url);
        Assert.Equal("lnk_1", r.Invoice.LinkId);
        Assert.Empty(_backend.Calls);   // no new link
        Assert.Contains("Курс массажа", r.Texts[0]);
    }

    [Fact]
    public async Task Cancel_EarlyEnough_RefundsPrepaymentInFull()
    {
        _backend.Open = FridayManicure(paid: 54000);
        var r = await Say("хочу отменить запись");
        Assert.Contains("Предоплату 540\u00A0₽ вернём полностью.", r.Texts[0]);
        r = await Say("да");
        Assert.Equal("cancel bkg_9 54000", Assert.Single(_backend.Calls));
        Assert.Contains("вернутся на карту", r.Texts[0]);
    }

    [Fact]
    public async Task Cancel_Late_KeepsDeposit()
    {
        _backend.Open = FridayManicure(paid: 54000) with { Start = Msk(18, 20) };
        var r = await Say("отмените запись пожалуйста");
        Assert.Contains("меньше 24 ч", r.Texts[0]);
        await Say("да");
        Assert.Equal("cancel bkg_9 0", Assert.Single(_backend.Calls));
    }

    [Fact]
    public async Task Reschedule_ToAFreeTime_AfterConfirmation()
    {
        _backend.Open = FridayManicure(paid: 54000);
        var r = await Say("можно перенести запись на субботу в 12:00?");
        Assert.Equal(Pending.ConfirmReschedule, r.State.Pending);
        Assert.Equal("Переношу Маникюр на сб 21 ноября в 12:00. Подтверждаете?", r.Texts[0]);
        await Say("да");
        Assert.Equal($"reschedule bkg_9 {Msk(21, 12).ToUniversalTime():O}", Assert.Single(_backend.Calls));
    }

    [Fact]
    public async Task NotUnderstoodTwice_HandsOver_ThenStaysQuiet()
    {
        var r = await Say("мне бы это самое");
        Assert.Equal(1, r.State.Misses);
        r = await Say("мне бы это самое");
        Assert.True(r.State.HandedOver);
        Assert.Equal("handover not understood twice", Assert.Single(_backend.Calls));
        r = await Say("хочу записаться на маникюр");
        Assert.Empty(r.Texts);
    }

    [Fact]
    public async Task Refund_WithoutBooking_GoesToTheManager()
    {
        var r = await Say("верните деньги");
        Assert.True(r.State.HandedOver);
        Assert.Equal("handover refund requested", Assert.Single(_backend.Calls));
    }

    [Fact]
    public async Task DidIPay_AnswersTheLinkStatus()
    {
        _backend.Last = new LastPayment("paid", new Money(54000, "RUB"), Msk(18, 9).ToUniversalTime());
        var r = await Say("я оплатила?");
        Assert.StartsWith("Да, оплата 540\u00A0₽ прошла", r.Texts[0]);
    }

    [Fact]
    public async Task Greeting_SaysWhatItCanDo()
    {
        var r = await Say("здравствуйте");
        Assert.StartsWith("Здравствуйте! Это Салон «Ромашка».", r.Texts[0]);
        Assert.StartsWith("Пожалуйста!", (await Say("спасибо большое")).Texts[0]);
        Assert.Equal("other", (await Say("фывапролд жэ")).Decision.Intent.ToString().ToLowerInvariant());
    }

    [Fact]
    public void Prepayment_Rules()
    {
        Assert.Equal(0, new PrepaymentRule().For(180000));
        Assert.Equal(50000, new PrepaymentRule(PrepaymentKind.Fixed, 50000).For(180000));
        Assert.Equal(30000, new PrepaymentRule(PrepaymentKind.Fixed, 50000).For(30000));
        Assert.Equal(54000, new PrepaymentRule(PrepaymentKind.Percent, 30).For(180000));
        Assert.Equal(180000, new PrepaymentRule(PrepaymentKind.Full).For(180000));
    }

    [Fact]
    public void WeeklyHours_ParseAndErrors()
    {
        var h = WeeklyHours.Parse("mon-fri 10:00-20:00; sat 11:00-16:00").Value;
        Assert.Equal((new TimeOnly(11, 0), new TimeOnly(16, 0)), h.On(DayOfWeek.Saturday));
        Assert.Null(h.On(DayOfWeek.Sunday));
        Assert.False(WeeklyHours.Parse("mon 20:00-10:00").IsSuccess);
        Assert.False(WeeklyHours.Parse("funday 10:00-12:00").IsSuccess);
    }

    [Theory]
    [InlineData("mon-sun 12:00-00:00")]
    [InlineData("mon-sun 12:00-24:00")]
    public void WeeklyHours_UntilMidnight_SlotsMayEndAtMidnightButNotPastIt(string text)
    {
        var hours = WeeklyHours.Parse(text).Value.On(DayOfWeek.Friday)!.Value;
        Assert.Equal("24:00", WeeklyHours.FormatClose(hours.Close));
        Assert.True(WeeklyHours.Fits(hours, new TimeOnly(22, 0), TimeSpan.FromHours(2)));
        Assert.False(WeeklyHours.Fits(hours, new TimeOnly(22, 30), TimeSpan.FromHours(2)));
        Assert.False(WeeklyHours.Fits(hours, new TimeOnly(11, 30), TimeSpan.FromHours(1)));

        var late = Policy with { Hours = WeeklyHours.Parse(text).Value };
        var starts = SlotFinder.FreeStarts(new DateOnly(2026, 11, 20), TimeSpan.FromHours(2), late, [], Msk(18, 10), AssistantTestData.Moscow).ToList();
        Assert.Equal(Msk(20, 12), starts[0]);
        Assert.Equal(Msk(20, 22), starts[^1]);
        Assert.Equal(SlotFinder.Verdict.Free, SlotFinder.Check(Msk(20, 22), TimeSpan.FromHours(2), late, [], Msk(18, 10), AssistantTestData.Moscow));
        Assert.Equal(SlotFinder.Verdict.Closed, SlotFinder.Check(Msk(20, 23), TimeSpan.FromHours(2), late, [], Msk(18, 10), AssistantTestData.Moscow));
    }
}
