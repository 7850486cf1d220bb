using System.Globalization;
using System.Text;

namespace Paylink.Core.Common;

/// <summary>
/// Formats money for people. Russian: "2 500,00 ₽" (narrow no-break space between groups, comma decimal
/// separator, symbol after). English: "₽2,500.00". Written by hand so output does not depend on the
/// machine's ICU data.
/// </summary>
public static class MoneyFormat
{
    private const char GroupRu = '\u00A0';

    public static string Format(Money money, string lang = "ru", bool withMinor = true)
    {
        var info = Currencies.Get(money.Currency);
        var negative = money.Minor < 0;
        var abs = negative ? -(decimal)money.Minor : money.Minor;
        var scale = Pow10(info.Exponent);
        var major = (long)(abs / scale);
        var minor = (long)(abs % scale);
        var en = lang == "en";
        var sb = new StringBuilder();
        if (negative) sb.Append('−');
        if (en) sb.Append(info.Symbol.Length == 1 ? info.Symbol : info.Symbol + " ");
        sb.Append(NumberFormat.Integer(major, en ? "en" : "ru"));
        if (info.Exponent > 0 && (withMinor || minor != 0))
        {
            sb.Append(en ? '.' : ',');
            sb.Append(minor.ToString(CultureInfo.InvariantCulture).PadLeft(info.Exponent, '0'));
        }
        if (!en) sb.Append(GroupRu).Append(info.Symbol);
        return sb.ToString();
    }

    /// <summary>Short form for buttons: "2 500 ₽" when there are no kopecks.</summary>
    public static string Short(Money money, string lang = "ru") => Format(money, lang, withMinor: false);

    private static long Pow10(int e)
    {
        long r = 1;
        for (var i = 0; i < e; i++) r *= 10;
        return r;
    }

    /// <summary>Minor units as an invariant decimal string with two fraction digits: 150000 → "1500.00"
    /// (the wire format of YooKassa amounts). For currencies with two minor digits.</summary>
    public static string Decimal(long minor)
    {
        var sign = minor < 0 ? "-" : "";
        var abs = Math.Abs(minor);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs / 100}.{abs % 100:00}");
    }

    /// <summary>Parses "1500.00" / "1500.5" / "1500" into minor units; null when malformed.</summary>
    public static long? ParseDecimal(string? s)
    {
        if (s is null || !decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)) return null;
        var minor = d * 100;
        return minor == decimal.Truncate(minor) ? (long)minor : null;
    }
}
