namespace Paylink.Server.Pay;

/// <summary>The pay page's words in Russian (default) and English.</summary>
public sealed record PayTexts(
    string Lang, string Title, string Pay, string ValidUntil, string Paid, string PaidAt, string Expired, string Cancelled,
    string Refunded, string PartiallyRefunded, string Total, string ScanQr, string NotFoundTitle, string NotFoundText,
    string CheckoutFailed, string NotPayable, string SecureNote, string SwitchLang, string SwitchLangCode, string Quantity,
    string TooManyRequests)
{
    public string Consent => Lang == "en" ? Paylink.Core.Customers.RecurringConsent.TextEn : Paylink.Core.Customers.RecurringConsent.TextRu;
    public string ConsentRequired => Lang == "en"
        ? "Please tick the box to agree to saving your payment method: this payment needs it."
        : "Отметьте согласие на сохранение способа оплаты: без него эту оплату провести нельзя.";
    public string Authorized => Lang == "en" ? "The amount is held on your card; the seller will charge it later." : "Сумма заблокирована на карте; продавец спишет её позже.";
    public string Booking => Lang == "en" ? "Booking" : "Запись";
    public string Prepayment => Lang == "en" ? "Prepayment" : "Предоплата";
    public string Visit => Lang == "en" ? "Your visit" : "Ваша запись";
    /// <summary>The line greeting a client whose name the seller knows.</summary>
    public string Greeting(string name) => Lang == "en" ? $"Hello, {name}!" : $"{name}, здравствуйте!";
    public string BackToChat => Lang == "en" ? "Back to the chat" : "Вернуться в чат";
    public string PdnTitle => Lang == "en" ? "Consent to personal data processing" : "Согласие на обработку персональных данных";
    public string PdnVersion => Lang == "en" ? "Text version" : "Версия текста";
    public string PdnAgree => Lang == "en" ? "I agree, continue to payment" : "Согласен, перейти к оплате";
    public string PdnNote => Lang == "en"
        ? "The seller needs your consent before taking the payment. If you do not agree, you can write to the seller."
        : "Продавцу нужно ваше согласие до оплаты. Если вы не согласны, напишите продавцу.";
    public string PdnRequired => Lang == "en"
        ? "Please give your consent to personal data processing first."
        : "Сначала дайте согласие на обработку персональных данных.";
    public string PayCard => Lang == "en" ? "Pay by card" : "Оплатить картой";
    public string PaySbp => Lang == "en" ? "Pay with SBP" : "Оплатить через СБП";
    public string SbpTitle => Lang == "en" ? "Payment with SBP (Faster Payments)" : "Оплата через СБП";
    public string SbpScan => Lang == "en"
        ? "Scan the QR code with your phone's camera or in your bank's app and confirm the payment."
        : "Отсканируйте QR-код камерой телефона или в приложении банка и подтвердите оплату.";
    public string SbpChooseBank => Lang == "en" ? "Choose your bank: its app opens with the payment" : "Выберите банк: откроется его приложение с платежом";
    public string SbpOpenBankApp => Lang == "en" ? "Open the bank app" : "Открыть приложение банка";
    public string SbpWaiting => Lang == "en" ? "Waiting for the payment… This page updates by itself." : "Ждём оплату… Страница обновляется сама.";
    public string SbpValidUntil => Lang == "en" ? "The QR code is valid until" : "QR-код действует до";
    public string SbpExpired => Lang == "en" ? "The QR code has expired." : "Срок действия QR-кода истёк.";
    public string SbpDeclined => Lang == "en" ? "The payment did not go through." : "Оплата не прошла.";
    public string SbpNone => Lang == "en" ? "Pay in your bank's app with SBP." : "Оплатите в приложении своего банка через СБП.";
    public string SbpNewQr => Lang == "en" ? "Get a new QR code" : "Получить новый QR-код";
    public string SbpBankUnavailable => Lang == "en"
        ? "Could not open this bank's app. Scan the QR code or choose another bank."
        : "Не получилось открыть приложение этого банка. Отсканируйте QR-код или выберите другой банк.";
    public string BadMethod => Lang == "en" ? "Choose how to pay: by card or with SBP." : "Выберите способ оплаты: картой или через СБП.";
    public string SbpUnavailable => Lang == "en"
        ? "SBP cannot pay this link. Please pay by card."
        : "Эту ссылку нельзя оплатить через СБП. Оплатите картой.";
    public string NpdReceipt => Lang == "en" ? "Receipt («Мой налог»)" : "Чек «Мой налог»";
    public string Voided => Lang == "en" ? "The hold was released." : "Блокировка суммы снята.";

    public static readonly PayTexts Ru = new("ru", "Оплата", "Оплатить", "Ссылка действует до", "Оплачено", "Оплачено",
        "Срок действия ссылки истёк. Попросите продавца прислать новую.", "Ссылка отменена продавцом.",
        "Платёж возвращён.", "Платёж частично возвращён.", "Итого", "Откройте на телефоне: наведите камеру на QR-код",
        "Ссылка не найдена", "Проверьте адрес или попросите продавца прислать ссылку ещё раз.",
        "Не получилось начать оплату: платёжная система недоступна. Попробуйте ещё раз через минуту.",
        "Эту ссылку уже нельзя оплатить.", "Оплата проходит на защищённой странице банка.", "English", "en", "шт.",
        "Слишком много запросов. Подождите минуту и обновите страницу.");

    public static readonly PayTexts En = new("en", "Payment", "Pay", "Valid until", "Paid", "Paid on",
        "This link has expired. Ask the seller for a new one.", "This link was cancelled by the seller.",
        "The payment was refunded.", "The payment was partly refunded.", "Total", "Open on your phone: point the camera at the QR code",
        "Link not found", "Check the address or ask the seller to send the link again.",
        "Could not start the payment: the payment system is unavailable. Please try again in a minute.",
        "This link can no longer be paid.", "You pay on the bank's secure page.", "Русский", "ru", "pcs",
        "Too many requests. Wait a minute and reload the page.");

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
