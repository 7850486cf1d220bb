using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Paylink.Core.Common;

namespace Paylink.Providers.Gateways.Sandbox;

/// <summary>
/// The sandbox acquirer signs notifications like Stripe does: header
/// <c>Sandbox-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;</c>.
/// </summary>
public static class SandboxSignature
{
    public const string Header = "Sandbox-Signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        return $"t={unixSeconds},v1={Hashing.HmacSha256Hex(secret, data)}";
    }

    /// <summary>Null when valid, otherwise why not.</summary>
    public static string? Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(header)) return $"missing {Header} header";
        long? t = null;
        string? v1 = null;
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) continue;
            if (kv[0] == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ts)) t = ts;
            else if (kv[0] == "v1") v1 = kv[1];
        }
        if (t is null || v1 is null) return $"malformed {Header} header";
        var expected = Sign(secret, t.Value, body);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes($"t={t},v1={v1}")))
            return "signature does not match";
        // Compare in whole seconds: a timestamp far outside DateTimeOffset's range (99999999999999) must be
        // "outside tolerance", not an overflow. Both values are non-negative, so the difference cannot overflow.
        var age = now.ToUnixTimeSeconds() - t.Value;
        if (Math.Abs(age) > (long)Tolerance.TotalSeconds) return "timestamp outside tolerance";
        return null;
    }
}
