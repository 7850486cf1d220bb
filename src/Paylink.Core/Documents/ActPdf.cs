using System.Globalization;

namespace Paylink.Core.Documents;

/// <summary>
/// The акт (or УПД status 2) as a PDF with the fields 402-FZ art. 9 requires: the document's name, number and date, who
/// drew it up (the seller), the business fact (services under the счёт), amounts in natural and money units, and the
/// positions and signature lines of both sides.
/// </summary>
public static class ActPdf
{
    public static string Title(Act act) => act.Kind == Act.KindUpd
        ? $"Универсальный передаточный документ № {act.NumberText} от {InvoicePdf.Date(act.Date)}"
        : $"Акт № {act.NumberText} от {InvoicePdf.Date(act.Date)}";

    public static byte[] Render(Act act, Invoice invoice)
    {
        var s = invoice.Seller;
        var lines = invoice.Lines;
        using var pdf = new DocumentPdf(Title(act));
        var w = pdf.Width;
        pdf.Wrapped(Title(act), 14, bold: true);
        if (act.Kind == Act.KindUpd) pdf.Line("Статус: 2 (передаточный документ)", 10);
        pdf.Y += 6;
        pdf.Wrapped("Исполнитель: " + InvoicePdf.Party(s.Name!, s.Inn!, s.Kpp, s.Address), 9);
        pdf.Wrapped("Заказчик: " + InvoicePdf.Party(invoice.BuyerName, invoice.BuyerInn, invoice.BuyerKpp, invoice.BuyerAddress), 9);
        pdf.Wrapped($"Основание: Счёт на оплату № {invoice.NumberText} от {InvoicePdf.Date(invoice.IssueDate)}", 9);
        pdf.Y += 8;
        pdf.Table([w * 0.05, w * 0.39, w * 0.08, w * 0.08, w * 0.14, w * 0.12, w * 0.14],
            ["№", "Наименование работ, услуг", "Кол-во", "Ед.", "Цена", "НДС", "Сумма"],
            lines.Select((l, i) => new[]
            {
                (i + 1).ToString(CultureInfo.InvariantCulture), l.Name, RussianMoney.Quantity(l.Quantity), l.Unit,
                RussianMoney.Amount(l.PriceMinor), VatMath.Label(l.Vat), RussianMoney.Amount(l.AmountMinor),
            }),
            [false, false, true, false, true, false, true]);
        pdf.Y += 4;
        pdf.Line($"Итого: {RussianMoney.Amount(invoice.AmountMinor)}", 10, bold: true, right: true);
        foreach (var vat in InvoicePdf.VatLines(lines)) pdf.Line(vat, 10, right: true);
        pdf.Y += 4;
        pdf.Line($"Всего оказано услуг {lines.Count}, на сумму {RussianMoney.Amount(invoice.AmountMinor)} руб.", 10);
        pdf.Wrapped(RussianMoney.InWords(invoice.AmountMinor), 10, bold: true);
        pdf.Y += 6;
        pdf.Wrapped("Вышеперечисленные услуги выполнены полностью и в срок. Заказчик претензий по объёму, качеству и срокам оказания услуг не имеет.", 9);
        pdf.Y += 6;
        pdf.Rule(1.5);
        pdf.Y += 12;
        var position = s.SignerPosition ?? (s.IsOrganisation ? "Руководитель" : "Индивидуальный предприниматель");
        pdf.Line("ИСПОЛНИТЕЛЬ", 10, bold: true, stay: true);
        pdf.Line("ЗАКАЗЧИК", 10, bold: true, x: w / 2);
        pdf.Line(position, 9, stay: true, width: w / 2 - 10);
        pdf.Line("Должность ______________________", 9, x: w / 2);
        pdf.Y += 12;
        pdf.Line($"__________ / {s.SignerName} /", 9, stay: true, width: w / 2 - 10);
        pdf.Line("__________ /                         /", 9, x: w / 2);
        pdf.Y += 6;
        pdf.Line("М. П.", 9, stay: true);
        pdf.Line("М. П.", 9, x: w / 2);
        return pdf.ToBytes();
    }
}
