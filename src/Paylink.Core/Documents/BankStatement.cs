using System.Globalization;
using System.Text;
using Paylink.Core.Common;

namespace Paylink.Core.Documents;

/// <summary>One payment order read from a statement.</summary>
public sealed record StatementPayment(string Number, DateOnly Date, long AmountMinor, string? PayerInn, string? PayerName, string? PayerAccount,
    string? PayeeInn, string? PayeeAccount, string Purpose)
{
    /// <summary>
    /// What identifies this transfer across imports: the bank's document number and date, amount, payer and payee
    /// accounts and purpose. The same file, or an overlapping statement of the next day, yields the same keys.
    /// </summary>
    public string Key => Hashing.Sha256Hex(string.Join("\u001f", Number, Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        AmountMinor.ToString(CultureInfo.InvariantCulture), PayerInn, PayerAccount, PayeeAccount, Purpose))[..40];
}

/// <summary>
/// Reads a 1C «Клиент-банк» exchange file (format 1.0x): first line «1CClientBankExchange», «Кодировка=Windows» (CP1251,
/// the default) or «DOS» (CP866), then one «СекцияДокумент=…» … «КонецДокумента» block per payment order with Номер,
/// Дата (dd.MM.yyyy), Сумма (roubles with a dot), ПлательщикИНН, Плательщик1/Плательщик, ПлательщикСчет, ПолучательИНН,
/// ПолучательСчет, НазначениеПлатежа; «КонецФайла» at the end. A malformed block is an error naming the document.
/// </summary>
public static class BankStatement
{
    public const string Signature = "1CClientBankExchange";

    static BankStatement() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Result<List<StatementPayment>> Parse(byte[] data)
    {
        // «Кодировка=» is itself Cyrillic: try CP1251 (the usual), and CP866 when that is what the header says in it.
        var text = Encoding.GetEncoding(1251).GetString(data);
        if (!text.Contains("Кодировка=Windows", StringComparison.Ordinal) && Encoding.GetEncoding(866).GetString(data) is var dos
            && dos.Contains("Кодировка=DOS", StringComparison.Ordinal)) text = dos;
        if (text.Length > 0 && text[0] == '\ufeff') text = text[1..];
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count == 0 || lines[0].Trim() != Signature)
            return Error.Validation("file", $"Not a 1C «Клиент-банк» file: the first line must be {Signature}.");
        var result = new List<StatementPayment>();
        Dictionary<string, string>? doc = null;
        var ended = false;
        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("СекцияДокумент", StringComparison.Ordinal)) { doc = new(StringComparer.Ordinal); continue; }
            if (line == "КонецДокумента")
            {
                if (doc is null) return Error.Validation("file", $"Line {i + 1}: КонецДокумента without СекцияДокумент.");
                var p = ToPayment(doc, i + 1);
                if (!p.IsSuccess) return p.Error!;
                result.Add(p.Value);
                doc = null;
                continue;
            }
            if (line == "КонецФайла") { ended = true; break; }
            if (doc is null) continue;   // header keys and account sections (СекцияРасчСчет … КонецРасчСчет)
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            doc[line[..eq]] = line[(eq + 1)..].Trim();
        }
        if (doc is not null) return Error.Validation("file", "The last document has no КонецДокумента.");
        if (!ended) return Error.Validation("file", "The file has no КонецФайла: it was cut short.");
        return result;
    }

    private static Result<StatementPayment> ToPayment(Dictionary<string, string> d, int line)
    {
        string? V(string k) => d.TryGetValue(k, out var v) && v.Length > 0 ? v : null;
        var number = V("Номер");
        if (number is null) return Error.Validation("file", $"Document ending at line {line}: Номер is missing.");
        if (V("Дата") is not { } dateText || !DateOnly.TryParseExact(dateText, "dd.MM.yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return Error.Validation("file", $"Document № {number}: Дата must be dd.MM.yyyy.");
        if (V("Сумма") is not { } sumText || !decimal.TryParse(sumText.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var sum)
            || sum <= 0 || sum * 100 != decimal.Truncate(sum * 100) || sum > 100_000_000_000m)
            return Error.Validation("file", $"Document № {number}: Сумма must be a positive amount in roubles, e.g. 1500.00.");
        var payer = V("Плательщик1") ?? V("Плательщик");
        return new StatementPayment(number, date, (long)(sum * 100), V("ПлательщикИНН"), payer, V("ПлательщикСчет"), V("ПолучательИНН"),
            V("ПолучательСчет"), V("НазначениеПлатежа") ?? "");
    }
}
