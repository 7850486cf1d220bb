using System.Text.RegularExpressions;
using Paylink.Core.Customers;
using Paylink.Core.Documents;

namespace Paylink.Assistant.Extraction;

/// <summary>
/// The company a client asks a счёт for: «выставьте счёт на ООО «Ромашка», ИНН 7707083893, КПП 773601001, почта
/// buh@romashka.ru». Read from the message only (no registry look-up is possible here), so the name is taken as written
/// (legal form + quoted or capitalised name). <see cref="Inn"/> is the digits written after «ИНН»/"INN" (or a bare 10/12
/// digits when none is labelled), whether or not they pass the check digits — <see cref="InnValid"/> says, so the
/// dialogue can answer a wrong ИНН specifically instead of ignoring it.
/// </summary>
public sealed record BuyerDetails(string? Name, string? Inn, bool InnValid, string? Kpp, string? Email)
{
    public bool Any => Name is not null || Inn is not null || Kpp is not null;
}

public static partial class BuyerExtractor
{
    /// <summary>Whether the message asks for a счёт for a company («счёт на ООО», «нужен счёт для юрлица», "invoice our company").</summary>
    public static bool AsksForCompanyInvoice(string text)
    {
        var t = text.ToLowerInvariant().Replace('ё', 'е');
        var invoice = InvoiceWord().IsMatch(t);
        if (!invoice) return false;
        return CompanyWord().IsMatch(t) || InnLabel().IsMatch(t) || LegalForm().IsMatch(text);
    }

    public static BuyerDetails Extract(string text)
    {
        if (text.Length > 1000) text = text[..1000];
        string? inn = null;
        var labelled = InnLabel().Match(text);
        if (labelled.Success) inn = labelled.Groups["d"].Value;
        else if (BareInn().Match(text) is { Success: true } bare) inn = bare.Value;
        string? kpp = KppLabel().Match(text) is { Success: true } k ? k.Groups["k"].Value.ToUpperInvariant() : null;
        string? email = null;
        foreach (Match m in Email().Matches(text))
            if (ContactFormats.IsValidEmail(m.Value.ToLowerInvariant())) { email = m.Value.ToLowerInvariant(); break; }
        return new BuyerDetails(Name(text), inn, RequisiteChecks.IsValidInn(inn), kpp, email);
    }

    /// <summary>
    /// The analysis without what the general extractors read out of an ИНН or КПП: a 10-digit ИНН looks like a phone and a
    /// КПП like an amount («ИНН 7736207543» is not +7 773 620-75-43, «КПП 770401001» is not 770 401 001 ₽). Only labelled
    /// numbers count, so «мой номер 9161234567» stays a phone.
    /// </summary>
    public static MessageAnalysis WithoutRequisiteNumbers(MessageAnalysis a, string? text)
    {
        if (string.IsNullOrEmpty(text) || (a.Phone is null && a.AmountMinor is null)) return a;
        // Only numbers labelled «ИНН»/«КПП»: a bare 10 digits is more often a phone than an ИНН.
        string[] numbers = [.. InnLabel().Matches(text).Select(m => m.Groups["d"].Value), .. KppLabel().Matches(text).Select(m => m.Groups["k"].Value)];
        if (numbers.Length == 0) return a;
        bool From(string digits) => digits.Length >= 5 && numbers.Any(n => n.Contains(digits, StringComparison.Ordinal) || digits.EndsWith(n, StringComparison.Ordinal));
        var phone = a.Phone is { } p && From(string.Concat(p.Where(char.IsAsciiDigit))[1..]) ? null : a.Phone;
        var amount = a.AmountMinor is { } m && m % 100 == 0 && From((m / 100).ToString(System.Globalization.CultureInfo.InvariantCulture)) ? null : a.AmountMinor;
        return a with { Phone = phone, AmountMinor = amount };
    }

    /// <summary>«ООО «Ромашка»», «АО "Вектор"» → «АО «Вектор»», «ИП Иванов Иван Иванович», "Romashka LLC".</summary>
    internal static string? Name(string text)
    {
        var m = LegalName().Match(text);
        if (m.Success)
        {
            var form = m.Groups["form"].Value.ToUpperInvariant();
            var quoted = m.Groups["q"].Success ? m.Groups["q"].Value.Trim() : null;
            var plain = m.Groups["p"].Success ? m.Groups["p"].Value.Trim() : null;
            if (quoted is { Length: > 0 }) return $"{form} «{quoted}»";
            if (plain is { Length: > 0 }) return form == "ИП" ? $"ИП {plain}" : $"{form} «{plain}»";
        }
        var en = EnglishName().Match(text);
        return en.Success ? $"{en.Groups["n"].Value.Trim()} {en.Groups["form"].Value.ToUpperInvariant()}" : null;
    }

    [GeneratedRegex(@"\bсч[её]т\w*|\bсч\.|\binvoic\w*", RegexOptions.CultureInvariant)]
    private static partial Regex InvoiceWord();

    [GeneratedRegex(@"юр\.?\s?лиц|юрлиц|организаци|компани|фирм|\bип\b|\bcompany\b|\bbusiness\b|\bllc\b|\bорг\b", RegexOptions.CultureInvariant)]
    private static partial Regex CompanyWord();

    [GeneratedRegex(@"(?<![\p{L}\d])(?:ИНН|INN)\s*[:№#-]?\s*(?<d>\d{9,13})(?!\d)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex InnLabel();

    [GeneratedRegex(@"(?<![\d+])(?:\d{10}|\d{12})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex BareInn();

    [GeneratedRegex(@"(?<![\p{L}\d])(?:КПП|KPP)\s*[:№#-]?\s*(?<k>\d{4}[\dA-Za-z]{2}\d{3})(?![\dA-Za-z])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex KppLabel();

    [GeneratedRegex(@"(?<![\p{L}])(?:ООО|ОАО|ЗАО|ПАО|АО|НКО|ИП)(?![\p{L}])", RegexOptions.CultureInvariant)]
    private static partial Regex LegalForm();

    // A legal form, then a name in «», "", “” or „“ (one level of inner quotes allowed), or up to three capitalised words.
    [GeneratedRegex(@"(?<![\p{L}])(?<form>ООО|ОАО|ЗАО|ПАО|АО|НКО|ИП)\s+(?:[«""“„](?<q>[^«»""“”„]{1,150}(?:[«""“„][^«»""“”„]{1,100}[»""”“])?[^«»""“”„]{0,50})[»""”“]|(?<p>[А-ЯЁA-Z][\p{L}\d\-]*(?:\s+[А-ЯЁA-Z][\p{L}\d\-]*){0,2}))",
        RegexOptions.CultureInvariant)]
    private static partial Regex LegalName();

    [GeneratedRegex(@"(?<n>(?:[A-Z][A-Za-z\d&\-]*\s+){1,3})(?<form>LLC|Ltd|JSC|Inc)\b", RegexOptions.CultureInvariant)]
    private static partial Regex EnglishName();

    [GeneratedRegex(@"[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();
}
