namespace Paylink.Assistant.Matching;

/// <summary>
/// Built-in word knowledge a merchant's catalog cannot be expected to carry, for any kind of small business:
/// groups of words that name one thing in Russian and English, colloquially or formally ("ноготочки",
/// "ногти", "nails" and "маникюр"; "teeth", "зуб" and "стоматолог"), verbs that name a service
/// ("подстричься" → стрижка), diminutive endings ("маникюрчик", "стрижечку") and words that never name a
/// service. A message word found in a group may stand for any catalog word of the same group. This is
/// general vocabulary, not any one merchant's: merchant-specific wording belongs in the catalog's aliases.
/// </summary>
public static class ServiceLexicon
{
    /// <summary>
    /// Concept groups. Each entry is a word prefix: a message word starting with it belongs to the group
    /// (prefixes shorter than 4 letters only for words at most 2 letters longer). Catalog words are looked
    /// up the same way, so a group links every pair of its members.
    /// </summary>
    private static readonly string[][] Groups =
    [
        // beauty
        ["маникюр", "маник", "ногот", "ногт", "ноготоч", "manicur", "mani", "nail"],
        ["педикюр", "педик", "pedicur", "pedi"],
        ["стрижк", "стрижеч", "подстри", "постри", "стричь", "стригу", "стрич", "haircut", "cut", "trim"],
        ["окрашиван", "окрас", "покрас", "подкрас", "краск", "крашен", "colou", "color", "dye", "tint"],
        ["укладк", "уложи", "styling", "blowout", "blow"],
        ["бород", "beard"], ["бритье", "бритьё", "побри", "бритьс", "shave", "shaving"], ["ус", "усы", "mustache", "moustache"],
        ["бров", "brow", "eyebrow"], ["ресниц", "реснич", "lash", "eyelash"],
        ["депиляц", "эпиляц", "шугаринг", "восков", "wax", "sugaring", "epilat", "depilat"],
        ["лиц", "face", "facial"], ["волос", "hair"], ["кожи", "кожа", "skin"],
        ["покрыт", "гель", "шеллак", "gel", "shellac", "polish", "лак"],
        // bodywork and health
        ["массаж", "массир", "помассир", "отмассир", "massag"],
        ["спин", "back"], ["ше", "шеи", "шейн", "neck"], ["ног", "leg", "foot", "feet"], ["тел", "body"],
        ["расслаб", "релакс", "relax"], ["глубок", "deep"], ["спортивн", "sport"], ["антицеллюлит", "cellulit"],
        ["классическ", "classic"], ["тайск", "thai"], ["лимфодренаж", "lymph"], ["лечебн", "medical", "therapeut"],
        ["зуб", "зубик", "зубн", "стоматолог", "tooth", "teeth", "dental", "dentist"],
        ["чистк", "почист", "clean"], ["отбелив", "отбел", "whiten"], ["кариес", "пломб", "caries", "cavit", "filling"],
        ["удален", "удалит", "удалени", "вырв", "extract", "remov"], ["имплант", "implant"], ["брекет", "brace"],
        ["протез", "коронк", "crown", "prosthe"], ["осмотр", "checkup", "check", "exam", "examinat"],
        ["лечен", "лечит", "подлеч", "treat"], ["рентген", "снимок", "x-ray", "xray"], ["детск", "ребен", "ребён", "сын", "доч", "kid", "child", "children"],
        ["врач", "доктор", "doctor"], ["анализ", "test"], ["прием", "приём", "appointment", "visit"],
        // fitness and lessons
        ["трениров", "потренир", "тренир", "трен", "training", "workout", "train"],
        ["персональн", "индивидуальн", "personal", "individual", "private"],
        ["групп", "group"], ["йог", "yoga"], ["пилатес", "pilates"], ["растяжк", "stretch"], ["бокс", "box"],
        ["занят", "урок", "lesson", "class", "session", "сесси", "сеанс"],
        ["английск", "english"], ["немецк", "german"], ["французск", "french"], ["китайск", "chinese"], ["испанск", "spanish"],
        ["математик", "матем", "алгебр", "math"], ["физик", "physic"], ["русск", "russian"], ["химия", "хими", "chemist"],
        ["подготовк", "подготов", "prep", "preparat"], ["огэ", "егэ", "экзамен", "exam"], ["разговорн", "conversation", "speaking"],
        ["пробн", "trial", "intro"],
        // consultations, documents
        ["консультац", "консульт", "проконсульт", "consult", "advice"],
        ["договор", "контракт", "contract", "agreement"], ["проверк", "провер", "разбор", "review", "check", "audit"],
        ["юрист", "юридич", "адвокат", "lawyer", "legal", "attorney"], ["иск", "претензи", "claim", "lawsuit"],
        ["психолог", "терапи", "терапевт", "psycholog", "therap"], ["семейн", "пар", "family", "couple"],
        ["бухгалтер", "отчетн", "отчётн", "декларац", "налог", "account", "tax", "declaration"],
        ["регистрац", "зарегистр", "регистр", "registr"], ["документ", "бумаг", "document", "paper"],
        // pets
        ["собак", "собач", "пес", "пёс", "песик", "пёсик", "щен", "dog", "pupp"], ["кошк", "кот", "кош", "cat", "kitt"],
        ["груминг", "groom"], ["мыть", "мытье", "мытьё", "помы", "купан", "искупа", "wash", "bath"], ["когт", "claw"],
        ["мелк", "маленьк", "small", "mini"], ["средн", "medium"], ["крупн", "больш", "large", "big"],
        // photo and events
        ["фотосесс", "фотосъем", "фотосъём", "фотограф", "фоточ", "фотк", "фото", "photo", "shoot"],
        ["студи", "studio"], ["свадеб", "wedding"], ["портрет", "portrait"], ["семейн", "family"], ["ретуш", "retouch", "edit"],
        ["аренд", "rent", "hire"], ["час", "hour"],
        // shop
        ["свеч", "candle"], ["мыл", "soap"], ["крем", "cream"], ["набор", "set", "kit"], ["подар", "gift", "present"],
        ["сертификат", "certificat", "voucher"], ["доставк", "достав", "deliver", "shipping"], ["самовывоз", "pickup"],
        ["аромат", "scent", "fragran"], ["масл", "oil"], ["шампун", "shampoo"], ["косметик", "cosmetic"],
        // packages and formats
        ["абонемент", "pass", "membership", "subscript"], ["пакет", "package", "bundle"],
        ["онлайн", "дистанц", "удаленн", "удалённ", "зум", "online", "remote", "zoom"], ["очн", "offline", "person"],
        ["мужск", "муж", "men", "man", "male", "gent"], ["женск", "жен", "women", "woman", "female", "lady", "ladies"],
        ["уборк", "убрат", "убор", "clean"], ["генеральн", "general", "deep"], ["окон", "окна", "window"],
        ["квартир", "flat", "apartment"], ["офис", "office"], ["химчистк", "dry"],
        ["экспресс", "express", "quick", "fast"], ["комплекс", "complex", "full"], ["перв", "first"], ["повторн", "repeat", "follow"],
    ];

    private static readonly (string Prefix, int Group)[] Prefixes = BuildPrefixes();

    private static (string, int)[] BuildPrefixes()
    {
        var list = new List<(string, int)>();
        for (var g = 0; g < Groups.Length; g++)
            foreach (var p in Groups[g]) list.Add((p, g));
        // Longest first, so "ноготоч" decides before "ног".
        return [.. list.OrderByDescending(p => p.Item1.Length)];
    }

    /// <summary>
    /// The concept groups a normalised word belongs to: those of the longest prefix it starts with ("ногти"
    /// is nails, not legs), several when groups share that prefix ("check": examination and review). Empty when none.
    /// </summary>
    public static IReadOnlyList<int> GroupsOf(string word)
    {
        List<int>? found = null;
        var length = 0;
        foreach (var (prefix, group) in Prefixes)
        {
            if (prefix.Length < length) break;
            if (!word.StartsWith(prefix, StringComparison.Ordinal) || (prefix.Length < 4 && word.Length > prefix.Length + 2)) continue;
            length = prefix.Length;
            (found ??= []).Add(group);
        }
        return found ?? (IReadOnlyList<int>)[];
    }

    /// <summary>Diminutive and affectionate endings, longest first: "маникюрчик" → "маникюр", "бровки" → "бров".</summary>
    private static readonly string[] Diminutives =
    [
        "чиками", "чиком", "чиков", "чики", "чика", "чику", "чик",
        "ечками", "ечки", "ечку", "ечка", "ечек", "очками", "очки", "очку", "очка", "очек",
        "ишку", "ишка", "ушку", "ушка", "оньку", "онька", "еньку", "енька",
        "ики", "ика", "ику", "ик", "ки", "ку", "ка",
    ];

    /// <summary>Words that turn the next word into its absence: "без покрытия", "without gel", "no beard".</summary>
    public static readonly IReadOnlySet<string> Negations = new HashSet<string>(StringComparer.Ordinal) { "без", "безо", "without", "no", "кроме" };

    /// <summary>Words that never name a service (prepositions, pronouns, request verbs, time words): no fuzzy matching for them.</summary>
    public static readonly IReadOnlySet<string> StopWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "и", "а", "в", "во", "на", "с", "со", "к", "ко", "по", "за", "из", "от", "до", "для", "у", "о", "об", "при", "без", "безо", "или", "не", "ни", "но",
        "я", "мне", "меня", "мы", "нам", "нас", "вы", "вам", "вас", "мой", "моя", "мою", "мое", "мои", "моей", "моего", "ваш", "вашу",
        "это", "этот", "эту", "тот", "там", "тут", "здесь", "как", "так", "что", "чтобы", "где", "когда", "какой", "какая", "какие",
        "хочу", "хочется", "хотела", "хотел", "хотим", "можно", "нужно", "надо", "нужен", "нужна", "пожалуйста", "плиз", "спасибо",
        "записаться", "запишите", "записать", "запись", "записи", "записывайте", "сколько", "стоит", "стоимость", "цена", "прайс",
        "оплатить", "оплата", "оплачу", "отменить", "отмените", "перенести", "перенесите", "вернуть", "верните",
        "да", "нет", "ок", "привет", "здравствуйте", "добрый", "день", "вечер", "утро", "еще", "уже", "тоже", "также", "бы", "ли", "же",
        "the", "a", "an", "to", "for", "on", "at", "in", "of", "and", "or", "my", "me", "i", "is", "it", "how", "much", "book", "want", "please", "can",
        "with", "without", "no", "get", "have", "do", "does", "like", "would", "need", "some", "your", "you", "this", "that", "is", "are", "am", "pm",
        "сегодня", "завтра", "послезавтра", "утром", "вечером", "днем", "часов", "часа", "час", "неделе", "неделю", "hour", "hours",
        "оформите", "оформить", "оформи", "проверьте", "проверить", "работаете", "работают", "работает", "работаю", "пришлите", "скиньте",
        "после", "перед", "через", "около", "возле", "after", "before", "about", "around",
        "кроме", "только", "просто", "очень", "самый", "самое", "самая", "нибудь", "какую", "какое", "свободно", "свободное", "время",
    };

    /// <summary>The word without a diminutive ending, or null when it has none (the rest must keep at least 4 letters).</summary>
    public static string? StripDiminutive(string word)
    {
        foreach (var suffix in Diminutives)
            if (word.Length - suffix.Length >= 4 && word.EndsWith(suffix, StringComparison.Ordinal)) return word[..^suffix.Length];
        return null;
    }
}
