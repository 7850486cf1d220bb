using System.Text.RegularExpressions;
using Paylink.Assistant.Text;

namespace Paylink.Assistant.Extraction;

/// <summary>
/// Reads an amount of money: "2500", "2 500 ₽", "2500р", "1,5к", "3 тыс", "тысячу", "полторы тысячи",
/// "две тысячи пятьсот рублей", "$20". Runs after the date, time and phone readers, so their digits are gone.
/// A number with a currency sign or a thousands word is always an amount; a bare number only from 100 up
/// (so "2 маникюра" or "на 3 человека" are not), and never a year, a count or an order number.
/// </summary>
public static partial class AmountExtractor
{
    /// <summary>The amount in major units (rubles), or null. Prefers an amount with a currency sign.</summary>
    public static decimal? Extract(MessageText m)
    {
        var t = m.Text;
        (int Start, int Length, decimal Value, bool Marked)? best = null;

        foreach (Match x in DigitsRegex().Matches(t))
        {
            if (!m.IsFree(x.Index, x.Length)) continue;
            var num = x.Groups["num"].Value.Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal)
                .Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
            if (num.Length > 9) continue;
            var value = decimal.Parse(num, System.Globalization.CultureInfo.InvariantCulture);
            if (x.Groups["frac"].Success)
                value += decimal.Parse("0." + x.Groups["frac"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var suffix = x.Groups["suf"].Value;
            var marked = suffix.Length > 0 || x.Groups["cur"].Success;
            if (IsThousands(suffix)) value *= 1000;
            if (!marked && (value < 100 || x.Groups["frac"].Success || NotMoneyBefore(t, x.Index))) continue;
            if (value <= 0 || value > 100_000_000) continue;
            Consider(ref best, (x.Index, x.Length, value, marked));
        }

        foreach (var (start, length, value, marked) in WordAmounts(m))
            Consider(ref best, (start, length, value, marked));

        if (best is not { } b) return null;
        m.Claim(b.Start, b.Length, "zamount");
        return b.Value;
    }

    private static void Consider(ref (int Start, int Length, decimal Value, bool Marked)? best, (int Start, int Length, decimal Value, bool Marked) c)
    {
        if (best is null || (c.Marked && !best.Value.Marked) || (c.Marked == best.Value.Marked && c.Start < best.Value.Start)) best = c;
    }

    private static bool IsThousands(string suffix) =>
        suffix.StartsWith('k') || suffix.StartsWith('к') || suffix.StartsWith("тыс", StringComparison.Ordinal) || suffix.StartsWith("тр", StringComparison.Ordinal)
        || suffix.StartsWith("т.", StringComparison.Ordinal) || suffix.StartsWith("т р", StringComparison.Ordinal) || suffix == "т";

    private static bool NotMoneyBefore(string t, int index) => NotMoneyBeforeRegex().IsMatch(t.AsSpan(0, index));

    /// <summary>Number words that make an amount: with a thousands word, from 100 up, or followed by a currency word.</summary>
    private static IEnumerable<(int Start, int Length, decimal Value, bool Marked)> WordAmounts(MessageText m)
    {
        var words = new List<string>();
        var spans = new List<(int Start, int End)>();
        foreach (Match w in WordRegex().Matches(m.Text))
        {
            words.Add(w.Value);
            spans.Add((w.Index, w.Index + w.Length));
        }
        for (var i = 0; i < words.Count; i++)
        {
            if (!NumberWords.IsCardinal(words[i]) || words[i] is "k" or "к") continue;
            var used = NumberWords.TryParseCardinal(words, i, out var value);
            if (used == 0) continue;
            var end = i + used;
            var hasThousand = false;
            for (var k = i; k < end; k++) hasThousand |= NumberWords.IsThousand(words[k]);
            var currency = end < words.Count && IsCurrencyWord(words[end]);
            if (!(hasThousand || currency || value >= 100)) { i = end - 1; continue; }
            var start = spans[i].Start;
            var stop = currency ? spans[end].End : spans[end - 1].End;
            if (m.IsFree(start, stop - start)) yield return (start, stop - start, value, hasThousand || currency);
            i = end - 1;
        }
    }

    private static bool IsCurrencyWord(string w) =>
        w.StartsWith("руб", StringComparison.Ordinal) || w is "р" or "rub" or "рублей" or "рубля" or "бакса" or "баксов" or "евро" or "dollars" or "rubles" or "roubles";

    [GeneratedRegex(@"(?<![\d.,])(?<cur>[$€£]\s*)?(?<num>\d{1,3}(?:[ \u00A0.,]\d{3})+(?![\d])|\d+(?!\d))(?:[.,](?<frac>\d{1,2})(?!\d))?(?:\s*(?<suf>k\b|к\b|тыс[а-я]*\.?|т\.?\s?р\b\.?|т\.р\.|тр\b|т\b|руб[а-я]*\.?|р\b\.?|₽|rub\b|rur\b|rubles?\b|\$|usd\b|долл[а-я]*|бакс[а-я]*|eur\b|€|евро\b))?(?!\s*(?:%|мин|шт|раз|см|мм|мл|кг|гр?\b|чел|км|м2|лет|год|сеанс|процедур|заняти|час|дн|недел|мес))", RegexOptions.CultureInvariant)]
    private static partial Regex DigitsRegex();

    [GeneratedRegex(@"(?:№|#|номер|заказ[а-я]*|кабинет[а-я]*|квартир[а-я]*|кв\.?|дом|офис[а-я]*|order|no\.)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex NotMoneyBeforeRegex();

    [GeneratedRegex(@"[a-zа-я]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordRegex();
}
