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

    public static Info Get(string code) =>
        All.TryGetValue(code, out var i) ? i : throw new ArgumentException($"Unsupported currency '{code}'.", nameof(code));
}
