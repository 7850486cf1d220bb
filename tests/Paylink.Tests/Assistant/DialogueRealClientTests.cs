using Microsoft.Extensions.Time.Testing;
using Paylink.Assistant;
using Paylink.Assistant.Dialogue;
using Paylink.Core.Assistance;
using Paylink.Core.Catalog;
using Paylink.Core.Common;

namespace Paylink.Tests.Assistant;

/// <summary>
/// The failures outsiders saw (issue 17), each as a conversation: a catalog the assistant was not built on,
/// with modifiers, staff and a service without a duration. Now is Wednesday 2026-11-18 10:00 Moscow.
/// </summary>
public sealed class DialogueRealClientTests
{
    private static readonly CatalogSnapshot Studio = CatalogSnapshot.Create(
    [
        new CatalogEntry("mani-plain", "Маникюр без покрытия", 150000, "RUB", null, 60, ["Анна", "Ольга"]),
        new CatalogEntry("mani-gel", "Маникюр с покрытием", 250000, "RUB", null, 90, ["Анна"]),
        new CatalogEntry("color", "Окрашивание волос", 500000, "RUB", null, 180, ["Ольга"]),
        new CatalogEntry("pt", "Персональная тренировка", 300000, "RUB", null, 60),
        new CatalogEntry("pass", "Абонемент на 8 тренировок", 2000000, "RUB"),
        new CatalogEntry("contract", "Проверка договора", 700000, "RUB"),
    ]);

    private static readonly DialogueContext Ctx = new(Studio, AssistantTestData.Moscow, "Студия «Лён»");
    private static readonly DialoguePolicy Policy = DialoguePolicy.Default with { Prepayment = new PrepaymentRule(PrepaymentKind.Percent, 30) };

    private readonly DialogueDriver _chat = new(Ctx, Policy);
    private RecordingDialogueBackend _backend => _chat.Backend;

    private Task<DialogueReply> Say(string text, DialoguePolicy? policy = null) => _chat.SayAsync(text, policy);

    private static DateTimeOffset Msk(int day, int hour, int minute = 0) => DialogueDriver.Msk(day, hour, minute);

    [Theory]
    [InlineData("хочу на маникюр с покрытием", "mani-gel")]
    [InlineData("маникюр без покрытия пожалуйста", "mani-plain")]
    [InlineData("ноготочки с покрытием", "mani-gel")]
    [InlineData("хочу записаться на окрашивание", "color")]
    [InlineData("i want personal training", "pt")]
    [InlineData("I need my contract reviewed", "contract")]
    public void Matcher_UnseenCatalog_FindsTheService(string text, string id) =>
        Assert.Equal(id, AssistantTestData.Analyzer.Analyze(text, Studio, AssistantTestData.Now, AssistantTestData.Moscow).ServiceId);

    [Fact]
    public void Matcher_HeadWordSharedByModifiedNames_IsAmbiguous()
    {
        var a = AssistantTestData.Analyzer.Analyze("хочу маникюрчик", Studio, AssistantTestData.Now, AssistantTestData.Moscow);
        Assert.Null(a.ServiceId);
        Assert.Equal(["mani-gel", "mani-plain"], a.Candidates.Select(c => c.ServiceId).Order());
    }

    [Theory]
    [InlineData("к Анне можно?", "Анна")]
    [InlineData("хочу к Анечке", "Анна")]
    [InlineData("у Ольги есть время?", "Ольга")]
    [InlineData("with Anna please", "Анна")]
    [InlineData("хочу к Оле", "Ольга")]
    public void Matcher_StaffByAnyForm(string text, string staff) =>
        Assert.Equal(staff, AssistantTestData.Analyzer.Analyze(text, Studio, AssistantTestData.Now, AssistantTestData.Moscow).Staff);

    [Fact]
    public async Task Modifier_WithCoating_BooksTheCoatedOne()
    {
        await Say("Хочу записаться на маникюр с покрытием в пятницу в 15:00");
        var r = await Say("да");
        Assert.StartsWith("book mani-gel ", Assert.Single(_backend.Calls));
        Assert.NotNull(r.Invoice);
    }

    [Fact]
    public async Task Correction_OfTheProposedTime_ReplacesIt_AndIsNotAYes()
    {
        var r = await Say("окрашивание в пятницу в 12:00");
        Assert.Equal(Pending.ConfirmBooking, r.State.Pending);
        r = await Say("давайте лучше в полвосьмого");
        Assert.Empty(_backend.Calls);
        Assert.Equal(Pending.Time, r.State.Pending); // 19:30 + 3 h is past closing at 20:00: the nearest times are offered
        r = await Say("давайте лучше в 4");
        Assert.Equal(Msk(20, 16), r.State.ProposedStart);
        Assert.Empty(_backend.Calls);
        await Say("да");
        Assert.Equal($"book color {Msk(20, 16).ToUniversalTime():O} 150000", Assert.Single(_backend.Calls));
    }

    [Fact]
    public async Task BookAfterAPaymentQuestion_IsABooking_NotAnInvoice()
    {
        await Say("а можно оплатить картой?");
        var r = await Say("хочу на маникюр без покрытия завтра в 5 вечера");
        Assert.Equal(Pending.ConfirmBooking, r.State.Pending);
        Assert.Equal(Msk(19, 17), r.State.ProposedStart);
        Assert.Empty(_backend.Calls);
    }

    [Fact]
    public async Task PaymentStatus_InOtherWordings_AnswersFromTheBooking_NeverInvoices()
    {
        _backend.Open = new OpenBooking("bkg_1", "mani-gel", "Маникюр с покрытием", Msk(20, 15), new Money(250000, "RUB"), 75000, null, new Money(175000, "RUB"));
        _backend.Last = new LastPayment("paid", new Money(75000, "RUB"), Msk(18, 9).ToUniversalTime());
        foreach (var text in new[] { "Оплату видите? Я только что оплатил", "деньги дошли?", "моя запись в силе?" })
        {
            var r = await Say(text);
            Assert.Null(r.Invoice);
            Assert.Contains("подтверждена", r.Texts[0]);
        }
        Assert.Empty(_backend.Calls);
    }

    [Fact]
    public async Task DurationQuestion_IsAnswered_NotTurnedIntoABooking()
    {
        await Say("окрашивание в пятницу в 12:00");
        var r = await Say("сколько по времени длится окрашивание?");
        Assert.Contains("3 ч", r.Texts[0]);
        Assert.Equal(Pending.ConfirmBooking, r.State.Pending); // the proposal survives the side question
        Assert.Contains("Подтверждаете?", r.Texts[^1]);
        await Say("да");
        Assert.StartsWith("book color ", Assert.Single(_backend.Calls));
    }

    [Fact]
    public async Task OkLetMePay_AfterAPrice_InvoicesThatService()
    {
        var r = await Say("сколько стоит абонемент?");
        Assert.Contains("20\u00A0000", r.Texts[0]);
        r = await Say("Ок, давайте оплачу");
        Assert.Equal("invoice - 2000000 Абонемент на 8 тренировок", Assert.Single(_backend.Calls));
        Assert.NotNull(r.Invoice);
    }

    [Fact]
    public async Task ServiceWithoutDuration_IsInvoicedAfterConfirmation_WithoutASlot()
    {
        var r = await Say("хочу абонемент на завтра");
        Assert.Equal(Pending.ConfirmInvoice, r.State.Pending);
        Assert.Empty(_backend.Calls);
        r = await Say("да");
        Assert.Equal("invoice - 2000000 Абонемент на 8 тренировок", Assert.Single(_backend.Calls));
        Assert.NotNull(r.Invoice);
    }

    [Fact]
    public async Task Staff_IsBooked_AndTheirOwnScheduleIsChecked()
    {
        _backend.StaffBusy["Анна"] = [new BusyInterval(Msk(20, 15), Msk(20, 16, 30))];
        var r = await Say("хочу к Анне на маникюр с покрытием в пятницу в 15:00");
        Assert.StartsWith("У мастера Анна это время занято.", r.Texts[0]);
        r = await Say("давайте в 17:00");
        Assert.Contains("к мастеру Анна", r.Texts[0]);
        await Say("да");
        Assert.Equal($"book mani-gel {Msk(20, 17).ToUniversalTime():O} 75000 Анна", Assert.Single(_backend.Calls));
    }

    [Fact]
    public async Task Staff_WhoDoesNotDoTheService_IsSaid_NotSilentlyDropped()
    {
        var r = await Say("окрашивание к Анне в пятницу в 12:00");
        Assert.StartsWith("Анна не делает «Окрашивание волос», эту услугу делает Ольга.", r.Texts[0]);
        // The client asked for a person: the assistant asks which of her services, keeping her, and books nothing.
        Assert.Contains("Уточните, пожалуйста:", r.Texts[0]);
        Assert.Equal("Анна", r.State.Staff);
        Assert.Null(r.State.ServiceId);
        Assert.Empty(_backend.Calls);
    }

    [Fact]
    public async Task EnglishClient_IsAnsweredInEnglish_ForTheWholeConversation()
    {
        var r = await Say("hi, can I book personal training on friday at 3pm?");
        Assert.StartsWith("Booking Персональная тренировка on Fri", r.Texts[0]);
        r = await Say("да");
        Assert.StartsWith("Done, you are booked", r.Texts[0]);
    }

    [Fact]
    public async Task AskingForAPerson_HandsOver()
    {
        var r = await Say("позовите администратора пожалуйста");
        Assert.True(r.State.HandedOver);
    }

    [Fact]
    public async Task YesToAClarifyingQuestion_KeepsWhatIsKnown()
    {
        var r = await Say("хочу маникюр в пятницу");
        Assert.Equal(Pending.Service, r.State.Pending);
        r = await Say("да");
        Assert.Equal(Pending.Service, r.State.Pending);
        Assert.Equal(new DateOnly(2026, 11, 20), r.State.Date);
        r = await Say("с покрытием");
        Assert.Equal("mani-gel", r.State.ServiceId);
        Assert.Equal(new DateOnly(2026, 11, 20), r.State.Date);
    }

    [Fact]
    public async Task BookingFailure_GetsASpecificReply()
    {
        _backend.BookError = Error.Unavailable("gateway down");
        await Say("маникюр без покрытия в пятницу в 15:00");
        var r = await Say("да");
        Assert.Equal("Платёжная система сейчас не отвечает. Я передал это администратору, он пришлёт ссылку здесь.", r.Texts[0]);
    }

    // ---- corrections and payment questions read as questions (mechanisms, phrased anew) ----

    [Fact]
    public async Task Correction_PhrasedAsAQuestion_IsProposedAgain_NeverBookedOnTheOldTime()
    {
        await Say("book a personal training on friday at 11am");
        var r = await Say("hmm could it be at 4pm instead?");
        Assert.Empty(_backend.Calls);
        Assert.Equal(Pending.ConfirmBooking, r.State.Pending);
        Assert.Equal(Msk(20, 16), r.State.ProposedStart);
        await Say("yes");
        Assert.Equal($"book pt {Msk(20, 16).ToUniversalTime():O} 90000", Assert.Single(_backend.Calls));
    }

    [Theory]
    [InlineData("да, спасибо большое")]
    [InlineData("yes thank you so much")]
    [InlineData("ок, благодарю")]
    public async Task YesFollowedByThanks_ConfirmsTheProposal(string reply)
    {
        await Say("персональная тренировка в пятницу в 11");
        await Say(reply);
        Assert.StartsWith("book pt ", Assert.Single(_backend.Calls));
    }

    [Fact]
    public async Task YesButLater_IsNotAYes()
    {
        await Say("персональная тренировка в пятницу в 11");
        var r = await Say("да, но лучше в 14");
        Assert.Empty(_backend.Calls);
        Assert.Equal(Msk(20, 14), r.State.ProposedStart);
    }

    [Fact]
    public async Task NewDaySaidLoosely_WithABooking_ProposesTheMove_OnTheDayNotGivenUp()
    {
        _backend.Open = new OpenBooking("bkg_9", "pt", "Персональная тренировка", Msk(19, 12), new Money(300000, "RUB"), 90000, null, null);
        var r = await Say("ой завтра никак не смогу, может в субботу в 3");
        Assert.Empty(_backend.Calls);
        Assert.Equal(Pending.ConfirmReschedule, r.State.Pending);
        Assert.Equal(Msk(21, 15), r.State.ProposedStart);
        await Say("да");
        Assert.Equal($"reschedule bkg_9 {Msk(21, 15).ToUniversalTime():O}", Assert.Single(_backend.Calls));
    }

    [Theory]
    [InlineData("видите мой перевод?")]
    [InlineData("проверьте пожалуйста пришла ли предоплата")]
    [InlineData("can you check my payment please")]
    public async Task PaymentCheck_AfterPrepayment_AnswersTheStatus_NoNewInvoice(string text)
    {
        _backend.Open = new OpenBooking("bkg_9", "pt", "Персональная тренировка", Msk(19, 12), new Money(300000, "RUB"), 90000, null, new Money(210000, "RUB"));
        _backend.Last = new LastPayment("paid", new Money(90000, "RUB"), Msk(18, 10), "lnk_1", null, "Персональная тренировка");
        var r = await Say(text);
        Assert.Empty(_backend.Calls);
        Assert.Null(r.Invoice);
        Assert.Equal("answer: status", r.Decision.Action);
    }

    [Fact]
    public async Task MustIPayQuestion_NoPrepaymentRule_IsAnswered_NotInvoiced()
    {
        var none = DialoguePolicy.Default with { Prepayment = new PrepaymentRule(PrepaymentKind.None) };
        _backend.Open = new OpenBooking("bkg_9", "pt", "Персональная тренировка", Msk(19, 12), new Money(300000, "RUB"), 0, null, new Money(300000, "RUB"));
        var r = await Say("мне нужно оплачивать заранее?", none);
        Assert.True(_backend.Calls.Count == 0, r.Decision.ToString());
        Assert.Null(r.Invoice);
        Assert.Contains("на месте", r.Texts[0]);
    }

    [Fact]
    public async Task MustIPayQuestion_WithPrepaymentDue_OffersTheLink_SendsItAfterYes()
    {
        _backend.Open = new OpenBooking("bkg_9", "pt", "Персональная тренировка", Msk(19, 12), new Money(300000, "RUB"), 0, null, new Money(300000, "RUB"));
        var r = await Say("do I have to pay in advance?");
        Assert.Empty(_backend.Calls);
        Assert.Equal(Pending.ConfirmInvoice, r.State.Pending);
        Assert.Contains("₽900", r.Texts[0]);
        await Say("yes please");
        Assert.Equal("invoice bkg_9 90000 Персональная тренировка", Assert.Single(_backend.Calls));
    }
}
