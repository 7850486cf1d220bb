using System.Globalization;

namespace Paylink.Core.Common;

/// <summary>
/// Counts, shares and one-decimal figures as people read them: Russian «1 234», «66,7 %», «1,5»; English
/// "1,234", "66.7%", "1.5". Fixed separators (a no-break space in Russian, as <see cref="MoneyFormat"/>), so the
/// output does not depend on the machine's ICU data.
/// </summary>
public static class NumberFormat
{
    private static readonly NumberFormatInfo Ru = new() { NumberGroupSeparator = "\u00A0", NumberDecimalSeparator = ",", NegativeSign = "−" };
    private static readonly NumberFormatInfo En = new() { NumberGroupSeparator = ",", NumberDecimalSeparator = ".", NegativeSign = "−" };

    private static NumberFormatInfo For(string lang) => lang == "en" ? En : Ru;

    /// <summary>A count with thousands grouped: «12 345» / "12,345".</summary>
    public static string Integer(long value, string lang = "ru") => value.ToString("#,0", For(lang));

    /// <summary>At most one decimal, none when whole: «1,5», «2» / "1.5", "2".</summary>
    public static string OneDecimal(double value, string lang = "ru") => value.ToString("#,0.#", For(lang));

    /// <summary>A share 0..1 as a percentage with at most one decimal: «66,7 %» / "66.7%"; null (no data) is «—».</summary>
    public static string Percent(double? share, string lang = "ru") =>
        share is not { } v ? "—" : OneDecimal(v * 100, lang) + (lang == "en" ? "%" : "\u00A0%");
}
