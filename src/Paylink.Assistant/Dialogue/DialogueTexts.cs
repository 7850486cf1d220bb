using Paylink.Core.Catalog;
using Paylink.Core.Common;
using Paylink.Core.Localization;

namespace Paylink.Assistant.Dialogue;

/// <summary>What the assistant says, in Russian (default) and English. Short, one question at a time.</summary>
public sealed class DialogueTexts(string lang, TimeZoneInfo zone)
{
    public bool En => lang == "en";

    /// <summary>The words in this conversation's language (see <see cref="Texts"/>).</summary>
    public Texts T { get; } = Texts.For(lang);

    public string Money(Money m) => MoneyFormat.Format(m, lang, withMinor: m.Minor % 100 != 0);

    public string When(DateTimeOffset utc)
    {
        var l = TimeZoneInfo.ConvertTime(utc, zone);
        var day = DayName(l.DayOfWeek);
        return $"{day} {DateFormat.DayMonth(l, lang)} {(T["в"])} {l:HH:mm}";
    }

    private static readonly string[] RuDays = ["вс", "пн", "вт", "ср", "чт", "пт", "сб"];
    private static readonly string[] EnDays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    private string DayName(DayOfWeek d) => (En ? EnDays : RuDays)[(int)d];

    public string Times(IEnumerable<DateTimeOffset> starts) => string.Join(", ", starts.Select(When));

    public string Greeting(string merchant) => T.Format("Здравствуйте! Это {0}. Могу записать вас, подсказать цены и прислать ссылку на оплату. Чем помочь?", merchant);

    public string NotUnderstood => T["Простите, не совсем понял. Могу записать на услугу, подсказать цену или прислать ссылку на оплату. Что вы хотели?"];

    public string HandedOver => T["Передал ваше сообщение администратору, он скоро ответит здесь."];

    public string AskService(IEnumerable<CatalogEntry> options) => T.Format("На какую услугу вас записать? Например: {0}.", string.Join(", ", options.Select(o => o.Name)));

    public string WhichOne(IEnumerable<string> names) => T.Format("Уточните, пожалуйста: {0}?", string.Join(T[" или "], names));

    public string AskDate(string service) => T.Format("{0}: на какой день вас записать?", service);

    public string AskTime(string day, IReadOnlyList<DateTimeOffset> free) => free.Count == 0
        ? (T.Format("На {0} свободного времени нет. Какой другой день удобен?", day))
        : (T.Format("На {0} свободно: {1}. Во сколько вам удобно?", day, string.Join(", ", free.Select(f => TimeZoneInfo.ConvertTime(f, zone).ToString("HH:mm")))));

    public string Day(DateOnly d)
    {
        var l = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return DateFormat.DayMonth(l, lang);
    }

    private string With(string? staff) => staff is null ? "" : T.Format(" к мастеру {0}", staff);

    public string ConfirmBooking(string service, DateTimeOffset start, Money price, long prepay, string? staff = null) =>
        (T.Format("Записываю: {0}{1}, {2}, {3}.", service, With(staff), When(start), Money(price)))
        + (prepay > 0 ? (T.Format(" Предоплата {0}.", Money(new Money(prepay, price.Currency)))) : "")
        + (T[" Подтверждаете?"]);

    public string SlotProblem(SlotFinder.Verdict v, IReadOnlyList<DateTimeOffset> nearest, string? staff = null)
    {
        var why = v switch
        {
            SlotFinder.Verdict.Past => T["Это время уже прошло или слишком скоро."],
            SlotFinder.Verdict.Closed => T["В это время мы не работаем."],
            _ when staff is not null => T.Format("У мастера {0} это время занято.", staff),
            _ => T["Это время занято."],
        };
        return nearest.Count == 0
            ? why + (T[" В ближайшую неделю свободного времени нет."])
            : why + (T.Format(" Ближайшее свободное: {0}. Что выберете?", Times(nearest)));
    }

    public string Booked(string service, DateTimeOffset start, Money? prepay, string? staff = null) =>
        (T.Format("Готово, вы записаны: {0}{1}, {2}.", service, With(staff), When(start)))
        + (prepay is { } p ? (T.Format(" Чтобы подтвердить запись, внесите предоплату {0}:", Money(p)))
                           : (T[" Ждём вас!"]));

    public string NotBooked => T["Хорошо, не записываю. Подобрать другое время?"];

    public string Prices(IEnumerable<CatalogEntry> entries, string currency) =>
        string.Join("\n", entries.Select(e => $"{e.Name} — {Money(new Money(e.PriceMinor, e.Currency ?? currency))}"));

    public string PricesIntro => T["Наши цены:"];

    public string PrepaymentRule(bool none) => none
        ? (T["Предоплата не нужна: оплатить можно на месте. Если удобнее заранее — напишите «пришлите ссылку»."])
        : (T["Да, при записи мы берём предоплату — пришлю ссылку, как только согласуем время."]);
    public string NoPrepaymentDue(string service) => T.Format("Заранее за {0} платить не нужно — оплатите на месте. Если удобнее сейчас, напишите «пришлите ссылку».", service);
    public string PrepaymentDue(string service, Money amount) => T.Format("Да, чтобы подтвердить запись ({0}), нужна предоплата {1}. Прислать ссылку на оплату?", service, Money(amount));
    public string PayWhat => T["За что вы хотите оплатить? Назовите услугу или сумму."];

    public string PayLimits(Money max) => T.Format("Могу выставить счёт на сумму от 1 до {0}.", Money(max));

    public string InvoiceFor(string what, Money amount) => T.Format("Ссылка на оплату: {0}, {1}:", what, Money(amount));

    public string NoBooking => T["Не нашёл у вас активной записи. Записать вас?"];

    public string AskNewTime(string service, DateTimeOffset current) =>
        T.Format("Ваша запись: {0}, {1}. На какой день и время перенести?", service, When(current));

    public string ConfirmReschedule(string service, DateTimeOffset start) =>
        T.Format("Переношу {0} на {1}. Подтверждаете?", service, When(start));

    public string Rescheduled(string service, DateTimeOffset start) => T.Format("Готово: запись «{0}» перенесена на {1}.", service, When(start));

    public string ConfirmCancel(OpenBooking b, long refund, int hours)
    {
        var q = T.Format("Отменить запись: {0}, {1}?", b.ServiceName, When(b.Start));
        if (b.PaidMinor <= 0) return q;
        var paid = Money(new Money(b.PaidMinor, b.Price.Currency));
        return q + (refund == b.PaidMinor
            ? (T.Format(" Предоплату {0} вернём полностью.", paid))
            : (T.Format(" До визита меньше {0} ч, поэтому предоплата {1} не возвращается.", hours, paid)));
    }

    public string Cancelled(long refund, string currency) =>
        (T["Запись отменена."])
        + (refund > 0 ? (T.Format(" {0} вернутся на карту в течение нескольких дней.", Money(new Money(refund, currency)))) : "");

    public string KeepBooking => T["Хорошо, оставляю запись как есть."];

    public string AskContact => T["Для чека по закону нужен ваш телефон или e-mail. Напишите, пожалуйста, один из них."];
    public string YouAreWelcome => T["Пожалуйста! Если что-то понадобится — пишите."];
    public string NothingPending => T["Хорошо! Чем могу помочь?"];

    public string Bye => T["Хорошо. Если что-то понадобится — пишите."];

    public string RefundToManager => T["Передал ваш запрос на возврат администратору, с вами свяжутся."];

    public string Failed => T["Что-то пошло не так на нашей стороне; я передал это администратору."];

    public string AskTimeAgain(string day) => T.Format("Во сколько вам удобно {0}?", day);

    public string ConfirmInvoice(string what, Money price) =>
        T.Format("{0}: {1}. Прислать ссылку на оплату?", what, Money(price));

    // ---- a счёт for a company ----

    public string AskCompanyInn => T["Для счёта нужны ИНН (10 цифр у организации, 12 у ИП) и название организации. Напишите их, пожалуйста."];

    public string AskCompanyName => T["Как называется организация? Например: ООО «Ромашка»."];

    public string AskCompanyInvoiceWhat(IEnumerable<CatalogEntry> options) => T.Format("За что выставить счёт? Например: {0}.", string.Join(", ", options.Select(o => o.Name)));

    /// <summary>A specific answer to a wrong ИНН: the digits counted, or the check digit.</summary>
    public string WrongInn(string inn)
    {
        var digits = inn.Count(char.IsAsciiDigit);
        var why = digits is 10 or 12
            ? (T["не сходится контрольная цифра"])
            : (T.Format("в нём {0} {1}", digits, Paylink.Core.Documents.RussianMoney.Plural(digits, "цифра", "цифры", "цифр")));
        return T.Format("ИНН {0} не подходит: {1}. У организации в ИНН 10 цифр, у ИП 12. Проверьте, пожалуйста, и напишите его ещё раз.", inn, why);
    }

    public string ConfirmCompanyInvoice(string what, Money amount, string name, string inn, string? kpp, string? email)
    {
        var buyer = $"{name}, {(T["ИНН"])} {inn}" + (kpp is null ? "" : $", {(T["КПП"])} {kpp}");
        var mail = email is null ? "" : T.Format(" Отправлю его на {0}.", email);
        return T.Format("Выставлю счёт: {0} — {1}. Покупатель: {2}.{3} Всё верно?", what, Money(amount), buyer, mail);
    }

    public string CompanyInvoiceIssued(CompanyInvoice i)
    {
        var date = i.IssueDate.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);
        var due = i.DueDate.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);
        return T.Format("Счёт № {0} от {1} выставлен: {2}, оплатить до {3}. PDF: {4}", i.Number, date, Money(i.Invoice.Amount), due, i.PdfUrl) +
            (i.EmailedTo is null ? "" : T.Format(" Отправил его на {0}.", i.EmailedTo)) + T[" Оплатить можно переводом по реквизитам из счёта или картой / через СБП:"];
    }

    public string ConfirmCancelAgain => T["Отменить запись?"];

    public string StaffDoesNot(string staff, string service, IReadOnlyList<string> who) => who.Count == 0
        ? (T.Format("{0} не делает «{1}».", staff, service))
        : (T.Format("{0} не делает «{1}», эту услугу делает {2}.", staff, service, string.Join(", ", who)));

    public string StaffOf(string service, IReadOnlyList<string> who) =>
        T.Format("«{0}» делает {1}.", service, string.Join(", ", who));

    public string Duration(CatalogEntry e) => e.DurationMinutes is { } m
        ? (T.Format("«{0}» длится около {1}.", e.Name, Minutes(m)))
        : (T.Format("«{0}» не привязана ко времени визита.", e.Name));

    private string Minutes(int m) => m % 60 == 0
        ? (T.Format("{0} ч", m / 60))
        : m > 60 ? (T.Format("{0} ч {1} мин", m / 60, m % 60)) : (T.Format("{0} мин", m));

    public string Hours(Core.Assistance.WeeklyHours hours)
    {
        var days = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday }
            .Select(d => DayName(d) + " " + (hours.On(d) is { } h ? $"{h.Open:HH\\:mm}–{Core.Assistance.WeeklyHours.FormatClose(h.Close)}" : (T["выходной"])));
        return (T["Мы работаем: "]) + string.Join(", ", days) + ".";
    }

    public string ManagerWillAnswer => T["На этот вопрос ответит администратор здесь, в чате."];

    public string PaymentSystemDown => T["Платёжная система сейчас не отвечает. Я передал это администратору, он пришлёт ссылку здесь."];

    public string NotFoundAnyMore(string what) => T["Не нашёл эту запись или услугу — администратор разберётся и ответит здесь."];

    public string CannotDo(string what) => what switch
    {
        "booking" => T["Не получилось оформить запись — я передал её администратору, он ответит здесь."],
        "reschedule" => T["Не получилось перенести запись — администратор ответит здесь."],
        "cancel" => T["Не получилось отменить запись — администратор ответит здесь."],
        _ => T["Не получилось создать ссылку на оплату — администратор пришлёт её здесь."],
    };

    /// <summary>"Оплату видите?", "запись в силе?": the payment and the booking as they stand, never a new invoice.</summary>
    public string Status(OpenBooking? b, LastPayment? last)
    {
        if (b is null) return PaymentStatus(last);
        var booking = $"{b.ServiceName}{With(b.Staff)}, {When(b.Start)}";
        if (b.PaidMinor > 0)
            return (last is { Status: "paid" or "partially_refunded" } ? PaymentStatus(last) + " " : "")
                + (T.Format("Запись подтверждена: {0}.", booking));
        if (b.PayUrl is not null && b.Due is { } due)
            return T.Format("Предоплата {0} ещё не поступила. Ваша запись: {1}.", Money(due), booking);
        return T.Format("Ваша запись в силе: {0}.", booking);
    }

    public string PaymentStatus(LastPayment? p) => p switch
    {
        null => T["Пока не вижу от вас оплат."],
        { Status: "paid" or "partially_refunded", PaidAt: { } at } => T.Format("Да, оплата {0} прошла {1}.", Money(p.Amount), When(at)),
        { Status: "open" } => T.Format("Оплата {0} ещё не поступила.", Money(p.Amount)),
        { Status: "refunded" } => T["Этот платёж был возвращён."],
        _ => T["Последняя ссылка на оплату больше не действует."],
    };
}
