using System.Text.RegularExpressions;
using Paylink.Assistant.Text;

namespace Paylink.Assistant.Matching;

/// <summary>
/// Finds the staff member a message asks for ("к Анне", "у Игоря", "with Anna", "к Анечке") among the names
/// the catalog lists. A name matches in any Russian case (the stem without its last vowel, soft sign or й
/// plus a short ending), by a common diminutive (Аня, Катя, Саша…), or in Latin transliteration. The name's
/// words are claimed (<c>zstaff</c>) so they are not read as a service.
/// </summary>
public sealed partial class StaffMatcher
{
    private readonly (string Name, string[] Forms)[] _staff;

    public StaffMatcher(IEnumerable<string> names)
    {
        _staff = [.. names.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(n => (n.Trim(), Forms(TextNormalizer.Normalize(n.Trim()))))];
    }

    public bool IsEmpty => _staff.Length == 0;

    /// <summary>The staff name (as the catalog spells it) the message asks for, or null; claims its words.</summary>
    public string? Match(MessageText m)
    {
        if (_staff.Length == 0) return null;
        foreach (Match w in WordRegex().Matches(m.Text))
        {
            if (w.Length < 2 || !m.IsFree(w.Index, w.Length)) continue;
            var word = TextNormalizer.IsCyrillic(w.Value[0]) ? w.Value : Transliterate(w.Value);
            foreach (var (name, forms) in _staff)
                if (forms.Any(f => Fits(word, f)))
                {
                    m.Claim(w.Index, w.Length, "zstaff");
                    return name;
                }
        }
        return null;
    }

    /// <summary>A word is a form of a name base: the base plus at most three letters of ending ("анн" + "ой", "натал" + "ье").</summary>
    private static bool Fits(string word, string @base) =>
        word.StartsWith(@base, StringComparison.Ordinal) && word.Length - @base.Length <= 3
        && (word.Length == @base.Length || Endings.Contains(word[@base.Length..]));

    private static readonly HashSet<string> Endings = new(StringComparer.Ordinal)
    {
        "а", "я", "е", "у", "ю", "ы", "и", "ой", "ей", "ом", "ем", "ем", "ь", "й", "ию", "ии", "ия", "ие", "ей", "ой", "ою", "ею",
        "ья", "ье", "ью", "ьи", "ьей", "ьею", "ечка", "ечке", "ечку", "ечкой", "очка", "очке", "очку", "ушка", "ушке", "ушку", "ик", "ику", "ика",
    };

    private static string[] Forms(string name)
    {
        var first = WordRegex().Match(name).Value;
        if (first.Length == 0) return [];
        if (!TextNormalizer.IsCyrillic(first[0])) first = Transliterate(first);
        var forms = new List<string> { Base(first) };
        foreach (var (full, shorts) in Diminutives)
            if (full == first)
                forms.AddRange(shorts.Select(Base));
        return [.. forms.Where(f => f.Length >= 2).Distinct()];
    }

    /// <summary>The unchanging part of a name: without its final vowel, soft sign or й ("анна" → "анн", "игорь" → "игор").</summary>
    private static string Base(string name)
    {
        var end = name.Length;
        while (end > 2 && "аяеоьйи".Contains(name[end - 1])) end--;
        return name[..end];
    }

    private static readonly (string Full, string[] Short)[] Diminutives =
    [
        ("анна", ["аня", "анечка", "анюта", "нюра"]), ("мария", ["маша", "машенька"]), ("екатерина", ["катя", "катюша"]),
        ("елена", ["лена", "леночка"]), ("ольга", ["оля", "оленька"]), ("наталья", ["наташа"]), ("наталия", ["наташа"]),
        ("татьяна", ["таня", "танечка"]), ("юлия", ["юля"]), ("александра", ["саша"]), ("александр", ["саша", "шура"]),
        ("дмитрий", ["дима"]), ("сергей", ["сережа"]), ("алексей", ["леша", "алеша"]), ("михаил", ["миша"]), ("иван", ["ваня"]),
        ("евгений", ["женя"]), ("евгения", ["женя"]), ("светлана", ["света"]), ("ирина", ["ира"]), ("ксения", ["ксюша"]),
        ("анастасия", ["настя"]), ("виктория", ["вика"]), ("дарья", ["даша"]), ("владимир", ["вова", "володя"]),
        ("николай", ["коля"]), ("павел", ["паша"]), ("максим", ["макс"]), ("константин", ["костя"]), ("полина", ["поля"]),
        ("валентина", ["валя"]), ("галина", ["галя"]), ("людмила", ["люда"]), ("надежда", ["надя"]), ("любовь", ["люба"]),
        ("григорий", ["гриша"]), ("борис", ["боря"]), ("станислав", ["стас"]), ("вячеслав", ["слава"]), ("роман", ["рома"]),
        ("андрей", ["андрюша"]), ("елизавета", ["лиза"]), ("софия", ["соня"]), ("софья", ["соня"]), ("вероника", ["ника"]),
        ("кирилл", ["кирюша"]), ("илья", ["илюша"]), ("артем", ["тема"]), ("маргарита", ["рита"]), ("валерия", ["лера"]),
        ("владислав", ["влад"]), ("георгий", ["жора", "гоша"]), ("антон", ["антоша"]), ("денис", ["дэн"]), ("олеся", ["леся"]),
    ];

    private static readonly (string Latin, string Cyrillic)[] Translit =
    [
        ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("ya", "я"), ("yo", "е"),
        ("iy", "ий"), ("ey", "ей"), ("a", "а"), ("b", "б"), ("v", "в"), ("w", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
        ("y", "ы"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"),
        ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"), ("j", "й"), ("q", "к"), ("x", "кс"),
    ];

    /// <summary>Latin spelling of a Russian name in Cyrillic ("anna" → "анна", "olga" → "олга" ~ base "олг").</summary>
    private static string Transliterate(string latin)
    {
        var sb = new System.Text.StringBuilder(latin.Length);
        for (var i = 0; i < latin.Length;)
        {
            var hit = false;
            foreach (var (l, c) in Translit)
                if (string.CompareOrdinal(latin, i, l, 0, l.Length) == 0) { sb.Append(c); i += l.Length; hit = true; break; }
            if (!hit) sb.Append(latin[i++]);
        }
        // "olga" → "олга": Russian writes a soft sign there; the base comparison ignores it either way.
        return sb.ToString().Replace("лг", "льг", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"[a-zа-я]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordRegex();
}
