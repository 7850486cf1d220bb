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

    /// <summary>"$.customer.phone" → "customer.phone"; "$.items[0].amount" → "items[0].amount".</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
