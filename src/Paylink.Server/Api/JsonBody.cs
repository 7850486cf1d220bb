using System.Text.Json;
using System.Text.Json.Serialization;
using Paylink.Core.Common;

namespace Paylink.Server.Api;

/// <summary>
/// Reads a JSON request body strictly: unknown members, wrong types and missing required members are
/// errors that name the field (JSON path), never a 500.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        AllowTrailingCommas = false,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static async Task<(T? Value, byte[] Raw, Error? Error)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (request.ContentType is not { } ctype || !ctype.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, [], Error.Validation("body", "Content-Type must be application/json."));
        var raw = await RequestBodies.ReadLimitedAsync(request, MaxBytes, ct);
        if (raw is null) return (null, [], Error.Validation("body", $"Body must be at most {MaxBytes} bytes."));
        if (raw.Length == 0) return (null, raw, Error.Validation("body", "Body is empty; send a JSON object."));
        if (FindInvalidString(raw) is { } bad)
            return (null, raw, Error.Validation(bad, $"'{bad}' is not valid Unicode text (an unpaired surrogate such as \\ud800)."));
        try
        {
            var value = JsonSerializer.Deserialize<T>(raw, Options);
            return value is null ? (null, raw, Error.Validation("body", "Body must be a JSON object.")) : (value, raw, null);
        }
        catch (JsonException ex)
        {
            var field = FieldOf(ex.Path);
            var message = ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? $"Unknown field '{field}'."
                : ex.Message.Contains("missing required", StringComparison.Ordinal) ? ex.Message
                : ex.Path is null or "$" ? "Body is not valid JSON." : $"'{field}' has the wrong type or format.";
            return (null, raw, Error.Validation(field, message));
        }
    }

    /// <summary>
    /// The field (JSON path without "$.") of the first string or property name that decodes to invalid UTF-16 (an
    /// escaped lone surrogate): such text cannot be stored, encrypted or written back as JSON, so it is refused here,
    /// once, for every endpoint (typed bodies and free-form settings objects alike). Null when all text is valid or
    /// the body is not JSON (the deserializer then names the syntax error).
    /// </summary>
    internal static string? FindInvalidString(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var path = new List<string>();
        var index = new List<int>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        Step(path, index);
                        path.Add(reader.TokenType == JsonTokenType.StartArray ? "[" : "");
                        index.Add(-1);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        index.RemoveAt(index.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.ValueIsEscaped ? SafeString(ref reader) : reader.GetString();
                        if (name is null) return Join(path, index, "?");
                        path[^1] = name;
                        break;
                    default:
                        Step(path, index);
                        if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped && SafeString(ref reader) is null)
                            return Join(path, index, null);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    private static void Step(List<string> path, List<int> index)
    {
        if (index.Count > 0 && path[^1] == "[") index[^1]++;
        else if (index.Count > 0 && path[^1].StartsWith('[')) index[^1]++;
    }

    private static string Join(List<string> path, List<int> index, string? last)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < path.Count; i++)
        {
            var p = path[i];
            if (p.StartsWith('[')) sb.Append('[').Append(index[i]).Append(']');
            else if (p.Length > 0) sb.Append(sb.Length == 0 ? "" : ".").Append(p);
        }
        if (last is not null) sb.Append(sb.Length == 0 ? "" : ".").Append(last);
        return sb.Length == 0 ? "body" : sb.ToString();
    }

    /// <summary>The decoded string, or null when it holds an unpaired surrogate.</summary>
    private static string? SafeString(ref Utf8JsonReader reader)
    {
        string s;
        try { s = reader.GetString()!; }
        catch (InvalidOperationException) { return null; }
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else if (char.IsSurrogate(s[i])) return null;
        }
        return s;
    }

    /// <summary>"$.customer.phone" → "customer.phone"; "$.items[0].amount" → "items[0].amount".</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
