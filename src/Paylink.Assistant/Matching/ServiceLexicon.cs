namespace Paylink.Assistant.Matching;

/// <summary>
/// Small built-in word knowledge the catalog cannot be expected to carry: verbs that name a service
/// ("подстричься" → стрижка), English service words for Russian catalogs ("manicure" → маникюр),
/// diminutive suffixes ("маникюрчик", "стрижечку") and words that never name a service.
/// Merchant-specific wording belongs in the catalog's aliases instead.
/// </summary>
public static class ServiceLexicon
{
    /// <summary>Word prefix → the noun it stands for. Checked in order; the first prefix that matches wins.</summary>
    private static readonly (string Prefix, string Noun)[] Derivations =
    [
        ("подстри", "стрижка"), ("постри", "стрижка"), ("стричь", "стрижка"), ("стригу", "стрижка"), ("стрич", "стрижка"),
        ("покрас", "окрашивание"), ("окрас", "окрашивание"), ("подкрас", "окрашивание"),
        ("проконсульт", "консультация"), ("консульт", "консультация"),
        ("потренир", "тренировка"), ("трениров", "тренировка"),
        ("помассир", "массаж"), ("отмассир", "массаж"),
        ("побри", "бритье"), ("бритьс", "бритье"),
        ("haircut", "стрижка"), ("hair cut", "стрижка"), ("trim", "стрижка"),
        ("manicur", "маникюр"), ("mani", "маникюр"), ("nails", "маникюр"), ("gel", "гель"), ("shellac", "шеллак"),
        ("pedicur", "педикюр"), ("pedi", "педикюр"),
        ("massag", "массаж"), ("consult", "консультация"), ("workout", "тренировка"), ("training", "тренировка"),
        ("colou", "окрашивание"), ("coloring", "окрашивание"), ("dye", "окрашивание"),
    ];

    /// <summary>Diminutive and affectionate endings, longest first: "маникюрчик" → "маникюр", "бровки" → "бров".</summary>
    private static readonly string[] Diminutives =
    [
        "чиками", "чиком", "чиков", "чики", "чика", "чику", "чик",
        "ечками", "ечки", "ечку", "ечка", "ечек", "очками", "очки", "очку", "очка", "очек",
        "ишку", "ишка", "ушку", "ушка", "оньку", "онька", "еньку", "енька",
        "ики", "ика", "ику", "ик", "ки", "ку", "ка",
    ];

    /// <summary>Words that are never a service (prepositions, pronouns, request verbs, time words): no fuzzy matching for them.</summary>
    public static readonly IReadOnlySet<string> StopWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "и", "а", "в", "во", "на", "с", "со", "к", "ко", "по", "за", "из", "от", "до", "для", "у", "о", "об", "при", "без", "или", "не", "ни", "но",
        "я", "мне", "меня", "мы", "нам", "нас", "вы", "вам", "вас", "мой", "моя", "мою", "мое", "мои", "моей", "моего", "мое", "ваш", "вашу",
        "это", "этот", "эту", "тот", "там", "тут", "здесь", "как", "так", "что", "чтобы", "где", "когда", "какой", "какая", "какие",
        "хочу", "хочется", "хотела", "хотел", "хотим", "можно", "нужно", "надо", "нужен", "нужна", "пожалуйста", "плиз", "спасибо",
        "записаться", "запишите", "записать", "запись", "записи", "записывайте", "сколько", "стоит", "стоимость", "цена", "прайс",
        "оплатить", "оплата", "оплачу", "отменить", "отмените", "перенести", "перенесите", "вернуть", "верните",
        "да", "нет", "ок", "привет", "здравствуйте", "добрый", "день", "вечер", "утро", "еще", "уже", "тоже", "также", "бы", "ли", "же",
        "the", "a", "an", "to", "for", "on", "at", "in", "of", "and", "or", "my", "me", "i", "is", "it", "how", "much", "book", "want", "please", "can",
        "сегодня", "завтра", "послезавтра", "утром", "вечером", "днем", "часов", "часа", "час", "неделе", "неделю",
        "оформите", "оформить", "оформи", "проверьте", "проверить", "работаете", "работают", "работает", "работаю", "пришлите", "скиньте",
    };

    /// <summary>The noun a word stands for when it is a known derivation or English equivalent, else null.</summary>
    public static string? Derive(string word)
    {
        foreach (var (prefix, noun) in Derivations)
            if (word.StartsWith(prefix, StringComparison.Ordinal) && (prefix.Length >= 4 || word.Length <= prefix.Length + 2)) return noun;
        return null;
    }

    /// <summary>The word without a diminutive ending, or null when it has none (the rest must keep at least 4 letters).</summary>
    public static string? StripDiminutive(string word)
    {
        foreach (var suffix in Diminutives)
            if (word.Length - suffix.Length >= 4 && word.EndsWith(suffix, StringComparison.Ordinal)) return word[..^suffix.Length];
        return null;
    }
}
