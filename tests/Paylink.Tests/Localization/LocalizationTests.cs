using System.Text.RegularExpressions;
using Paylink.Core.Localization;

namespace Paylink.Tests.Localization;

/// <summary>
/// Every text people read goes through <see cref="Texts"/> with the Russian in the code; these tests read the sources and
/// fail when a text has no English entry, when the English drops or adds a {0} placeholder, or when an entry is no longer used.
/// </summary>
public sealed partial class LocalizationTests
{
    // T["…"], T["…", "context"], T.Format("…", …) — also c.T[…] and @T[…] in Razor. Keys are regular C# literals.
    [GeneratedRegex("""(?:\bT|\bTexts\.For\([^()]*\)|\bTexts\.(?:Ru|En))(?:\[|\.Format\()\s*"((?:[^"\\]|\\.)*)"(?:\s*,\s*"((?:[^"\\]|\\.)*)"\s*\])?""")]
    private static partial Regex Use();

    [GeneratedRegex(@"\{(\d+)(?::[^}]*)?\}")]
    private static partial Regex Placeholder();

    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Paylink.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Paylink.slnx not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<(string File, int Line, string Key)> Uses()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.*", SearchOption.AllDirectories)
                     .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
                                 && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (Match m in Use().Matches(text))
            {
                var key = Regex.Unescape(m.Groups[1].Value);
                if (m.Groups[2].Success) key = Regex.Unescape(m.Groups[2].Value) + "|" + key;
                yield return (Path.GetRelativePath(Root, file), text.AsSpan(0, m.Index).Count('\n') + 1, key);
            }
        }
    }

    [Fact]
    public void TheSourcesUseTexts() => Assert.True(Uses().Count() > 100, "the scan found almost no texts: is the pattern still right?");

    [Fact]
    public void EveryTextInTheCode_HasEnglish()
    {
        var missing = Uses().Where(u => Texts.English(u.Key) is null).Select(u => $"{u.File}:{u.Line}: {u.Key}").Distinct().ToList();
        Assert.True(missing.Count == 0, "No English in Paylink.Core/Localization/Strings.en.resx for:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void English_KeepsThePlaceholders()
    {
        var wrong = new List<string>();
        foreach (var key in Uses().Select(u => u.Key).Distinct())
        {
            var en = Texts.English(key);
            if (en is null) continue;
            var ru = key.Contains('|', StringComparison.Ordinal) ? key[(key.IndexOf('|', StringComparison.Ordinal) + 1)..] : key;
            // English may leave out a Russian-only argument (a plural form: «в нём {0} {1}» -> "it has {0} digits"), never add one.
            static HashSet<string> Set(string s) => Placeholder().Matches(s).Select(m => m.Groups[1].Value).ToHashSet();
            if (!Set(en).IsSubsetOf(Set(ru)) || Set(en).Count == 0 && Set(ru).Count > 0) wrong.Add($"{key} -> {en}");
        }
        Assert.True(wrong.Count == 0, "The English has other placeholders than the Russian:\n" + string.Join('\n', wrong));
    }

    [Fact]
    public void EveryEnglishEntry_IsUsed()
    {
        var used = Uses().Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        // The message templates' built-in texts are looked up by value (TemplateEvents.Defaults), not by a literal T["…"].
        foreach (var d in Paylink.Core.Messaging.TemplateEvents.Defaults.Values) used.Add(d);
        var doc = System.Xml.Linq.XDocument.Load(Path.Combine(Root, "src/Paylink.Core/Localization/Strings.en.resx"));
        var stale = doc.Root!.Elements("data").Select(d => (string)d.Attribute("name")!).Where(n => !used.Contains(n)).ToList();
        Assert.True(stale.Count == 0, "Entries no code uses (remove them from Strings.en.resx):\n" + string.Join('\n', stale));
    }

    [Fact]
    public void Russian_IsTheKey_EnglishComesFromTheResources()
    {
        Assert.Equal("Оплата", Texts.Ru["Оплата"]);
        Assert.Equal("Payment", Texts.En["Оплата"]);
        Assert.Equal("Paid on", Texts.En["Оплачено", "paid-on"]);
        Assert.Equal("Оплачено", Texts.Ru["Оплачено", "paid-on"]);
        Assert.Equal("Pay 5 ₽", Texts.En.Format("Оплатить {0}", "5 ₽"));
        // A text nobody translated falls back to Russian (the tests above keep the code from having one).
        Assert.Equal("нет такого текста", Texts.En["нет такого текста"]);
    }
}
