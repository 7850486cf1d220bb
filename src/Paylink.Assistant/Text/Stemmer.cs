using Lucene.Net.Tartarus.Snowball.Ext;

namespace Paylink.Assistant.Text;

/// <summary>
/// Snowball stemmers (Russian for Cyrillic words, English for Latin ones) from Lucene.Net.
/// Lucene's stemmers keep state, so each thread gets its own pair.
/// </summary>
public static class Stemmer
{
    [ThreadStatic] private static RussianStemmer? _russian;
    [ThreadStatic] private static EnglishStemmer? _english;

    /// <summary>Stems one normalised (lowercase, ё→е) word.</summary>
    public static string Stem(string word)
    {
        if (word.Length < 3) return word;
        if (TextNormalizer.IsCyrillic(word[0]))
        {
            var st = _russian ??= new RussianStemmer();
            st.SetCurrent(word);
            st.Stem();
            return st.Current;
        }
        if (word[0] is >= 'a' and <= 'z')
        {
            var st = _english ??= new EnglishStemmer();
            st.SetCurrent(word);
            st.Stem();
            return st.Current;
        }
        return word;
    }
}
