using Paylink.Core.Catalog;
using Paylink.Core.Common;

namespace Paylink.Assistant.Dialogue;

/// <summary>What the assistant says, in Russian (default) and English. Short, one question at a time.</summary>
public sealed class DialogueTexts(string lang, TimeZoneInfo zone)
{
    public bool En => lang == "en";

    public string Money(Money m) => MoneyFormat.Format(m, lang, withMinor: m.Minor % 100 != 0);

    public string When(DateTimeOffset utc)
    {
        var l = TimeZoneInfo.ConvertTime(utc, zone);
        var day = DayName(l.DayOfWeek);
        return $"{day} {DateFormat.DayMonth(l, lang)} {(En ? "at" : "в")} {l:HH:mm}";
    }

    private static readonly string[] RuDays = ["вс", "пн", "вт", "ср", "чт", "пт", "сб"];
    private static readonly string[] EnDays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    private string DayName(DayOfWeek d) => (En ? EnDays : RuDays)[(int)d];

    public string Times(IEnumerable<DateTimeOffset> starts) => string.Join(", ", starts.Select(When));

    public string Greeting(string merchant) => En
        ? $"Hello! This is {merchant}. I can book you in, tell you prices and send a payment link. What would you like?"
        : $"Здравствуйте! Это {merchant}. Могу записать вас, подсказать цены и прислать ссылку на оплату. Чем помочь?";

    public string NotUnderstood => En
        ? "Sorry, I did not quite get that. I can book a service, tell you a price or send a payment link. What would you like?"
        : "Простите, не совсем понял. Могу записать на услугу, подсказать цену или прислать ссылку на оплату. Что вы хотели?";

    public string HandedOver => En
        ? "I have passed your message to the manager; they will reply here soon."
        : "Передал ваше сообщение администратору, он скоро ответит здесь.";

    public string AskService(IEnumerable<CatalogEntry> options) => En
        ? $"Which service would you like? For example: {string.Join(", ", options.Select(o => o.Name))}."
        : $"На какую услугу вас записать? Например: {string.Join(", ", options.Select(o => o.Name))}.";

    public string WhichOne(IEnumerable<string> names) => En
        ? $"Which one do you mean: {string.Join(" or ", names)}?"
        : $"Уточните, пожалуйста: {string.Join(" или ", names)}?";

    public string AskDate(string service) => En ? $"{service}: which day suits you?" : $"{service}: на какой день вас записать?";

    public string AskTime(string day, IReadOnlyList<DateTimeOffset> free) => free.Count == 0
        ? (En ? $"There is no free time on {day}. Which other day suits you?" : $"На {day} свободного времени нет. Какой другой день удобен?")
        : (En ? $"Free on {day}: {string.Join(", ", free.Select(f => TimeZoneInfo.ConvertTime(f, zone).ToString("HH:mm")))}. Which time?"
              : $"На {day} свободно: {string.Join(", ", free.Select(f => TimeZoneInfo.ConvertTime(f, zone).ToString("HH:mm")))}. Во сколько вам удобно?");

    public string Day(DateOnly d)
    {
        var l = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return DateFormat.DayMonth(l, lang);
    }

    private string With(string? staff) => staff is null ? "" : En ? $" with {staff}" : $" к мастеру {staff}";

    public string ConfirmBooking(string service, DateTimeOffset start, Money price, long prepay, string? staff = null) =>
        (En ? $"Booking {service}{With(staff)} on {When(start)}, {Money(price)}." : $"Записываю: {service}{With(staff)}, {When(start)}, {Money(price)}.")
        + (prepay > 0 ? (En ? $" Prepayment {Money(new Money(prepay, price.Currency))}." : $" Предоплата {Money(new Money(prepay, price.Currency))}.") : "")
        + (En ? " Shall I confirm?" : " Подтверждаете?");

    public string SlotProblem(SlotFinder.Verdict v, IReadOnlyList<DateTimeOffset> nearest, string? staff = null)
    {
        var why = v switch
        {
            SlotFinder.Verdict.Past => En ? "That time is too soon or has passed." : "Это время уже прошло или слишком скоро.",
            SlotFinder.Verdict.Closed => En ? "We are closed at that time." : "В это время мы не работаем.",
            _ when staff is not null => En ? $"{staff} is busy at that time." : $"У мастера {staff} это время занято.",
            _ => En ? "That time is taken." : "Это время занято.",
        };
        return nearest.Count == 0
            ? why + (En ? " There is no free time in the coming week." : " В ближайшую неделю свободного времени нет.")
            : why + (En ? $" Nearest free: {Times(nearest)}. Which suits you?" : $" Ближайшее свободное: {Times(nearest)}. Что выберете?");
    }

    public string Booked(string service, DateTimeOffset start, Money? prepay, string? staff = null) =>
        (En ? $"Done, you are booked: {service}{With(staff)}, {When(start)}." : $"Готово, вы записаны: {service}{With(staff)}, {When(start)}.")
        + (prepay is { } p ? (En ? $" Please pay the prepayment of {Money(p)} to confirm:" : $" Чтобы подтвердить запись, внесите предоплату {Money(p)}:")
                           : (En ? " See you!" : " Ждём вас!"));

    public string NotBooked => En ? "All right, I have not booked anything. Shall I find another time?" : "Хорошо, не записываю. Подобрать другое время?";

    public string Prices(IEnumerable<CatalogEntry> entries, string currency) =>
        string.Join("\n", entries.Select(e => $"{e.Name} — {Money(new Money(e.PriceMinor, e.Currency ?? currency))}"));

    public string PricesIntro => En ? "Our prices:" : "Наши цены:";

    public string PrepaymentRule(bool none) => none
        ? (En ? "No prepayment is needed: you pay at the visit. If you prefer to pay now, write “send the link”." : "Предоплата не нужна: оплатить можно на месте. Если удобнее заранее — напишите «пришлите ссылку».")
        : (En ? "Yes, we take a prepayment when you book; I will send the link once the time is agreed." : "Да, при записи мы берём предоплату — пришлю ссылку, как только согласуем время.");
    public string NoPrepaymentDue(string service) => En
        ? $"Nothing to pay in advance for {service}: you pay at the visit. If you prefer to pay now, write “send the link”."
        : $"Заранее за {service} платить не нужно — оплатите на месте. Если удобнее сейчас, напишите «пришлите ссылку».";
    public string PrepaymentDue(string service, Money amount) => En
        ? $"Yes, a prepayment of {Money(amount)} confirms {service}. Shall I send the payment link?"
        : $"Да, чтобы подтвердить запись ({service}), нужна предоплата {Money(amount)}. Прислать ссылку на оплату?";
    public string PayWhat => En ? "What would you like to pay for? Name the service or the amount." : "За что вы хотите оплатить? Назовите услугу или сумму.";

    public string PayLimits(Money max) => En ? $"I can issue an invoice from 1 to {Money(max)}." : $"Могу выставить счёт на сумму от 1 до {Money(max)}.";

    public string InvoiceFor(string what, Money amount) => En ? $"Here is the payment link for {what}, {Money(amount)}:" : $"Ссылка на оплату: {what}, {Money(amount)}:";

    public string NoBooking => En ? "I could not find an active booking of yours. Shall I book you in?" : "Не нашёл у вас активной записи. Записать вас?";

    public string AskNewTime(string service, DateTimeOffset current) =>
        En ? $"Your booking: {service}, {When(current)}. Which day and time should I move it to?" : $"Ваша запись: {service}, {When(current)}. На какой день и время перенести?";

    public string ConfirmReschedule(string service, DateTimeOffset start) =>
        En ? $"Moving {service} to {When(start)}. Shall I confirm?" : $"Переношу {service} на {When(start)}. Подтверждаете?";

    public string Rescheduled(string service, DateTimeOffset start) => En ? $"Done: {service} is now on {When(start)}." : $"Готово: запись «{service}» перенесена на {When(start)}.";

    public string ConfirmCancel(OpenBooking b, long refund, int hours)
    {
        var q = En ? $"Cancel {b.ServiceName} on {When(b.Start)}?" : $"Отменить запись: {b.ServiceName}, {When(b.Start)}?";
        if (b.PaidMinor <= 0) return q;
        var paid = Money(new Money(b.PaidMinor, b.Price.Currency));
        return q + (refund == b.PaidMinor
            ? (En ? $" The prepayment of {paid} will be refunded in full." : $" Предоплату {paid} вернём полностью.")
            : (En ? $" It is less than {hours} h before the visit, so the prepayment of {paid} is not refunded." : $" До визита меньше {hours} ч, поэтому предоплата {paid} не возвращается."));
    }

    public string Cancelled(long refund, string currency) =>
        (En ? "The booking is cancelled." : "Запись отменена.")
        + (refund > 0 ? (En ? $" {Money(new Money(refund, currency))} will be back on your card within a few days." : $" {Money(new Money(refund, currency))} вернутся на карту в течение нескольких дней.") : "");

    public string KeepBooking => En ? "All right, your booking stays as it is." : "Хорошо, оставляю запись как есть.";

    public string AskContact => En
        ? "For the receipt the law needs your phone number or e-mail. Please send one of them."
        : "Для чека по закону нужен ваш телефон или e-mail. Напишите, пожалуйста, один из них.";
    public string YouAreWelcome => En ? "You are welcome! Write any time if you need something." : "Пожалуйста! Если что-то понадобится — пишите.";
    public string NothingPending => En ? "Good! How can I help?" : "Хорошо! Чем могу помочь?";

    public string Bye => En ? "All right. Write any time if you need something." : "Хорошо. Если что-то понадобится — пишите.";

    public string RefundToManager => En ? "I have passed your refund request to the manager; they will contact you." : "Передал ваш запрос на возврат администратору, с вами свяжутся.";

    public string Failed => En ? "Something went wrong on our side; I have passed this to the manager." : "Что-то пошло не так на нашей стороне; я передал это администратору.";

    public string AskTimeAgain(string day) => En ? $"What time on {day} suits you?" : $"Во сколько вам удобно {day}?";

    public string ConfirmInvoice(string what, Money price) =>
        En ? $"{what}: {Money(price)}. Shall I send the payment link?" : $"{what}: {Money(price)}. Прислать ссылку на оплату?";

    // ---- a счёт for a company ----

    public string AskCompanyInn => En
        ? "For the invoice I need the company's INN (10 digits, or 12 for a sole trader) and its name. Please send them."
        : "Для счёта нужны ИНН (10 цифр у организации, 12 у ИП) и название организации. Напишите их, пожалуйста.";

    public string AskCompanyName => En ? "What is the company's name, e.g. OOO «Romashka»?" : "Как называется организация? Например: ООО «Ромашка».";

    public string AskCompanyInvoiceWhat(IEnumerable<CatalogEntry> options) => En
        ? $"What should the invoice be for? For example: {string.Join(", ", options.Select(o => o.Name))}."
        : $"За что выставить счёт? Например: {string.Join(", ", options.Select(o => o.Name))}.";

    /// <summary>A specific answer to a wrong ИНН: the digits counted, or the check digit.</summary>
    public string WrongInn(string inn)
    {
        var digits = inn.Count(char.IsAsciiDigit);
        var why = digits is 10 or 12
            ? (En ? "its check digit does not match" : "не сходится контрольная цифра")
            : (En ? $"it has {digits} digits" : $"в нём {digits} {Paylink.Core.Documents.RussianMoney.Plural(digits, "цифра", "цифры", "цифр")}");
        return En
            ? $"INN {inn} is not valid: {why}. A company's INN has 10 digits, a sole trader's 12. Please check it and send it again."
            : $"ИНН {inn} не подходит: {why}. У организации в ИНН 10 цифр, у ИП 12. Проверьте, пожалуйста, и напишите его ещё раз.";
    }

    public string ConfirmCompanyInvoice(string what, Money amount, string name, string inn, string? kpp, string? email)
    {
        var buyer = $"{name}, {(En ? "INN" : "ИНН")} {inn}" + (kpp is null ? "" : $", {(En ? "KPP" : "КПП")} {kpp}");
        return En
            ? $"I will issue an invoice: {what}, {Money(amount)}. Buyer: {buyer}.{(email is null ? "" : $" I will e-mail it to {email}.")} Is that right?"
            : $"Выставлю счёт: {what} — {Money(amount)}. Покупатель: {buyer}.{(email is null ? "" : $" Отправлю его на {email}.")} Всё верно?";
    }

    public string CompanyInvoiceIssued(CompanyInvoice i)
    {
        var date = i.IssueDate.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);
        var due = i.DueDate.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);
        return En
            ? $"Invoice No. {i.Number} of {date} is issued, {Money(i.Invoice.Amount)}, due by {due}. PDF: {i.PdfUrl}" +
              (i.EmailedTo is null ? "" : $" I have e-mailed it to {i.EmailedTo}.") + " Pay by bank transfer with the details in the invoice, or by card or SBP:"
            : $"Счёт № {i.Number} от {date} выставлен: {Money(i.Invoice.Amount)}, оплатить до {due}. PDF: {i.PdfUrl}" +
              (i.EmailedTo is null ? "" : $" Отправил его на {i.EmailedTo}.") + " Оплатить можно переводом по реквизитам из счёта или картой / через СБП:";
    }

    public string ConfirmCancelAgain => En ? "Shall I cancel the booking?" : "Отменить запись?";

    public string StaffDoesNot(string staff, string service, IReadOnlyList<string> who) => who.Count == 0
        ? (En ? $"{staff} does not do {service}." : $"{staff} не делает «{service}».")
        : (En ? $"{staff} does not do {service}; it is done by {string.Join(", ", who)}." : $"{staff} не делает «{service}», эту услугу делает {string.Join(", ", who)}.");

    public string StaffOf(string service, IReadOnlyList<string> who) =>
        En ? $"{service} is done by {string.Join(", ", who)}." : $"«{service}» делает {string.Join(", ", who)}.";

    public string Duration(CatalogEntry e) => e.DurationMinutes is { } m
        ? (En ? $"{e.Name} takes about {Minutes(m)}." : $"«{e.Name}» длится около {Minutes(m)}.")
        : (En ? $"{e.Name} does not need a visit time." : $"«{e.Name}» не привязана ко времени визита.");

    private string Minutes(int m) => m % 60 == 0
        ? (En ? $"{m / 60} h" : $"{m / 60} ч")
        : m > 60 ? (En ? $"{m / 60} h {m % 60} min" : $"{m / 60} ч {m % 60} мин") : (En ? $"{m} min" : $"{m} мин");

    public string Hours(Core.Assistance.WeeklyHours hours)
    {
        var days = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday }
            .Select(d => DayName(d) + " " + (hours.On(d) is { } h ? $"{h.Open:HH\\:mm}–{Core.Assistance.WeeklyHours.FormatClose(h.Close)}" : (En ? "closed" : "выходной")));
        return (En ? "Our hours: " : "Мы работаем: ") + string.Join(", ", days) + ".";
    }

    public string ManagerWillAnswer => En ? "The manager will answer that question here." : "На этот вопрос ответит администратор здесь, в чате.";

    public string PaymentSystemDown => En
        ? "The payment system is not answering right now. I have passed this to the manager; they will send you the link here."
        : "Платёжная система сейчас не отвечает. Я передал это администратору, он пришлёт ссылку здесь.";

    public string NotFoundAnyMore(string what) => En
        ? "I could not find that booking or service any more; the manager will sort it out here."
        : "Не нашёл эту запись или услугу — администратор разберётся и ответит здесь.";

    public string CannotDo(string what) => what switch
    {
        "booking" => En ? "I could not make that booking; I have passed it to the manager, who will reply here." : "Не получилось оформить запись — я передал её администратору, он ответит здесь.",
        "reschedule" => En ? "I could not move the booking; the manager will reply here." : "Не получилось перенести запись — администратор ответит здесь.",
        "cancel" => En ? "I could not cancel the booking; the manager will reply here." : "Не получилось отменить запись — администратор ответит здесь.",
        _ => En ? "I could not create the payment link; the manager will send it here." : "Не получилось создать ссылку на оплату — администратор пришлёт её здесь.",
    };

    /// <summary>"Оплату видите?", "запись в силе?": the payment and the booking as they stand, never a new invoice.</summary>
    public string Status(OpenBooking? b, LastPayment? last)
    {
        if (b is null) return PaymentStatus(last);
        var booking = $"{b.ServiceName}{With(b.Staff)}, {When(b.Start)}";
        if (b.PaidMinor > 0)
            return (last is { Status: "paid" or "partially_refunded" } ? PaymentStatus(last) + " " : "")
                + (En ? $"Your booking is confirmed: {booking}." : $"Запись подтверждена: {booking}.");
        if (b.PayUrl is not null && b.Due is { } due)
            return En ? $"The prepayment of {Money(due)} has not arrived yet. Your booking: {booking}." : $"Предоплата {Money(due)} ещё не поступила. Ваша запись: {booking}.";
        return En ? $"Your booking stands: {booking}." : $"Ваша запись в силе: {booking}.";
    }

    public string PaymentStatus(LastPayment? p) => p switch
    {
        null => En ? "I see no payments from you yet." : "Пока не вижу от вас оплат.",
        { Status: "paid" or "partially_refunded", PaidAt: { } at } => En ? $"Yes, {Money(p.Amount)} was paid on {When(at)}." : $"Да, оплата {Money(p.Amount)} прошла {When(at)}.",
        { Status: "open" } => En ? $"The payment of {Money(p.Amount)} has not arrived yet." : $"Оплата {Money(p.Amount)} ещё не поступила.",
        { Status: "refunded" } => En ? "That payment was refunded." : "Этот платёж был возвращён.",
        _ => En ? $"The last payment link is {p.Status}." : "Последняя ссылка на оплату больше не действует.",
    };
}
