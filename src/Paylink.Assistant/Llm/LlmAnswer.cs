using System.Globalization;
using System.Text.Json;
using Paylink.Core.Catalog;
using Paylink.Core.Common;

namespace Paylink.Assistant.Llm;

/// <summary>A language model's answer after validation against the schema the prompt asked for.</summary>
public sealed record LlmAnswer(Intent Intent, string? ServiceId, DateOnly? Date, TimeOnly? Time, long? AmountMinor, double Confidence)
{
    /// <summary>Dates further than this from today are not believed (a model inventing a year).</summary>
    public const int MaxDaysFromToday = 400;

    /// <summary>
    /// Parses and validates the model's JSON: every field present, intent known, serviceId from
    /// <paramref name="services"/>, real date within <see cref="MaxDaysFromToday"/> of today, real time,
    /// non-negative amount, confidence within 0..1. Models sometimes wrap JSON in a code fence; that is tolerated.
    /// </summary>
    public static Result<LlmAnswer> Parse(string? text, IReadOnlyList<CatalogEntry> services, DateOnly today)
    {
        text = Unfence(text ?? "");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException) { return Invalid("not JSON"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Invalid("not a JSON object");
            foreach (var name in (string[])["intent", "serviceId", "date", "time", "amountMinor", "confidence"])
                if (!root.TryGetProperty(name, out _)) return Invalid($"field '{name}' missing");

            var intentEl = root.GetProperty("intent");
            if (intentEl.ValueKind != JsonValueKind.String || !IntentNames.TryParse(intentEl.GetString(), out var intent))
                return Invalid("unknown intent");

            string? serviceId = null;
            var svc = root.GetProperty("serviceId");
            if (svc.ValueKind == JsonValueKind.String)
            {
                serviceId = svc.GetString();
                if (!services.Any(s => s.Id == serviceId)) return Invalid("serviceId not in the catalog");
            }
            else if (svc.ValueKind != JsonValueKind.Null) return Invalid("serviceId is not a string or null");

            DateOnly? date = null;
            var d = root.GetProperty("date");
            if (d.ValueKind == JsonValueKind.String)
            {
                if (!DateOnly.TryParseExact(d.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                    return Invalid("date is not YYYY-MM-DD");
                if (Math.Abs(parsed.DayNumber - today.DayNumber) > MaxDaysFromToday) return Invalid("date too far from today");
                date = parsed;
            }
            else if (d.ValueKind != JsonValueKind.Null) return Invalid("date is not a string or null");

            TimeOnly? time = null;
            var t = root.GetProperty("time");
            if (t.ValueKind == JsonValueKind.String)
            {
                if (!TimeOnly.TryParseExact(t.GetString(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                    return Invalid("time is not HH:mm");
                time = parsed;
            }
            else if (t.ValueKind != JsonValueKind.Null) return Invalid("time is not a string or null");

            long? amount = null;
            var a = root.GetProperty("amountMinor");
            if (a.ValueKind == JsonValueKind.Number)
            {
                if (!a.TryGetInt64(out var v) || v < 0) return Invalid("amountMinor is not a non-negative integer");
                amount = v;
            }
            else if (a.ValueKind != JsonValueKind.Null) return Invalid("amountMinor is not a number or null");

            var c = root.GetProperty("confidence");
            if (c.ValueKind != JsonValueKind.Number || !c.TryGetDouble(out var confidence) || double.IsNaN(confidence) || confidence is < 0 or > 1)
                return Invalid("confidence is not a number within 0..1");

            return new LlmAnswer(intent, serviceId, date, time, amount, confidence);
        }
    }

    private static string Unfence(string text)
    {
        text = text.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal)) return text;
        var firstNewline = text.IndexOf('\n');
        var lastFence = text.LastIndexOf("```", StringComparison.Ordinal);
        return firstNewline > 0 && lastFence > firstNewline ? text[(firstNewline + 1)..lastFence].Trim() : text;
    }

    private static Error Invalid(string why) => Error.Validation("llm", why);
}
