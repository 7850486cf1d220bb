using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paylink.Assistant.Training;

/// <summary>
/// One labelled message of Data/train.jsonl or Data/test.jsonl: the text, its intent, the catalog it was
/// written against (Data/catalogs/{catalog}.json) and every entity the analyzer should find, resolved
/// against <see cref="LabelledSet.Now"/> in <see cref="LabelledSet.TimeZoneId"/>. A null entity means "not stated".
/// <see cref="Group"/> names the template or hand-written line it came from, so cross-validation can keep a
/// wording frame out of the folds it is scored on.
/// </summary>
public sealed record LabelledMessage(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("intent")] string Intent,
    [property: JsonPropertyName("catalog")] string Catalog,
    [property: JsonPropertyName("serviceId")] string? ServiceId,
    [property: JsonPropertyName("date")] string? Date,
    [property: JsonPropertyName("time")] string? Time,
    [property: JsonPropertyName("amountMinor")] long? AmountMinor,
    [property: JsonPropertyName("phone")] string? Phone,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("group")] string? Group = null,
    [property: JsonPropertyName("staff")] string? Staff = null);

/// <summary>Reads labelled sets and the catalogs they refer to.</summary>
public static class LabelledSet
{
    /// <summary>The fixed "now" every label was resolved against: a Wednesday morning in Moscow.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 18, 10, 0, 0, TimeSpan.FromHours(3));

    public const string TimeZoneId = "Europe/Moscow";

    public static IReadOnlyList<LabelledMessage> Load(string path)
    {
        var rows = new List<LabelledMessage>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var row = JsonSerializer.Deserialize<LabelledMessage>(line)
                ?? throw new InvalidDataException($"{path}:{lineNo}: not a labelled message.");
            if (!IntentNames.TryParse(row.Intent, out _)) throw new InvalidDataException($"{path}:{lineNo}: unknown intent '{row.Intent}'.");
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Loads every <c>*.json</c> catalog of a folder, keyed by file name without extension.</summary>
    public static IReadOnlyDictionary<string, CatalogSnapshot> LoadCatalogs(string folder)
    {
        var catalogs = new Dictionary<string, CatalogSnapshot>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            var parsed = CatalogSnapshot.Parse(File.ReadAllText(file));
            if (!parsed.IsSuccess) throw new InvalidDataException($"{file}: {parsed.Error!.Message}");
            catalogs[Path.GetFileNameWithoutExtension(file)] = parsed.Value;
        }
        return catalogs;
    }

    /// <summary>The text the intent model is trained on for each row (entities replaced by placeholders).</summary>
    public static IEnumerable<(string Text, string Label)> ModelRows(IEnumerable<LabelledMessage> rows, IReadOnlyDictionary<string, CatalogSnapshot> catalogs)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
        foreach (var r in rows)
            yield return (MessageAnalyzer.ModelText(r.Text, Catalog(catalogs, r.Catalog), Now, tz), r.Intent);
    }

    public static CatalogSnapshot Catalog(IReadOnlyDictionary<string, CatalogSnapshot> catalogs, string name) =>
        catalogs.TryGetValue(name, out var c) ? c : throw new InvalidDataException($"Unknown catalog '{name}'.");
}
