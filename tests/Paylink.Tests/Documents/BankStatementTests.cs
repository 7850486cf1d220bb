using System.Text;
using Paylink.Core.Documents;

namespace Paylink.Tests.Documents;

public sealed class BankStatementTests
{
    static BankStatementTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    internal static byte[] File(string encoding, params string[][] docs)
    {
        var sb = new StringBuilder();
        sb.Append("1CClientBankExchange\r\nВерсияФормата=1.03\r\nКодировка=").Append(encoding).Append("\r\nОтправитель=Бухгалтерия\r\n")
          .Append("ДатаНачала=18.11.2026\r\nДатаКонца=18.11.2026\r\nРасчСчет=40702810638000000000\r\n")
          .Append("СекцияРасчСчет\r\nНачальныйОстаток=0.00\r\nКонецРасчСчет\r\n");
        foreach (var d in docs)
        {
            sb.Append("СекцияДокумент=Платежное поручение\r\n");
            foreach (var kv in d) sb.Append(kv).Append("\r\n");
            sb.Append("КонецДокумента\r\n");
        }
        sb.Append("КонецФайла\r\n");
        return Encoding.GetEncoding(encoding == "DOS" ? 866 : 1251).GetBytes(sb.ToString());
    }

    private static readonly string[] Doc =
    [
        "Номер=512", "Дата=18.11.2026", "Сумма=22200.00", "ПлательщикСчет=40702810400000000001", "ПлательщикИНН=7736207543",
        "Плательщик1=ООО \"Вектор\"", "ПолучательСчет=40702810638000000000", "ПолучательИНН=7707083893",
        "НазначениеПлатежа=Оплата по счёту № 17 от 18.11.2026. В т.ч. НДС 22 % 4003.28 руб.",
    ];

    [Theory]
    [InlineData("Windows")]
    [InlineData("DOS")]
    public void Parse_ReadsCyrillicInEitherCodePage(string encoding)
    {
        var r = BankStatement.Parse(File(encoding, Doc));
        Assert.True(r.IsSuccess, r.Error?.Message);
        var p = Assert.Single(r.Value);
        Assert.Equal("512", p.Number);
        Assert.Equal(new DateOnly(2026, 11, 18), p.Date);
        Assert.Equal(2_220_000, p.AmountMinor);
        Assert.Equal("7736207543", p.PayerInn);
        Assert.Equal("ООО \"Вектор\"", p.PayerName);   // CP866 has no «»
        Assert.Equal("7707083893", p.PayeeInn);
        Assert.StartsWith("Оплата по счёту № 17", p.Purpose);
    }

    [Fact]
    public void Key_IsStableAndDiffersPerTransfer()
    {
        var a = BankStatement.Parse(File("Windows", Doc)).Value[0];
        var b = BankStatement.Parse(File("Windows", Doc)).Value[0];
        var c = BankStatement.Parse(File("Windows", [.. Doc.Select(x => x.StartsWith("Номер=", StringComparison.Ordinal) ? "Номер=513" : x)])).Value[0];
        Assert.Equal(a.Key, b.Key);
        Assert.NotEqual(a.Key, c.Key);
    }

    [Theory]
    [InlineData("Сумма=22200.00", "Сумма=abc")]
    [InlineData("Сумма=22200.00", "Сумма=-1.00")]
    [InlineData("Сумма=22200.00", "Сумма=1.005")]
    [InlineData("Дата=18.11.2026", "Дата=2026-11-18")]
    [InlineData("Номер=512", "Номер=")]
    public void Parse_BadField_IsAnErrorNamingTheDocument(string from, string to)
    {
        var r = BankStatement.Parse(File("Windows", [.. Doc.Select(x => x == from ? to : x)]));
        Assert.False(r.IsSuccess);
        Assert.Contains("file", r.Error!.Fields!.Keys);
    }

    [Fact]
    public void Parse_NotA1CFile_OrCutShort_IsRefused()
    {
        Assert.False(BankStatement.Parse(Encoding.UTF8.GetBytes("hello\r\n")).IsSuccess);
        var full = Encoding.GetEncoding(1251).GetString(File("Windows", Doc));
        var cut = full[..full.IndexOf("КонецФайла", StringComparison.Ordinal)];
        Assert.Contains("КонецФайла", BankStatement.Parse(Encoding.GetEncoding(1251).GetBytes(cut)).Error!.Message);
    }

    [Theory]
    [InlineData("Оплата по счёту № 17 от 18.11.2026. НДС не облагается", new[] { 17 })]
    [InlineData("Оплата по счету 17", new[] { 17 })]
    [InlineData("по сч.№17 за консультации", new[] { 17 })]
    [InlineData("Оплата по счёту на оплату №5. Без НДС", new[] { 5 })]
    [InlineData("Счет 3, счет 4", new[] { 3, 4 })]
    [InlineData("Оплата по договору 17 от 01.10.2026", new int[0])]
    [InlineData("Оплата по счету от 17.11.2026 № 9", new[] { 9 })]
    public void NumbersIn_FindsTheInvoiceNumbers(string purpose, int[] expected) =>
        Assert.Equal(expected, ImportStatement.NumbersIn(purpose));
}
