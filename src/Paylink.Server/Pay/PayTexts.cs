using Paylink.Core.Localization;

namespace Paylink.Server.Pay;

/// <summary>The pay page's words in Russian (default) and English.</summary>
public sealed class PayTexts
{
    public static readonly PayTexts Ru = new("ru");
    public static readonly PayTexts En = new("en");

    private PayTexts(string lang) => T = Texts.For(lang);

    private Texts T { get; }
    public string Lang => T.Lang;
    /// <summary>The other language's own name and code (the language switch): not a translation.</summary>
    public string SwitchLang => T.IsEn ? "Русский" : "English";
    public string SwitchLangCode => T.IsEn ? "ru" : "en";
    public string Title => T["Оплата"];
    public string Pay => T["Оплатить"];
    public string ValidUntil => T["Ссылка действует до"];
    public string Paid => T["Оплачено"];
    public string PaidAt => T["Оплачено", "paid-on"];
    public string Expired => T["Срок действия ссылки истёк. Попросите продавца прислать новую."];
    public string Cancelled => T["Ссылка отменена продавцом."];
    public string Refunded => T["Платёж возвращён."];
    public string PartiallyRefunded => T["Платёж частично возвращён."];
    public string Total => T["Итого"];
    public string ScanQr => T["Откройте на телефоне: наведите камеру на QR-код"];
    public string NotFoundTitle => T["Ссылка не найдена"];
    public string NotFoundText => T["Проверьте адрес или попросите продавца прислать ссылку ещё раз."];
    public string CheckoutFailed => T["Не получилось начать оплату: платёжная система недоступна. Попробуйте ещё раз через минуту."];
    public string NotPayable => T["Эту ссылку уже нельзя оплатить."];
    public string SecureNote => T["Оплата проходит на защищённой странице банка."];
    public string Quantity => T["шт."];
    public string TooManyRequests => T["Слишком много запросов. Подождите минуту и обновите страницу."];
    public string Consent => Lang == "en" ? Paylink.Core.Customers.RecurringConsent.TextEn : Paylink.Core.Customers.RecurringConsent.TextRu;
    public string ConsentRequired => T["Отметьте согласие на сохранение способа оплаты: без него эту оплату провести нельзя."];
    public string Authorized => T["Сумма заблокирована на карте; продавец спишет её позже."];
    public string Booking => T["Запись"];
    public string Prepayment => T["Предоплата"];
    public string Visit => T["Ваша запись"];
    /// <summary>The line greeting a client whose name the seller knows.</summary>
    public string Greeting(string name) => T.Format("{0}, здравствуйте!", name);
    public string BackToChat => T["Вернуться в чат"];
    public string PdnTitle => T["Согласие на обработку персональных данных"];
    public string PdnVersion => T["Версия текста"];
    public string PdnAgree => T["Согласен, перейти к оплате"];
    public string PdnNote => T["Продавцу нужно ваше согласие до оплаты. Если вы не согласны, напишите продавцу."];
    public string PdnRequired => T["Сначала дайте согласие на обработку персональных данных."];
    public string PayCard => T["Оплатить картой"];
    public string PaySbp => T["Оплатить через СБП"];
    public string SbpTitle => T["Оплата через СБП"];
    public string SbpScan => T["Отсканируйте QR-код камерой телефона или в приложении банка и подтвердите оплату."];
    public string SbpChooseBank => T["Выберите банк: откроется его приложение с платежом"];
    public string SbpOpenBankApp => T["Открыть приложение банка"];
    public string SbpWaiting => T["Ждём оплату… Страница обновляется сама."];
    public string SbpValidUntil => T["QR-код действует до"];
    public string SbpExpired => T["Срок действия QR-кода истёк."];
    public string SbpDeclined => T["Оплата не прошла."];
    public string SbpNone => T["Оплатите в приложении своего банка через СБП."];
    public string SbpNewQr => T["Получить новый QR-код"];
    public string SbpBankUnavailable => T["Не получилось открыть приложение этого банка. Отсканируйте QR-код или выберите другой банк."];
    public string BadMethod => T["Выберите способ оплаты: картой или через СБП."];
    public string SbpUnavailable => T["Эту ссылку нельзя оплатить через СБП. Оплатите картой."];
    public string NpdReceipt => T["Чек «Мой налог»"];
    public string Voided => T["Блокировка суммы снята."];

    /// <summary>?lang=en wins; otherwise the first language of Accept-Language; Russian by default.</summary>
    public static PayTexts For(HttpRequest request)
    {
        var q = request.Query["lang"].ToString();
        if (q == "en") return En;
        if (q == "ru") return Ru;
        var accept = request.Headers.AcceptLanguage.ToString();
        return accept.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? En : Ru;
    }
}
