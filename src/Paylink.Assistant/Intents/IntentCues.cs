using System.Text;
using System.Text.RegularExpressions;

namespace Paylink.Assistant.Intents;

/// <summary>
/// Word-stem cues for each intent ("отмен", "перенес", "верн", "оплат", "сколько стоит"...), added to the
/// model text as extra tokens (<c>qcancel</c>, <c>qmove</c>...). A linear model over n-grams alone learns the
/// phrasings it has seen; these cues carry the knowledge that any sentence with "отмените" leans to cancel,
/// so wording never seen in training still lands well. The model still weighs them against everything else
/// ("не смогу прийти, перенесите" has both a cancel and a reschedule cue). Key stems also match with one
/// typo ("оменить", "перенсите", "благдарю"), since customers type fast.
/// </summary>
public static partial class IntentCues
{
    /// <summary>Stems that signal an intent even when mistyped once (same first letter, edit distance 1 from 5 letters).</summary>
    private static readonly (string Token, string[] Stems)[] FuzzyStems =
    [
        ("qcancel", ["отмен", "отменя", "cancel"]),
        ("qmove", ["перенес", "перенос", "перенест", "перезапис", "перезапиш", "сдвин", "передвин", "перестав", "reschedul", "измени"]),
        ("qrefund", ["вернит", "вернуть", "вернут", "возврат", "refund"]),
        ("qpay", ["оплат", "оплач", "заплат", "реквизит", "перевел", "перевела", "перевод", "предоплат", "ссылк", "payment"]),
        ("qprice", ["стоит", "стоимост", "прайс", "почем", "расценк", "price"]),
        ("qbook", ["запиш", "записат", "заброн", "окошк", "закаж", "заказат", "заказ"]),
        ("qyes", ["соглас", "подтвержд", "давайте", "хорошо", "отлично", "годится", "договорил"]),
        ("qno", ["неудобн", "откаж", "отказ"]),
        ("qhello", ["привет", "здравств"]),
        ("qthanks", ["спасиб", "благодар"]),
    ];

    private static readonly (Regex Pattern, string Token)[] Cues =
    [
        (Cancel(), "qcancel"),
        (Move(), "qmove"),
        (Refund(), "qrefund"),
        (Pay(), "qpay"),
        (Price(), "qprice"),
        (Book(), "qbook"),
        (Yes(), "qyes"),
        (No(), "qno"),
        (Hello(), "qhello"),
        (Thanks(), "qthanks"),
        (Question(), "qquestion"),
        (Info(), "qinfo"),
        (Status(), "qstatus"),
    ];

    /// <summary>Greeting and parting words, matched with one typo ("дброе", "здрсте", "хоршоего").</summary>
    private static readonly string[] GreetingStems = ["привет", "здравств", "здрасте", "здрасьте", "доброе", "добрый", "доброго", "хорошего", "спасиб", "благодар"];

    /// <summary>Whether a model text (see <see cref="Append"/>) carries a hello or thanks cue, or a greeting word with a typo.</summary>
    public static bool HasGreetingCue(string modelText)
    {
        if (modelText.Contains(" qhello", StringComparison.Ordinal) || modelText.Contains(" qthanks", StringComparison.Ordinal)) return true;
        foreach (Match w in WordRegex().Matches(modelText))
            if (GreetingStems.Any(stem => StemMatches(w.Value, stem))) return true;
        return false;
    }

    /// <summary>Appends the cue tokens found in a normalised message to <paramref name="sb"/>.</summary>
    public static void Append(string normalized, StringBuilder sb)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (pattern, token) in Cues)
            if (pattern.IsMatch(normalized)) found.Add(token);
        foreach (Match w in WordRegex().Matches(normalized))
            foreach (var token in WordCues(w.Value))
                found.Add(token);
        foreach (var (_, token) in Cues) if (found.Remove(token)) sb.Append(' ').Append(token);
        foreach (var token in found.Order(StringComparer.Ordinal)) sb.Append(' ').Append(token);
        var words = WordCount(normalized);
        sb.Append(words <= 2 ? " qshort" : words <= 5 ? " qmedium" : " qlong");
    }

    private const int MaxCachedWords = 50_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> CuesByWord = new(StringComparer.Ordinal);

    /// <summary>Cue tokens one word carries, cached: the fuzzy comparison is the costly part and words repeat.</summary>
    private static string[] WordCues(string word)
    {
        if (CuesByWord.TryGetValue(word, out var cached)) return cached;
        var tokens = FuzzyStems.Where(c => c.Stems.Any(stem => StemMatches(word, stem))).Select(c => c.Token).ToArray();
        if (CuesByWord.Count < MaxCachedWords) CuesByWord.TryAdd(word, tokens);
        return tokens;
    }

    /// <summary>The word starts with the stem, or with the stem mistyped once (for stems of 5+ letters, same first letter).</summary>
    internal static bool StemMatches(string word, string stem)
    {
        if (word.StartsWith(stem, StringComparison.Ordinal)) return true;
        if (stem.Length < 5 || word.Length < stem.Length - 1 || word[0] != stem[0]) return false;
        for (var len = stem.Length - 1; len <= Math.Min(word.Length, stem.Length + 1); len++)
            if (Matching.ServiceMatcher.Distance(word.AsSpan(0, len), stem, 1) <= 1) return true;
        return false;
    }

    [GeneratedRegex(@"[a-zа-я]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordRegex();

    private static int WordCount(string s)
    {
        var n = 0;
        var inWord = false;
        foreach (var c in s)
        {
            var letter = char.IsLetterOrDigit(c);
            if (letter && !inWord) n++;
            inWord = letter;
        }
        return n;
    }

    [GeneratedRegex(@"отмен|отмeн|\bcancel|снимите бронь|сним[иа]те меня|уберите меня|удалите запись|отпиш|не (смогу|получится|приду|успею) прийти|\bне приду\b|передумал", RegexOptions.CultureInvariant)]
    private static partial Regex Cancel();

    [GeneratedRegex(@"перен[еоі]с|перенест|перезапис|перезапиш|сдвин|подвин|передвин|переставь|перестав|поменя\w* (врем|дат|день)|измени\w* (врем|дат)|друг(ой|ое|ую) (день|врем|дат)|попозже|пораньше|вместо|\bmove\b|reschedul|change the (time|date)|another (day|time)", RegexOptions.CultureInvariant)]
    private static partial Regex Move();

    [GeneratedRegex(@"верн(ите|уть|ете|и\b|ул|ут|ёт|ет)|вернут|возврат|возвращ|деньги назад|назад деньги|списал|refund|money back|chargeback", RegexOptions.CultureInvariant)]
    private static partial Regex Refund();

    [GeneratedRegex(@"оплат|оплач|заплат|плат[иь]|\bплачу|ссылк|сч[её]т\b|счет на|реквизит|перев[её]л|перевела|перевести|скинул|\bкарт(ой|у|е)\b|сбп|\bчек\b|предоплат|\bpay|\bpaid|payment|invoice|\blink\b", RegexOptions.CultureInvariant)]
    private static partial Regex Pay();

    [GeneratedRegex(@"сколько\s+(стоит|будет|берет|берете|за|денег|у вас стоит|сейчас стоит)|стоит\b|стоимост|\bцен[аыуеой]|прайс|почем|по чем|обойд[её]тся|расценк|\bprice|how much|\bcost", RegexOptions.CultureInvariant)]
    private static partial Regex Price();

    [GeneratedRegex(@"запиш|записат|записа|запись на|заброн|бронь|окошк|окно|свободн|места|слот|хочу на|хочу к вам|приду на|хочу прийти|заказ|закаж|куп(ить|лю)|беру\b|отложите|оформите|\bbook|\bslot|\bappointment|\border\b|i want|i'd like", RegexOptions.CultureInvariant)]
    private static partial Regex Book();

    [GeneratedRegex(@"^\W*(да|ага|угу|ок|окей|okay|ok|хорошо|отлично|супер|давайте|давай|годится|ид[её]т|подходит|подойдет|согласн|подтвержд|конечно|принято|договорились|го|норм|yes|yep|sure|perfect|sounds good|fine)\b|\bда\b.*(подходит|удобно|записывайте|верно)|подтверждаю", RegexOptions.CultureInvariant)]
    private static partial Regex Yes();

    [GeneratedRegex(@"^\W*(нет|неа|не-а|не\b|no\b|nope)|не подходит|неудобно|не удобно|откаж|отказ|не надо|не нужно|не интересно|не хочу|не могу|не получится|doesn'?t work|no thanks", RegexOptions.CultureInvariant)]
    private static partial Regex No();

    [GeneratedRegex(@"привет|здравств|здрасте|здравствуй|добр(ый|ое|ого) (день|утро|утра|вечер|дня)|доброе утро|\bhi\b|\bhello\b|\bhey\b|good (morning|afternoon|evening)|алло", RegexOptions.CultureInvariant)]
    private static partial Regex Hello();

    [GeneratedRegex(@"спасиб|благодар|хорошего дня|всего доброго|thank|thanks|понравилось|было круто", RegexOptions.CultureInvariant)]
    private static partial Regex Thanks();

    [GeneratedRegex(@"\?|^(где|как|какой|какая|какие|когда|есть ли|можно ли|нужно ли|что|почему|зачем|сколько|до скольки|вы )|\b(where|what|when|do you|is there|are you)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Question();

    [GeneratedRegex(@"видите|дошл[аио]|дошёл|дошел|пришл[аи] (ли )?(оплат|деньг)|получили|прошл[аи]\b|прошла ли|списал|в силе|подтвержден|подтверждена|статус|я оплатил|я оплатила|уже оплатил|оплатил[аи]?\b|перевел[аи]?\b|did you get|went through|is my booking|i (have )?paid|payment done", RegexOptions.CultureInvariant)]
    private static partial Regex Status();

    [GeneratedRegex(@"адрес|находитесь|проехать|парковк|вайфай|wi-?fi|часы работы|до скольки|работаете|работает|с собакой|с ребенком|ребенка|документ|справк|омс|дмс|аллерги|натощак|результат|длится|по времени|долго|сколько времени|что входит|подготов|больно|how long|included|взять с собой|самовывоз|упаковать|из чего|администратор|с человеком|оператор|\bparking|opening hours|address|where are you", RegexOptions.CultureInvariant)]
    private static partial Regex Info();
}
