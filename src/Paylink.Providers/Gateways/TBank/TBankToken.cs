using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Paylink.Providers.Gateways.TBank;

/// <summary>
/// T-Bank's request/notification signature: the root-level scalar fields except Token, plus Password,
/// sorted by key (ordinal), values concatenated, SHA-256, lowercase hex. Nested objects (Receipt, DATA)
/// are not signed. Verified against both vectors in shared/protocols/tbank.md.
/// </summary>
public static class TBankToken
{
    public static string Compute(JsonElement root, string password)
    {
        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            if (p.Name == "Token") continue;
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.String: pairs[p.Name] = p.Value.GetString()!; break;
                case JsonValueKind.Number: pairs[p.Name] = p.Value.GetRawText(); break;
                case JsonValueKind.True: pairs[p.Name] = "true"; break;
                case JsonValueKind.False: pairs[p.Name] = "false"; break;
            }
        }
        pairs["Password"] = password;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(pairs.Values))));
    }

    public static string Compute(JsonObject root, string password)
    {
        using var doc = JsonDocument.Parse(root.ToJsonString());
        return Compute(doc.RootElement, password);
    }

    /// <summary>Constant-time check of a received body's Token.</summary>
    public static bool Verify(JsonElement root, string password)
    {
        if (!root.TryGetProperty("Token", out var t) || t.ValueKind != JsonValueKind.String) return false;
        var expected = Encoding.ASCII.GetBytes(Compute(root, password));
        var got = Encoding.ASCII.GetBytes(t.GetString()!.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, got);
    }
}
