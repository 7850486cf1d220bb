using Paylink.Assistant.Matching;
using Paylink.Core.Catalog;
using Paylink.Core.Common;

namespace Paylink.Assistant;

/// <summary>
/// A merchant's catalog prepared for matching: names and aliases stemmed and weighted once.
/// Build one when the catalog changes and share it; it is immutable and safe to use from many threads.
/// </summary>
public sealed class CatalogSnapshot
{
    private CatalogSnapshot(IReadOnlyList<CatalogEntry> entries, string currency)
    {
        Entries = entries;
        Currency = currency;
        MinorPerMajor = Currencies.MinorPerMajor(currency);
        Matcher = new ServiceMatcher(entries.Select(e => (e.Id, e.Name, e.Aliases ?? (IReadOnlyList<string>)[])));
        Staff = [.. entries.SelectMany(e => e.Staff ?? []).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
        StaffMatcher = new StaffMatcher(Staff);
    }

    /// <summary>Every staff member named in the catalog, as spelled there.</summary>
    public IReadOnlyList<string> Staff { get; }

    /// <summary>The entries a staff member does (empty for an unknown name).</summary>
    public IReadOnlyList<CatalogEntry> ServicesOf(string staff) =>
        [.. Entries.Where(e => e.Staff?.Any(n => string.Equals(n.Trim(), staff, StringComparison.OrdinalIgnoreCase)) == true)];

    internal StaffMatcher StaffMatcher { get; }

    /// <summary>An empty catalog: intents, dates, amounts and contacts are still read; services never match.</summary>
    public static CatalogSnapshot Empty { get; } = new([], "RUB");

    /// <summary>The entries as given.</summary>
    public IReadOnlyList<CatalogEntry> Entries { get; }

    /// <summary>The currency amounts are read in: the catalog's (its first entry's), RUB when empty.</summary>
    public string Currency { get; }

    /// <summary>Minor units in one major unit of <see cref="Currency"/> (100 for RUB).</summary>
    public long MinorPerMajor { get; }

    internal ServiceMatcher Matcher { get; }

    /// <summary>Prepares entries already validated by <see cref="ImportCatalog.Parse"/> (or loaded from the database).</summary>
    public static CatalogSnapshot Create(IReadOnlyList<CatalogEntry> entries) =>
        entries.Count == 0 ? Empty : new CatalogSnapshot(entries, entries[0].Currency);

    /// <summary>Parses and validates a catalog file (the <c>catalog import</c> format) and prepares it.</summary>
    public static Result<CatalogSnapshot> Parse(string json)
    {
        var parsed = ImportCatalog.Parse(json);
        return parsed.IsSuccess ? Create(parsed.Value) : parsed.Error!;
    }
}
