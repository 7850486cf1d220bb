using System.Text.RegularExpressions;
using Paylink.Assistant.Text;

namespace Paylink.Assistant.Matching;

/// <summary>One word of a message or of a catalog name, reduced to what the matcher compares.</summary>
internal readonly record struct Term(string Stem, string? Stripped);

/// <summary>
/// Finds the catalog service a message names. Catalog names and aliases are split into words and stemmed
/// (Russian Snowball); so are the message's words, after known derivations ("подстричься" → стрижка) and,
/// as a second chance, without a diminutive ending ("маникюрчик"). A message word matches a catalog word
/// exactly, as a prefix of it ("маник"), or within a small edit distance (typos: "маникур", "педекюр").
/// Each matched catalog word counts by its rarity in the catalog, so "женская" decides between three
/// haircuts; a name whose words are all matched gets a bonus, so "маникюр" prefers "Маникюр" to
/// "Маникюр + гель-лак". When the two best services score alike the result is ambiguous: no id, and the
/// candidates for the caller to ask about.
/// </summary>
public sealed partial class ServiceMatcher
{
    private const double AmbiguityMargin = 0.15;
    private const double MinScore = 0.75;
    // Well above the ambiguity margin: a number that fits one entry's range decides between names that are otherwise alike.
    private const double QuantityWeight = 0.5;

    private readonly Entry[] _entries;
    // Whether any entry's name carries a size or count; when none does, a message's numbers cannot decide anything.
    private readonly bool _sized;
    private readonly Dictionary<string, double> _idf;
    private readonly string[] _vocabulary;

    // Word → its catalog readings. Customers reuse a small vocabulary, so most words are looked up once;
    // the cache stops growing at a bound so odd input cannot exhaust memory.
    private const int MaxCachedWords = 50_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Stem, double Quality)[]> _readings = new(StringComparer.Ordinal);

    private sealed record Key(string[] Stems, double TotalWeight);
    private sealed record Entry(string Id, string Name, Key[] Keys, Quantities.Range[] Ranges);

    public ServiceMatcher(IEnumerable<(string Id, string Name, IReadOnlyList<string> Aliases)> services)
    {
        var entries = new List<Entry>();
        var groups = new Dictionary<int, HashSet<string>>();
        foreach (var (id, name, aliases) in services)
        {
            var keys = new List<string[]>();
            foreach (var phrase in aliases.Prepend(name))
            {
                var stems = new List<string>();
                var negate = false;
                foreach (Match w in Words(TextNormalizer.Normalize(phrase)))
                {
                    if (ServiceLexicon.Negations.Contains(w.Value)) { negate = true; continue; }
                    if (ServiceLexicon.StopWords.Contains(w.Value)) continue;
                    var stem = Stemmer.Stem(w.Value);
                    foreach (var g in ServiceLexicon.GroupsOf(w.Value))
                        (groups.TryGetValue(g, out var set) ? set : groups[g] = new HashSet<string>(StringComparer.Ordinal)).Add(stem);
                    stems.Add(negate ? Not + stem : stem);
                    negate = false;
                }
                if (stems.Count > 0) keys.Add([.. stems.Distinct()]);
            }
            entries.Add(new Entry(id, name, [.. keys.Select(k => new Key(k, 0))], Quantities.RangesOf(TextNormalizer.Normalize(name))));
        }
        // Rarity of each catalog word across services: 1 + ln(N / number of services using it).
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in entries)
            foreach (var stem in e.Keys.SelectMany(k => k.Stems).Select(Positive).Distinct())
                df[stem] = df.GetValueOrDefault(stem) + 1;
        _idf = df.ToDictionary(p => p.Key, p => 1 + Math.Log((double)Math.Max(entries.Count, 1) / p.Value), StringComparer.Ordinal);
        _entries = [.. entries.Select(e => e with { Keys = [.. e.Keys.Select(k => k with { TotalWeight = k.Stems.Sum(s => _idf[Positive(s)]) })] })];
        _sized = _entries.Any(e => e.Ranges.Length > 0);
        _vocabulary = [.. _idf.Keys];
        _groupStems = groups.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }

    /// <summary>Marks a catalog stem that names an absence ("без покрытия" → "!покрыт").</summary>
    private const string Not = "!";

    private static string Positive(string stem) => stem.StartsWith('!') ? stem[1..] : stem;

    // Concept group → the catalog stems of that group (ServiceLexicon), for words the catalog spells otherwise.
    private readonly Dictionary<int, string[]> _groupStems;

    /// <summary>Result of matching one message: the candidates (best first) and the spans of the words that matched.</summary>
    public sealed record MatchResult(IReadOnlyList<ServiceCandidate> Candidates, string? ServiceId, IReadOnlyList<(int Start, int Length)> Spans);

    /// <summary>Matches the free words of a message; claims the matched words as <c>zsvc</c>.</summary>
    public MatchResult Match(MessageText m)
    {
        // Best quality per catalog stem, and which message words gave it; words after "без"/"without" go to
        // their own table, so "с покрытием" and "без покрытия" pull in opposite directions.
        var best = new Dictionary<string, (double Quality, int Start, int Length)>(StringComparer.Ordinal);
        var absent = new Dictionary<string, (double Quality, int Start, int Length)>(StringComparer.Ordinal);
        var negate = false;
        foreach (Match w in Words(m.Text))
        {
            if (ServiceLexicon.Negations.Contains(w.Value)) { negate = true; continue; }
            if (w.Value.Length < 2 || ServiceLexicon.StopWords.Contains(w.Value) || !m.IsFree(w.Index, w.Length)) { negate = false; continue; }
            var table = negate ? absent : best;
            negate = false;
            foreach (var (stem, quality) in Readings(w.Value))
                if (!table.TryGetValue(stem, out var b) || b.Quality < quality) table[stem] = (quality, w.Index, w.Length);
        }
        if (best.Count == 0) return new MatchResult([], null, []);
        // Free numbers of the message ("колёса 17", "54 квадрата", "двушка"): they choose between entries whose
        // names differ by a size or a count ("R13-R16" / "R17-R19", "до 60 м²" / "60-90 м²", "1-комн." / "2-комн.").
        var quantities = _sized ? Quantities.Of(m) : [];

        var scored = new List<(Entry Entry, double Score, int[] Words)>();
        foreach (var e in _entries)
        {
            var score = 0.0;
            int[] words = [];
            foreach (var key in e.Keys)
            {
                double evidence = 0, against = 0;
                var used = new List<int>();
                foreach (var s in key.Stems)
                {
                    var named = s.StartsWith('!');
                    var stem = named ? s[1..] : s;
                    var (with, without) = named ? (absent, best) : (best, absent);
                    if (with.TryGetValue(stem, out var b)) { evidence += b.Quality * _idf[stem]; used.Add(b.Start); }
                    // The client asked for the opposite of what this name says ("с покрытием" vs "без покрытия").
                    else if (without.TryGetValue(stem, out var o)) against += o.Quality * _idf[stem];
                }
                if (evidence <= 0) continue;
                var keyScore = evidence + 0.5 * evidence / key.TotalWeight - 2 * against;
                if (keyScore > score) { score = keyScore; words = [.. used]; }
            }
            if (score > 0) scored.Add((e, score, words));
        }
        // A number counts only when it fits some named entry: then entries whose range it misses lose and the
        // ones it fits win. A number that fits none ("часов на 7") is not a size and changes nothing.
        if (quantities.Count > 0 && scored.Any(s => Fits(s.Entry, quantities)))
            for (var i = 0; i < scored.Count; i++)
                if (scored[i].Entry.Ranges.Length > 0)
                    scored[i] = scored[i] with { Score = scored[i].Score + (Fits(scored[i].Entry, quantities) ? QuantityWeight : -QuantityWeight) };
        scored.RemoveAll(s => s.Score < MinScore);
        if (scored.Count == 0) return new MatchResult([], null, []);
        scored.Sort((a, b) => b.Score.CompareTo(a.Score));
        var top = scored[0].Score;
        var close = scored.TakeWhile(s => s.Score >= top - AmbiguityMargin).ToList();
        // Close scores on the same words ("стрижку" → three haircuts) are a real ambiguity; close scores on
        // different words ("чай и доставку") are two services named, and the first one named leads.
        var ambiguous = close.Count > 1 && close.Skip(1).Any(c => c.Words.Intersect(close[0].Words).Any());
        if (!ambiguous && close.Count > 1)
        {
            var first = close.MinBy(c => c.Words.Min());
            scored.Remove(first);
            scored.Insert(0, first);
        }
        var leader = scored[0].Score;
        var candidates = (ambiguous ? close : scored).Take(5)
            .Select(s => new ServiceCandidate(s.Entry.Id, s.Entry.Name, Math.Round(Math.Min(1, s.Score / Math.Max(top, leader)), 3))).ToList();
        var spans = best.Values.Concat(absent.Values).Select(b => (b.Start, b.Length)).Distinct().ToList();
        foreach (var (start, length) in spans)
            if (m.IsFree(start, length)) m.Claim(start, length, "zsvc");
        return new MatchResult(candidates, ambiguous ? null : scored[0].Entry.Id, spans);
    }

    private static bool Fits(Entry e, List<double> quantities) => quantities.Any(q => e.Ranges.Any(r => r.Contains(q)));

    private (string Stem, double Quality)[] Readings(string word)
    {
        if (_readings.TryGetValue(word, out var cached)) return cached;
        // Several ways may reach one stem: keep the best.
        var readings = Compare(word).GroupBy(r => r.Stem, StringComparer.Ordinal).Select(g => (g.Key, g.Max(r => r.Quality))).ToArray();
        if (_readings.Count < MaxCachedWords) _readings.TryAdd(word, readings);
        return readings;
    }

    /// <summary>Catalog stems a message word may stand for, with a quality 0..1.</summary>
    private IEnumerable<(string Stem, double Quality)> Compare(string word)
    {
        // Words the lexicon knows stand for every catalog word of their concept group ("ноготочки" → маникюр).
        foreach (var g in ServiceLexicon.GroupsOf(word))
            if (_groupStems.TryGetValue(g, out var stems))
                foreach (var stem in stems) yield return (stem, 0.95);
        var own = Stemmer.Stem(word);
        var stripped = ServiceLexicon.StripDiminutive(word);
        var strippedStem = stripped is null ? null : Stemmer.Stem(stripped);
        if (stripped is not null)
            foreach (var g in ServiceLexicon.GroupsOf(stripped))
                if (_groupStems.TryGetValue(g, out var stems))
                    foreach (var stem in stems) yield return (stem, 0.9);
        foreach (var v in _vocabulary)
        {
            var q = Similarity(own, v);
            if (strippedStem is not null) q = Math.Max(q, 0.95 * Similarity(strippedStem, v));
            if (q > 0) yield return (v, q);
        }
    }

    /// <summary>
    /// 1 for equal stems, 0.85 for a clipped word ("маник" → маникюр) or a longer form of a catalog stem,
    /// 0.8/0.7 for one or two typos (same first letter), else 0.
    /// </summary>
    internal static double Similarity(string m, string c)
    {
        if (m == c) return 1;
        if (m.Length >= 4 && c.Length > m.Length && c.StartsWith(m, StringComparison.Ordinal)) return 0.85;
        if (c.Length >= 5 && m.Length > c.Length && m.StartsWith(c, StringComparison.Ordinal) && m.Length - c.Length <= 3) return 0.85;
        var shorter = Math.Min(m.Length, c.Length);
        if (shorter < 5 || Math.Abs(m.Length - c.Length) > 2 || m[0] != c[0]) return 0;
        var maxDistance = shorter >= 7 ? 2 : 1;
        var d = Distance(m, c, maxDistance);
        return d > maxDistance ? 0 : d == 1 ? 0.8 : 0.7;
    }

    /// <summary>Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), or max+1 when it exceeds <paramref name="max"/>.</summary>
    internal static int Distance(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max) return max + 1;
        if (b.Length > 63) return a.SequenceEqual(b) ? 0 : max + 1;
        Span<int> prev2 = stackalloc int[b.Length + 1];
        Span<int> prev = stackalloc int[b.Length + 1];
        Span<int> cur = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            var rowMin = cur[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = Math.Min(v, prev2[j - 2] + 1);
                cur[j] = v;
                rowMin = Math.Min(rowMin, v);
            }
            if (rowMin > max) return max + 1;
            var spare = prev2;
            prev2 = prev;
            prev = cur;
            cur = spare;
        }
        return Math.Min(prev[b.Length], max + 1);
    }

    private static MatchCollection Words(string normalized) => WordRegex().Matches(normalized);

    [GeneratedRegex(@"[a-zа-я]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordRegex();
}
