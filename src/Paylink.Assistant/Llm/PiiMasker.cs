using System.Text.RegularExpressions;

namespace Paylink.Assistant.Llm;

/// <summary>
/// Removes personal data from a message before it leaves the process for a language model: e-mail
/// addresses, phone and card numbers, the customer's known names and names introduced in the text
/// ("меня зовут Анна", "my name is John"). The model does not need them: contacts are extracted by the
/// rules, and intent, service, date and amount do not depend on who writes.
/// </summary>
public static partial class PiiMasker
{
    public const string Email = "[email]";
    public const string Phone = "[phone]";
    public const string Card = "[card]";
    public const string Name = "[name]";

    public static string Mask(string text, IEnumerable<string>? knownNames = null)
    {
        text = EmailRegex().Replace(text, Email);
        text = LongNumberRegex().Replace(text, m =>
        {
            var digits = m.Value.Count(char.IsAsciiDigit);
            return digits >= 13 && !m.Value.Contains('+') ? Card : digits >= 10 ? Phone : m.Value;
        });
        text = IntroducedNameRegex().Replace(text, m => m.Groups["intro"].Value + Name);
        foreach (var name in knownNames ?? [])
        {
            foreach (var part in name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (part.Length < 2) continue;
                // Whole words only, any case: "анна", "Анна", "АННА" (inflected forms keep their stem: "Анны" → "[name]ы" is still masked enough).
                text = Regex.Replace(text, $@"(?<!\p{{L}}){Regex.Escape(part)}", Name, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
            }
        }
        return text;
    }

    [GeneratedRegex(@"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex EmailRegex();

    // Digits with the usual separators; the caller decides by the digit count (10+ phone, 13+ without + a card).
    [GeneratedRegex(@"\+?\d[\d\s\-().]{7,30}\d", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LongNumberRegex();

    [GeneratedRegex(@"(?<intro>\b(?:[Мм]еня зовут|[Зз]овут меня|[Мм]оё имя|[Мм]ое имя|[Mm]y name is|[Tt]his is|I am|I'm|[Ээ]то|[Яя])\s+)\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex IntroducedNameRegex();
}
