using Paylink.Core.Documents;

namespace Paylink.Tests.Documents;

public sealed class DocumentTextTests
{
    [Theory]
    [InlineData(2_200_000, "Двадцать две тысячи рублей 00 копеек")]
    [InlineData(12_105, "Сто двадцать один рубль 05 копеек")]
    [InlineData(100, "Один рубль 00 копеек")]
    [InlineData(201, "Два рубля 01 копейка")]
    [InlineData(110_000_222, "Один миллион сто тысяч два рубля 22 копейки")]
    [InlineData(1_114, "Одиннадцать рублей 14 копеек")]
    [InlineData(0, "Ноль рублей 00 копеек")]
    public void InWords_WritesRoublesInRussian(long minor, string expected) => Assert.Equal(expected, RussianMoney.InWords(minor));

    [Theory]
    [InlineData(2_200_000, "22\u00a0000,00")]
    [InlineData(5, "0,05")]
    [InlineData(123_456_789, "1\u00a0234\u00a0567,89")]
    public void Amount_GroupsThousands(long minor, string expected) => Assert.Equal(expected, RussianMoney.Amount(minor));

    [Theory]
    [InlineData(12_200, "vat22", 2_200)]     // 122 ₽ incl. 22 % → 22 ₽
    [InlineData(10_000, "vat22", 1_803)]     // 100 × 22/122 = 18.0327…
    [InlineData(10_500, "vat5", 500)]
    [InlineData(10_700, "vat7", 700)]
    [InlineData(11_000, "vat10", 1_000)]
    [InlineData(10_000, "none", 0)]
    [InlineData(10_000, "vat0", 0)]
    [InlineData(61, "vat22", 11)]            // 10.9999… rounds half away from zero
    public void VatIncluded_ComputesThePartOfTheGross(long gross, string vat, long expected) => Assert.Equal(expected, VatMath.Included(gross, vat));

    [Fact]
    public void PaymentQr_BuildsGostString_InOrder()
    {
        var seller = new Requisites("ООО «Ромашка»", "7707083893", "773601001", null, "Москва", "ПАО Сбербанк", "044525225", "30101810400000000225",
            "40702810638000000000", "Иванов И. И.");
        var p = PaymentQr.Payload(seller, "Оплата по счёту № 7 от 18.11.2026. Без НДС", 1_500_000, "7736207543");
        Assert.Equal("ST00012|Name=ООО «Ромашка»|PersonalAcc=40702810638000000000|BankName=ПАО Сбербанк|BIC=044525225|CorrespAcc=30101810400000000225" +
                     "|PayeeINN=7707083893|KPP=773601001|Purpose=Оплата по счёту № 7 от 18.11.2026. Без НДС|Sum=1500000|PayerINN=7736207543", p);
        var modules = PaymentQr.Modules(p);
        Assert.True(modules.Count > 25);
        Assert.All(modules, row => Assert.Equal(modules.Count, row.Length));
    }

    [Fact]
    public void PurposeText_CarriesNumberDateAndVat()
    {
        InvoiceLine[] lines = [new("Консультация", 2, "ч", 610_000, 1_220_000, "vat22", 220_000), new("Отчёт", 1, "шт", 100_000, 100_000, "none", 0)];
        Assert.Equal("Оплата по счёту № 17 от 01.12.2026. В т.ч. НДС 22 % 2\u00a0200,00 руб.", Invoice.PurposeText(17, new DateOnly(2026, 12, 1), lines));
        Assert.Equal("Оплата по счёту № 3 от 01.12.2026. Без НДС", Invoice.PurposeText(3, new DateOnly(2026, 12, 1), [lines[1]]));
    }
}
