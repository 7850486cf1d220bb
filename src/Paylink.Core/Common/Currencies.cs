using System.Collections.Frozen;

namespace Paylink.Core.Common;

/// <summary>ISO 4217 currencies Paylink accepts, with their minor-unit exponent and display symbol.</summary>
public static class Currencies
{
    public sealed record Info(string Code, int Exponent, string Symbol);

    private static readonly FrozenDictionary<string, Info> All = new Info[]
    {
        new("RUB", 2, "₽"), new("USD", 2, "$"), new("EUR", 2, "€"), new("GBP", 2, "£"),
        new("KZT", 2, "₸"), new("BYN", 2, "Br"), new("UZS", 2, "сўм"), new("AMD", 2, "֏"),
        new("GEL", 2, "₾"), new("KGS", 2, "сом"), new("CNY", 2, "¥"), new("TRY", 2, "₺"),
        new("AED", 2, "AED"), new("JPY", 0, "¥"),
    }.ToFrozenDictionary(i => i.Code, StringComparer.Ordinal);

    public static IEnumerable<string> Codes => All.Keys;

    public static bool TryGet(string? code, out Info info)
    {
        if (code is not null && All.TryGetValue(code, out var found)) { info = found; return true; }
        info = null!;
        return false;
    }

    public static bool IsSupported(string? code) => code is not null && All.ContainsKey(code);

    /// <summary>Minor units per major unit: 100 for RUB, 1 for JPY; 100 for a currency not in the list.</summary>
    public static long MinorPerMajor(string? code) => TryGet(code, out var i) ? (long)Math.Pow(10, i.Exponent) : 100;

    /// <summary>A major-unit amount from an external system (1500.50 ₽) in minor units, rounding half away from zero.</summary>
    public static long ToMinor(decimal major, string? code) =>
        (long)Math.Round(major * MinorPerMajor(code), MidpointRounding.AwayFromZero);

    /// <summary>Minor units as a major-unit amount for an external system (150050 → 1500.50).</summary>
    public static decimal ToMajor(long minor, string? code) => (decimal)minor / MinorPerMajor(code);

    public static Info Get(string code) =>
        All.TryGetValue(code, out var i) ? i : throw new ArgumentException($"Unsupported currency '{code}'.", nameof(code));
}
