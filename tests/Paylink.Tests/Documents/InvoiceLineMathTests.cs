using Paylink.Core.Common;
using Paylink.Core.Documents;

namespace Paylink.Tests.Documents;

/// <summary>Fractional quantities on счёт/акт lines: price × quantity rounded half away from zero, the total the sum of lines, VAT per line.</summary>
public sealed class InvoiceLineMathTests
{
    private static (List<InvoiceLine>? Lines, ValidationErrors Errors) Validate(params InvoiceLineInput[] items)
    {
        var e = new ValidationErrors();
        return (CreateInvoice.ValidateLines(items, "vat22", e), e);
    }

    private static IReadOnlyDictionary<string, string[]> Fields(ValidationErrors e) => e.ToError().Fields!;

    [Theory]
    [InlineData("1.5", 333_333, 500_000)]      // 499 999,5 kopecks: the half goes away from zero
    [InlineData("1.5", 333_331, 499_997)]      // 499 996,5 → 499 997
    [InlineData("0.25", 101, 25)]              // 25,25 → 25
    [InlineData("0.25", 103, 26)]              // 25,75 → 26
    [InlineData("2.125", 100_001, 212_502)]    // 212 502,125 → 212 502
    [InlineData("3", 610_000, 1_830_000)]      // whole quantities are exact, as before
    [InlineData("100000", 100_000, 10_000_000_000)]
    public void LineAmount_IsPriceTimesQuantity_RoundedHalfAwayFromZero(string qty, long price, long expected)
    {
        var q = decimal.Parse(qty, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, InvoiceLineMath.Amount(price, q));
        var (lines, e) = Validate(new InvoiceLineInput("Работа", q, "ч", price, "none"));
        Assert.False(e.Any);
        Assert.Equal(expected, Assert.Single(lines!).AmountMinor);
        Assert.Equal(q, lines![0].Quantity);
    }

    [Fact]
    public void Lines_TotalIsTheSumOfLineAmounts_AndVatIsPerLine()
    {
        var (lines, e) = Validate(
            new InvoiceLineInput("Консультация", 1.5m, "ч", 333_333, "vat22"),
            new InvoiceLineInput("Сыр", 0.25m, "кг", 103, "vat10"),
            new InvoiceLineInput("Доставка", 0.333m, "км", 1_001, "none"));
        Assert.False(e.Any);
        Assert.NotNull(lines);
        Assert.Equal([500_000L, 26L, 333L], lines.Select(l => l.AmountMinor));
        // VAT is taken from each rounded line amount, never from the unrounded product: 500 000 × 22/122 = 90 163,93… → 90 164.
        Assert.Equal([90_164L, 2L, 0L], lines.Select(l => l.VatMinor));
        Assert.All(lines, l => Assert.Equal(VatMath.Included(l.AmountMinor, l.Vat), l.VatMinor));
        Assert.Equal(500_359, lines.Sum(l => l.AmountMinor));
    }

    [Theory]
    [InlineData("0", "items[0].quantity")]
    [InlineData("-1.5", "items[0].quantity")]
    [InlineData("1.2345", "items[0].quantity")]       // more than 3 decimals
    [InlineData("100000.001", "items[0].quantity")]   // absurd
    [InlineData("1000000", "items[0].quantity")]
    [InlineData("0.001", "items[0].quantity")]        // 1 kopeck × 0,001 rounds to a zero-amount line
    public void Quantity_Invalid_IsRefusedNamingTheField(string qty, string field)
    {
        var q = decimal.Parse(qty, System.Globalization.CultureInfo.InvariantCulture);
        var (_, e) = Validate(new InvoiceLineInput("Работа", q, "ч", 1, "none"));
        Assert.True(e.Any);
        Assert.Contains(field, Fields(e).Keys);
    }

    [Fact]
    public void Quantity_TrailingZeros_AreAccepted_AndNormalised()
    {
        var (lines, e) = Validate(new InvoiceLineInput("Работа", 1.5000m, "ч", 1_000, "none"));
        Assert.False(e.Any);
        Assert.Equal("1,5", RussianMoney.Quantity(lines![0].Quantity));
    }

    [Theory]
    [InlineData("1.5", "1,5")]
    [InlineData("0.25", "0,25")]
    [InlineData("2", "2")]
    [InlineData("2.000", "2")]
    [InlineData("0.125", "0,125")]
    [InlineData("1500.5", "1\u00a0500,5")]
    public void Quantity_IsPrintedRussianStyle(string qty, string expected) =>
        Assert.Equal(expected, RussianMoney.Quantity(decimal.Parse(qty, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void StoredLinesWithWholeQuantities_StillRead()
    {
        // Lines stored before fractional quantities were JSON integers; they read as the same decimal.
        var line = System.Text.Json.JsonSerializer.Deserialize<InvoiceLine>(
            """{"name":"Консультация","quantity":2,"unit":"ч","priceMinor":610000,"amountMinor":1220000,"vat":"vat22","vatMinor":220000}""", PaylinkJson.Output)!;
        Assert.Equal(2m, line.Quantity);
    }
}
