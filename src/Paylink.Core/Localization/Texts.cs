using System.Globalization;
using System.Resources;

namespace Paylink.Core.Localization;

/// <summary>
/// The one way Paylink words what people read — dashboard, pay page, chat, message templates, assistant replies.
/// The Russian text is written in the code and is the key; other languages live in resources beside this class
/// (Strings.en.resx; one file per language, built into a satellite assembly). A key with no translation falls back to
/// Russian — <c>LocalizationTests</c> fails the build's tests when any text in the code has no English entry.
/// </summary>
public sealed class Texts
{
    private static readonly ResourceManager Resources = new("Paylink.Core.Localization.Strings", typeof(Texts).Assembly);
    private static readonly CultureInfo EnCulture = CultureInfo.GetCultureInfo("en");

    public static readonly Texts Ru = new("ru");
    public static readonly Texts En = new("en");

    /// <summary>The texts of a language code ("en"; anything else is Russian, the default).</summary>
    public static Texts For(string? lang) => lang == "en" ? En : Ru;

    private Texts(string lang) => Lang = lang;

    public string Lang { get; }
    public bool IsEn => Lang == "en";

    /// <summary>The text in this language; <paramref name="ru"/> is the Russian text and the key.</summary>
    public string this[string ru] => IsEn ? Resources.GetString(ru, EnCulture) ?? ru : ru;

    /// <summary>The text where one Russian word has two English ones (Оплачено: "Paid" / "Paid on"), or where two Russian
    /// texts differ only in case («Оплата» / «оплата»: resource names are case-insensitive, so the second needs a context,
    /// "lc"): the English entry is named "<paramref name="context"/>|<paramref name="ru"/>".</summary>
    public string this[string ru, string context] => IsEn ? Resources.GetString(context + "|" + ru, EnCulture) ?? ru : ru;

    /// <summary>A text with {0}, {1}… filled in (the key holds the placeholders; formatted as string interpolation would).</summary>
    public string Format(string ru, params object?[] args) => string.Format(CultureInfo.CurrentCulture, this[ru], args);

    /// <summary>The English text of a key, or null when it has none (for the tests and tools).</summary>
    public static string? English(string ru) => Resources.GetString(ru, EnCulture);
}
