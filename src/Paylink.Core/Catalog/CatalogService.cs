using Paylink.Core.Common;

namespace Paylink.Core.Catalog;

/// <summary>A service or product a merchant sells, identified by a slug unique within the merchant.</summary>
public sealed class CatalogService : IMerchantOwned
{
    private CatalogService() { }

    public string MerchantId { get; private set; } = "";
    public string Id { get; private set; } = "";
    public string Name { get; private set; } = "";
    public long PriceMinor { get; private set; }
    public string Currency { get; private set; } = "RUB";
    public int? DurationMinutes { get; private set; }
    public List<string> Aliases { get; private set; } = [];
    /// <summary>The people who do the service, as clients name them ("Анна"); each keeps their own schedule.</summary>
    public List<string> Staff { get; private set; } = [];

    public Money Price => new(PriceMinor, Currency);

    public static CatalogService Create(string merchantId, string id, string name, long priceMinor, string currency,
        int? durationMinutes, IEnumerable<string>? aliases, IEnumerable<string>? staff = null) => new()
        {
            MerchantId = merchantId, Id = id, Name = name, PriceMinor = priceMinor, Currency = currency,
            DurationMinutes = durationMinutes, Aliases = aliases?.ToList() ?? [], Staff = Names(staff),
        };

    public void Update(string name, long priceMinor, string currency, int? durationMinutes, IEnumerable<string>? aliases, IEnumerable<string>? staff = null)
    {
        Name = name; PriceMinor = priceMinor; Currency = currency; DurationMinutes = durationMinutes;
        Aliases = aliases?.ToList() ?? [];
        Staff = Names(staff);
    }

    /// <summary>Names trimmed, empty ones dropped, each once (case-insensitive), in the order given.</summary>
    private static List<string> Names(IEnumerable<string>? names) =>
        names?.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList() ?? [];
}
