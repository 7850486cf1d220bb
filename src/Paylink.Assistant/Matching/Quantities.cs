using System.Globalization;
using System.Text.RegularExpressions;
using Paylink.Assistant.Text;

namespace Paylink.Assistant.Matching;

/// <summary>
/// Sizes and counts in catalog names and messages. A catalog name may carry a number range that tells its
/// entry from a sibling: "R13-R16", "до 60 м²", "60-90 м²", "от 100 м²", "1-комн.", "(4 шт)". A message's free
/// numbers (those no date, time, amount or phone extractor claimed: "колёса 17", "54 квадрата") and the
/// colloquial count words built on a numeral root ("однушка", "двушка", "трёшка", "двухкомнатная") are
/// compared with those ranges. "до 60" in a message means a little under 60, "от 60"/"больше 60" a little over.
/// </summary>
internal static partial class Quantities
{
    /// <summary>An inclusive range of a catalog name.</summary>
    internal readonly record struct Range(double Low, double High)
    {
        public bool Contains(double value) => value >= Low && value <= High;
    }

    /// <summary>The number ranges of a normalised catalog name; empty when it has no number.</summary>
    public static Range[] RangesOf(string name)
    {
        var ranges = new List<Range>();
        var used = new bool[name.Length];
        foreach (Match r in CatalogRange().Matches(name))
        {
            var a = Number(r.Groups["a"].Value);
            var b = Number(r.Groups["b"].Value);
            ranges.Add(new Range(Math.Min(a, b), Math.Max(a, b)));
            Array.Fill(used, true, r.Index, r.Length);
        }
        foreach (Match r in Bound().Matches(name))
        {
            if (used[r.Index]) continue;
            var n = Number(r.Groups["n"].Value);
            ranges.Add(r.Groups["dir"].Value is "до" or "up to" or "under" ? new Range(0, n) : new Range(n, double.MaxValue));
            Array.Fill(used, true, r.Index, r.Length);
        }
        foreach (Match r in Plain().Matches(name))
        {
            if (used[r.Index]) continue;
            var n = Number(r.Value);
            ranges.Add(r.Index + r.Length < name.Length && name[r.Index + r.Length] == '+' ? new Range(n, double.MaxValue) : new Range(n, n));
        }
        foreach (var (start, value) in CountWords(name))
            if (!used[start]) ranges.Add(new Range(value, value));
        return [.. ranges];
    }

    /// <summary>The free numbers and count words of a message; claims nothing (a number may still be a size).</summary>
    public static List<double> Of(MessageText m)
    {
        var found = new List<double>();
        var text = m.Text;
        foreach (Match r in Plain().Matches(text))
        {
            if (!m.IsFree(r.Index, r.Length) || r.Length > 5) continue;
            var n = Number(r.Value);
            var before = text.AsSpan(0, r.Index).TrimEnd();
            if (EndsWithWord(before, "до") || EndsWithWord(before, "under") || EndsWithWord(before, "меньше")) n -= 0.5;
            else if (EndsWithWord(before, "от") || EndsWithWord(before, "больше") || EndsWithWord(before, "over") || EndsWithWord(before, "свыше")) n += 0.5;
            found.Add(n);
        }
        foreach (var (_, value) in CountWords(text)) found.Add(value);
        return found;
    }

    private static bool EndsWithWord(ReadOnlySpan<char> text, string word) =>
        text.EndsWith(word, StringComparison.Ordinal) && (text.Length == word.Length || !char.IsLetter(text[^(word.Length + 1)]));

    // Numeral roots of Russian compound and colloquial count words: "однокомнатная", "двушка", "трёхкомнатная", "четырёшка".
    private static readonly (string Root, int Value)[] CountRoots =
    [
        ("одноком", 1), ("однуш", 1), ("однух", 1), ("двухком", 2), ("двуш", 2), ("трехком", 3), ("треш", 3),
        ("четырехком", 4), ("пятиком", 5),
    ];

    private static IEnumerable<(int Start, double Value)> CountWords(string text)
    {
        foreach (Match w in Word().Matches(text))
            foreach (var (root, value) in CountRoots)
                if (w.Value.StartsWith(root, StringComparison.Ordinal) && w.Length > root.Length)
                {
                    yield return (w.Index, value);
                    break;
                }
    }

    private static double Number(string digits) => double.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    // "13-16", "r13-r16", "60–90": a range.
    [GeneratedRegex(@"(?<![\d])[a-zа-я]?(?<a>\d{1,5})\s*[-–—]\s*[a-zа-я]?(?<b>\d{1,5})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex CatalogRange();

    // "до 60", "от 100", "up to 50": an open range.
    [GeneratedRegex(@"(?<![a-zа-я])(?<dir>до|от|up to|under|over|from)\s*(?<n>\d{1,5})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Bound();

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();

    [GeneratedRegex(@"[a-zа-я]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
