using System.Collections.Frozen;

namespace Paylink.Assistant.Text;

/// <summary>Russian and English number words as customers write them ("две тысячи пятьсот", "полторы тысячи", "двадцать пятого").</summary>
public static class NumberWords
{
    /// <summary>Cardinal words in any case form → value. "тысяча" forms are handled by <see cref="TryParseCardinal"/>.</summary>
    private static readonly FrozenDictionary<string, int> Cardinals = new Dictionary<string, int>
    {
        ["ноль"] = 0, ["один"] = 1, ["одна"] = 1, ["одну"] = 1, ["одного"] = 1, ["два"] = 2, ["две"] = 2, ["двух"] = 2,
        ["три"] = 3, ["трех"] = 3, ["четыре"] = 4, ["четырех"] = 4, ["пять"] = 5, ["пяти"] = 5, ["шесть"] = 6, ["шести"] = 6,
        ["семь"] = 7, ["семи"] = 7, ["восемь"] = 8, ["восьми"] = 8, ["девять"] = 9, ["девяти"] = 9, ["десять"] = 10, ["десяти"] = 10,
        ["одиннадцать"] = 11, ["двенадцать"] = 12, ["тринадцать"] = 13, ["четырнадцать"] = 14, ["пятнадцать"] = 15,
        ["шестнадцать"] = 16, ["семнадцать"] = 17, ["восемнадцать"] = 18, ["девятнадцать"] = 19,
        ["двадцать"] = 20, ["тридцать"] = 30, ["сорок"] = 40, ["пятьдесят"] = 50, ["шестьдесят"] = 60,
        ["семьдесят"] = 70, ["восемьдесят"] = 80, ["девяносто"] = 90,
        ["сто"] = 100, ["двести"] = 200, ["триста"] = 300, ["четыреста"] = 400, ["пятьсот"] = 500,
        ["шестьсот"] = 600, ["семьсот"] = 700, ["восемьсот"] = 800, ["девятьсот"] = 900,
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8,
        ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["fifteen"] = 15, ["twenty"] = 20, ["thirty"] = 30,
        ["forty"] = 40, ["fifty"] = 50, ["hundred"] = 100,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Genitive/neuter ordinal stems for days and "половина пятого": "пятого", "пятое" → 5.</summary>
    private static readonly FrozenDictionary<string, int> OrdinalStems = new Dictionary<string, int>
    {
        ["перв"] = 1, ["втор"] = 2, ["трет"] = 3, ["четверт"] = 4, ["пят"] = 5, ["шест"] = 6, ["седьм"] = 7,
        ["восьм"] = 8, ["девят"] = 9, ["десят"] = 10, ["одиннадцат"] = 11, ["двенадцат"] = 12, ["тринадцат"] = 13,
        ["четырнадцат"] = 14, ["пятнадцат"] = 15, ["шестнадцат"] = 16, ["семнадцат"] = 17, ["восемнадцат"] = 18,
        ["девятнадцат"] = 19, ["двадцат"] = 20, ["тридцат"] = 30,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsCardinal(string word) => Cardinals.ContainsKey(word) || IsThousand(word) || word is "полторы" or "полтора" or "пару" or "пара";

    public static bool IsThousand(string word) => word.StartsWith("тысяч", StringComparison.Ordinal) || word is "тыс" or "thousand" or "thousands" or "k" or "к";

    /// <summary>Value of one cardinal word (no thousands), or -1.</summary>
    public static int Cardinal(string word) => Cardinals.TryGetValue(word, out var v) ? v : -1;

    /// <summary>
    /// Reads a cardinal number from words starting at <paramref name="start"/>: "две тысячи пятьсот" → 2500,
    /// "полторы тысячи" → 1500, "тысячу" → 1000, "три с половиной тысячи" → 3500. Returns how many words it used.
    /// </summary>
    public static int TryParseCardinal(IReadOnlyList<string> words, int start, out decimal value)
    {
        value = 0;
        decimal group = 0, total = 0;
        var any = false;
        var i = start;
        for (; i < words.Count; i++)
        {
            var w = words[i];
            if (w is "полторы" or "полтора") { group += 1.5m; any = true; continue; }
            if (w is "пару" or "пара") { group += 2; any = true; continue; }
            if (w == "с" && i + 1 < words.Count && words[i + 1].StartsWith("половин", StringComparison.Ordinal) && any)
            {
                group += 0.5m; i++; continue;
            }
            if (IsThousand(w) && w is not ("k" or "к"))
            {
                total += (any ? group : 1) * 1000;
                group = 0; any = true;
                continue;
            }
            if (Cardinals.TryGetValue(w, out var v))
            {
                if (w == "hundred") { group = (group == 0 ? 1 : group) * 100; any = true; continue; }
                group += v; any = true;
                continue;
            }
            break;
        }
        if (!any) return 0;
        value = total + group;
        return i - start;
    }

    /// <summary>Ordinal day words: "пятого", "двадцать пятого", "тридцать первое" → 1..31, or 0. Returns words used.</summary>
    public static int TryParseOrdinal(IReadOnlyList<string> words, int start, out int value)
    {
        value = 0;
        if (start >= words.Count) return 0;
        var w = words[start];
        if (w is "двадцать" or "тридцать" && start + 1 < words.Count && Ordinal(words[start + 1]) is > 0 and < 10 and var unit)
        {
            value = (w == "двадцать" ? 20 : 30) + unit;
            return 2;
        }
        value = Ordinal(w);
        return value > 0 ? 1 : 0;
    }

    /// <summary>One ordinal word in the genitive or neuter ("пятого", "пятое", "третьего", "третье") → its value, or 0.</summary>
    public static int Ordinal(string word)
    {
        string stem;
        if (word.EndsWith("ьего", StringComparison.Ordinal)) stem = word[..^4];
        else if (word.EndsWith("ого", StringComparison.Ordinal)) stem = word[..^3];
        else if (word.EndsWith("ье", StringComparison.Ordinal)) stem = word[..^2];
        else if (word.EndsWith("ое", StringComparison.Ordinal)) stem = word[..^2];
        else return 0;
        return OrdinalStems.TryGetValue(stem, out var v) ? v : 0;
    }
}
