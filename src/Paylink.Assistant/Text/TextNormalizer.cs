using System.Text;

namespace Paylink.Assistant.Text;

/// <summary>
/// Normalises a chat message for the extractors: lowercase, ё→е, emoji and other symbols to spaces,
/// typographic dashes and spaces to ASCII, and Latin/Cyrillic lookalikes inside a word turned to the
/// word's majority script ("маникюp" with a Latin p, "ivаn@mail.ru" with a Cyrillic а).
/// The result has exactly the length of the (NFC) input, so positions found in it point into the input too.
/// </summary>
public static class TextNormalizer
{
    // Pairs of letters that look alike in the two scripts (lowercase).
    private const string LatinLookalikes = "aeopcxykmthb";
    private const string CyrillicLookalikes = "аеорсхукмтнв";

    public static string Normalize(string text)
    {
        if (!text.IsNormalized(NormalizationForm.FormC)) text = text.Normalize(NormalizationForm.FormC);
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++) chars[i] = MapChar(chars[i]);
        FixLookalikes(chars);
        return new string(chars);
    }

    private static char MapChar(char c)
    {
        if (c < 128)
        {
            if (c is >= 'A' and <= 'Z') return (char)(c + 32);
            return c < ' ' ? ' ' : c;
        }
        if (c is 'ё' or 'Ё') return 'е';
        if (char.IsLetter(c)) return char.ToLowerInvariant(c);
        if (char.IsDigit(c)) return char.IsAsciiDigit(c) ? c : ' ';
        return c switch
        {
            '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
            '\u00AB' or '\u00BB' or '\u201C' or '\u201D' or '\u201E' => '"',
            '\u2018' or '\u2019' or '\u201A' => '\'',
            '₽' or '€' or '£' or '₸' or '№' => c,
            _ => ' ',
        };
    }

    private static void FixLookalikes(char[] chars)
    {
        var i = 0;
        while (i < chars.Length)
        {
            if (!char.IsLetter(chars[i])) { i++; continue; }
            var start = i;
            int latin = 0, cyrillic = 0;
            for (; i < chars.Length && char.IsLetter(chars[i]); i++)
            {
                if (chars[i] is >= 'a' and <= 'z') latin++;
                else if (chars[i] is >= 'а' and <= 'я') cyrillic++;
            }
            if (latin == 0 || cyrillic == 0) continue;
            var (from, to) = cyrillic >= latin ? (LatinLookalikes, CyrillicLookalikes) : (CyrillicLookalikes, LatinLookalikes);
            for (var j = start; j < i; j++)
            {
                var k = from.IndexOf(chars[j], StringComparison.Ordinal);
                if (k >= 0) chars[j] = to[k];
            }
        }
    }

    /// <summary>True for the letters of either script after normalisation.</summary>
    public static bool IsCyrillic(char c) => c is >= 'а' and <= 'я';
}
