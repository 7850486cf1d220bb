namespace Paylink.Core.Documents;

/// <summary>
/// Check digits of Russian company and bank identifiers, by the published algorithms (ФНС for ИНН/ОГРН, the Bank of
/// Russia's key of a bank account, ЦБ РФ 385-П appendix): they catch a mistyped digit before a счёт goes out with it.
/// </summary>
public static class RequisiteChecks
{
    private static readonly int[] Inn10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly int[] Inn12First = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly int[] Inn12Second = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

    public static bool AllDigits(string? s, int length) => s is not null && s.Length == length && s.All(char.IsAsciiDigit);

    /// <summary>ИНН of an organisation (10 digits) or of a person / ИП (12 digits) with valid check digits.</summary>
    public static bool IsValidInn(string? inn) =>
        AllDigits(inn, 10) ? Check(inn!, Inn10) == inn![9] - '0'
        : AllDigits(inn, 12) && Check(inn!, Inn12First) == inn![10] - '0' && Check(inn, Inn12Second) == inn[11] - '0';

    private static int Check(string digits, int[] weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Length; i++) sum += (digits[i] - '0') * weights[i];
        return sum % 11 % 10;
    }

    /// <summary>КПП: 4 digits (tax office), 2 digits or capital letters (reason), 3 digits.</summary>
    public static bool IsValidKpp(string? kpp) =>
        kpp is { Length: 9 } && kpp[..4].All(char.IsAsciiDigit) && kpp[4..6].All(c => char.IsAsciiDigit(c) || c is >= 'A' and <= 'Z')
        && kpp[6..].All(char.IsAsciiDigit);

    /// <summary>ОГРН (13 digits: the first 12 mod 11, mod 10) or ОГРНИП (15 digits: the first 14 mod 13, mod 10).</summary>
    public static bool IsValidOgrn(string? ogrn) =>
        AllDigits(ogrn, 13) ? long.Parse(ogrn![..12], System.Globalization.CultureInfo.InvariantCulture) % 11 % 10 == ogrn[12] - '0'
        : AllDigits(ogrn, 15) && long.Parse(ogrn![..14], System.Globalization.CultureInfo.InvariantCulture) % 13 % 10 == ogrn[14] - '0';

    /// <summary>БИК of a Russian bank: 9 digits starting with 04 (the country code).</summary>
    public static bool IsValidBic(string? bic) => AllDigits(bic, 9) && bic!.StartsWith("04", StringComparison.Ordinal);

    /// <summary>
    /// The key of a корреспондентский счёт: "0" + digits 5–6 of the БИК + the 20-digit account, weighted 7,1,3,…,
    /// sums to a multiple of 10. The account must be a correspondent account (301…) and end with the БИК's last three
    /// digits (as every к/с in the Bank of Russia's БИК directory does), which catches a к/с copied from another bank.
    /// </summary>
    public static bool IsValidCorrespondentAccount(string? account, string? bic) =>
        IsValidBic(bic) && AllDigits(account, 20) && account!.StartsWith("301", StringComparison.Ordinal)
        && account[17..] == bic![6..] && KeyOk("0" + bic[4..6] + account);

    /// <summary>The key of a расчётный счёт: the last 3 digits of the БИК + the 20-digit account, weighted 7,1,3,….</summary>
    public static bool IsValidSettlementAccount(string? account, string? bic) =>
        IsValidBic(bic) && AllDigits(account, 20) && KeyOk(bic![6..] + account);

    private static bool KeyOk(string digits23)
    {
        int[] w = [7, 1, 3];
        var sum = 0;
        for (var i = 0; i < digits23.Length; i++) sum += (digits23[i] - '0') * w[i % 3];
        return sum % 10 == 0;
    }
}
