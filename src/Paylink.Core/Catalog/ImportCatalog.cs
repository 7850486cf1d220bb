using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Core.Catalog;

/// <summary>
/// One entry of the catalog file: <c>{"id","name","priceMinor","currency","aliases"?,"durationMinutes"?,"staff"?}</c>.
/// No <c>durationMinutes</c> means the service takes no slot (a pass, a package, a product, remote work): it is
/// sold without a booking. <c>staff</c> names the people who do it, as clients call them ("Анна"); each keeps
/// their own schedule.
/// </summary>
public sealed record CatalogEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("priceMinor")] long PriceMinor,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("aliases")] IReadOnlyList<string>? Aliases = null,
    [property: JsonPropertyName("durationMinutes")] int? DurationMinutes = null,
    [property: JsonPropertyName("staff")] IReadOnlyList<string>? Staff = null)
{
    /// <summary>Whether booking it takes a slot in the schedule.</summary>
    [JsonIgnore] public bool NeedsSlot => DurationMinutes is not null;
}

public sealed record ImportResult(int Created, int Updated);

/// <summary>Parses and validates a catalog file and upserts it for a merchant: all entries or none.</summary>
public sealed partial class ImportCatalog(AppDbContext db)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>Parses the catalog JSON; errors name the entry index and field.</summary>
    public static Result<IReadOnlyList<CatalogEntry>> Parse(string json)
    {
        List<CatalogEntry>? entries;
        try { entries = JsonSerializer.Deserialize<List<CatalogEntry>>(json, Json); }
        catch (JsonException ex) { return Error.Validation(ex.Path ?? "$", $"Catalog is not valid: {ex.Message}"); }
        if (entries is null) return Error.Validation("$", "Catalog must be a JSON array of services.");
        var errors = new ValidationErrors();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var at = $"[{i}]";
            if (e is null) { errors.Add(at, "Entry must be an object."); continue; }
            if (string.IsNullOrWhiteSpace(e.Id) || !SlugRegex().IsMatch(e.Id)) errors.Add($"{at}.id", "id must be a slug: lowercase letters, digits, '-' or '_', 1–64 characters.");
            else if (!seen.Add(e.Id)) errors.Add($"{at}.id", $"Duplicate id '{e.Id}'.");
            if (string.IsNullOrWhiteSpace(e.Name) || e.Name.Length > 200) errors.Add($"{at}.name", "name is required, at most 200 characters.");
            if (e.PriceMinor < 0) errors.Add($"{at}.priceMinor", "priceMinor must be zero or positive (minor units).");
            if (!Currencies.IsSupported(e.Currency)) errors.Add($"{at}.currency", $"Unsupported currency '{e.Currency}'.");
            if (e.DurationMinutes is < 1 or > 24 * 60) errors.Add($"{at}.durationMinutes", "durationMinutes must be between 1 and 1440.");
            if (e.Aliases is { } al && (al.Count > 50 || al.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > 100)))
                errors.Add($"{at}.aliases", "aliases must be at most 50 non-empty strings of at most 100 characters.");
            if (e.Staff is { } st && (st.Count > 20 || st.Any(n => string.IsNullOrWhiteSpace(n) || n.Trim().Length > Bookings.CreateBooking.MaxStaff)))
                errors.Add($"{at}.staff", $"staff must be at most 20 non-empty names of at most {Bookings.CreateBooking.MaxStaff} characters.");
        }
        if (errors.Any) return errors.ToError();
        return entries;
    }

    public async Task<Result<ImportResult>> HandleAsync(string merchantId, IReadOnlyList<CatalogEntry> entries, CancellationToken ct)
    {
        if (!await db.Merchants.AnyAsync(m => m.Id == merchantId, ct)) return Error.NotFound($"Merchant '{merchantId}'");
        var existing = await db.CatalogServices.IgnoreQueryFilters().Where(s => s.MerchantId == merchantId).ToDictionaryAsync(s => s.Id, ct);
        int created = 0, updated = 0;
        foreach (var e in entries)
        {
            if (existing.TryGetValue(e.Id, out var s)) { s.Update(e.Name.Trim(), e.PriceMinor, e.Currency, e.DurationMinutes, e.Aliases, e.Staff); updated++; }
            else { db.CatalogServices.Add(CatalogService.Create(merchantId, e.Id, e.Name.Trim(), e.PriceMinor, e.Currency, e.DurationMinutes, e.Aliases, e.Staff)); created++; }
        }
        await db.SaveChangesAsync(ct);
        return new ImportResult(created, updated);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex SlugRegex();
}
