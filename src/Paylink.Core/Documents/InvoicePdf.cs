using System.Globalization;

namespace Paylink.Core.Documents;

/// <summary>
/// The счёт на оплату as a PDF: the bank block a payment order is typed from, the GOST R 56042 payment QR, seller and
/// buyer, the lines with VAT per line (or «Без НДС»), totals, the total in words, the due date, the purpose text with the
/// number, the card/SBP link and the signature lines. Everything printed comes from the stored invoice (the seller's
/// requisites frozen at issue), so the same invoice renders the same document every time.
/// </summary>
public static class InvoicePdf
{
    public static string Date(DateOnly d) => d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    /// <summary>The QR payload printed on the счёт.</summary>
    public static string QrPayload(Invoice invoice) => PaymentQr.Payload(invoice.Seller, invoice.Purpose, invoice.AmountMinor, invoice.BuyerInn);

    public static byte[] Render(Invoice invoice, string? payUrl)
    {
        var s = invoice.Seller;
        var lines = invoice.Lines;
        using var pdf = new DocumentPdf($"Счёт № {invoice.NumberText} от {Date(invoice.IssueDate)}");
        var w = pdf.Width;

        // The bank block, laid out as every Russian счёт has it (the order a payment order is filled in).
        pdf.Table([w * 0.55, w * 0.12, w * 0.33], [$"Банк получателя: {s.BankName}", "БИК", s.Bic!],
            [["", "Сч. №", s.CorrespondentAccount!],
             [$"ИНН {s.Inn}" + (s.Kpp is null ? "" : $"    КПП {s.Kpp}"), "Сч. №", s.Account!],
             [$"Получатель: {s.Name}", "", ""]]);
        pdf.Y += 10;

        var qrTop = pdf.Y;
        const double qrSize = 110;
        pdf.Qr(PaymentQr.Modules(QrPayload(invoice)), w - qrSize, qrTop, qrSize);
        var textWidth = w - qrSize - 12;
        pdf.Wrapped($"Счёт на оплату № {invoice.NumberText} от {Date(invoice.IssueDate)}", 14, bold: true, width: textWidth);
        pdf.Y += 4;
        pdf.Wrapped("Поставщик: " + Party(s.Name!, s.Inn!, s.Kpp, s.Address), 9, width: textWidth);
        pdf.Y += 2;
        pdf.Wrapped("Покупатель: " + Party(invoice.BuyerName, invoice.BuyerInn, invoice.BuyerKpp, invoice.BuyerAddress), 9, width: textWidth);
        pdf.Y += 2;
        pdf.Wrapped($"Оплатить до {Date(invoice.DueDate)}", 9, bold: true, width: textWidth);
        pdf.Y = Math.Max(pdf.Y, qrTop + qrSize) + 8;

        pdf.Table([w * 0.05, w * 0.39, w * 0.08, w * 0.08, w * 0.14, w * 0.12, w * 0.14],
            ["№", "Наименование", "Кол-во", "Ед.", "Цена", "НДС", "Сумма"],
            lines.Select((l, i) => new[]
            {
                (i + 1).ToString(CultureInfo.InvariantCulture), l.Name, RussianMoney.Quantity(l.Quantity), l.Unit,
                RussianMoney.Amount(l.PriceMinor), VatMath.Label(l.Vat), RussianMoney.Amount(l.AmountMinor),
            }),
            [false, false, true, false, true, false, true]);
        pdf.Y += 4;
        pdf.Line($"Итого: {RussianMoney.Amount(invoice.AmountMinor)}", 10, bold: true, right: true);
        foreach (var vat in VatLines(lines)) pdf.Line(vat, 10, right: true);
        pdf.Line($"Всего к оплате: {RussianMoney.Amount(invoice.AmountMinor)}", 10, bold: true, right: true);
        pdf.Y += 4;
        pdf.Line($"Всего наименований {lines.Count}, на сумму {RussianMoney.Amount(invoice.AmountMinor)} руб.", 10);
        pdf.Wrapped(RussianMoney.InWords(invoice.AmountMinor), 10, bold: true);
        pdf.Y += 6;
        pdf.Wrapped("Назначение платежа: " + invoice.Purpose, 9);
        pdf.Wrapped("В платёжном поручении укажите номер счёта в назначении платежа: по нему оплата будет найдена. " +
                    "QR-код справа заполняет перевод в банковском приложении.", 8);
        if (payUrl is not null) pdf.Wrapped($"Оплатить картой или через СБП: {payUrl}", 9);
        if (invoice.Comment is not null) pdf.Wrapped(invoice.Comment, 9);
        pdf.Y += 6;
        pdf.Rule(1.5);
        pdf.Y += 16;
        Signatures(pdf, s);
        return pdf.ToBytes();
    }

    public static string Party(string name, string inn, string? kpp, string? address) =>
        $"{name}, ИНН {inn}" + (kpp is null ? "" : $", КПП {kpp}") + (address is null ? "" : $", {address}");

    internal static IEnumerable<string> VatLines(IReadOnlyList<InvoiceLine> lines)
    {
        var taxed = lines.Where(l => l.Vat != "none").GroupBy(l => l.Vat).ToList();
        if (taxed.Count == 0) { yield return "Без НДС"; yield break; }
        foreach (var g in taxed) yield return $"В том числе НДС {VatMath.Percent(g.Key)} %: {RussianMoney.Amount(g.Sum(l => l.VatMinor))}";
    }

    internal static void Signatures(DocumentPdf pdf, Requisites s)
    {
        var position = s.SignerPosition ?? (s.IsOrganisation ? "Руководитель" : "Индивидуальный предприниматель");
        pdf.Line($"{position} ____________________ / {s.SignerName} /", 10);
        pdf.Y += 14;
        if (s.IsOrganisation) pdf.Line("Главный бухгалтер ____________________ /                              /", 10);
        pdf.Y += 8;
        pdf.Line("М. П.", 9);
    }
}
