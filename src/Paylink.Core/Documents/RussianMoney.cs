using System.Globalization;
using Humanizer;

namespace Paylink.Core.Documents;

/// <summary>Roubles as printed on Russian documents: «22 000,00» and «Двадцать две тысячи рублей 00 копеек».</summary>
public static class RussianMoney
{
    private static readonly CultureInfo Ru = CultureInfo.GetCultureInfo("ru-RU");

    /// <summary>«1 234 567,89»: groups of three split by a no-break space, comma before kopecks.</summary>
    public static string Amount(long minor)
    {
        var sign = minor < 0 ? "-" : "";
        var abs = Math.Abs(minor);
        var roubles = (abs / 100).ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '\u00a0');
        return $"{sign}{roubles},{(abs % 100).ToString("00", CultureInfo.InvariantCulture)}";
    }

    /// <summary>A quantity as printed: «1,5», «0,25», «2», «1 500,125» (no-break space between thousands, comma before decimals).</summary>
    public static string Quantity(decimal quantity) =>
        quantity.ToString("#,0.###", CultureInfo.InvariantCulture).Replace(',', '\u00a0').Replace('.', ',');

    /// <summary>«Сто двадцать один рубль 05 копеек»: the roubles in words (Humanizer's Russian), kopecks in digits.</summary>
    public static string InWords(long minor)
    {
        if (minor < 0) throw new ArgumentOutOfRangeException(nameof(minor), "Document totals are not negative.");
        var roubles = minor / 100;
        var kopecks = minor % 100;
        var words = roubles.ToWords(GrammaticalGender.Masculine, Ru);
        words = char.ToUpper(words[0], Ru) + words[1..];
        return $"{words} {Plural(roubles, "рубль", "рубля", "рублей")} {kopecks.ToString("00", CultureInfo.InvariantCulture)} {Plural(kopecks, "копейка", "копейки", "копеек")}";
    }

    /// <summary>The Russian plural form for <paramref name="n"/>: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль.</summary>
    public static string Plural(long n, string one, string few, string many)
    {
        var mod100 = n % 100;
        var mod10 = n % 10;
        if (mod100 is >= 11 and <= 14) return many;
        return mod10 switch { 1 => one, >= 2 and <= 4 => few, _ => many };
    }
}
