using System.Security.Cryptography;

namespace Paylink.Core.Common;

/// <summary>
/// Identifiers: a short type prefix plus a ULID-style body (48-bit millisecond time, 80 random bits,
/// Crockford base32), so ids sort by creation time and serve as keyset-pagination cursors.
/// </summary>
public static class Ids
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string CodeAlphabet = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

    public static string New(string prefix, TimeProvider clock)
    {
        Span<char> body = stackalloc char[26];
        var ms = clock.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 9; i >= 0; i--) { body[i] = Crockford[(int)(ms & 31)]; ms >>= 5; }
        Span<byte> rnd = stackalloc byte[16];
        RandomNumberGenerator.Fill(rnd);
        for (var i = 10; i < 26; i++) body[i] = Crockford[rnd[i - 10] & 31];
        return string.Concat(prefix, "_", body);
    }

    /// <summary>A short public code for URLs (/p/{code}): 10 characters from an unambiguous alphabet (~58 bits).</summary>
    public static string NewCode(int length = 10) => RandomNumberGenerator.GetString(CodeAlphabet, length);

    /// <summary>A high-entropy secret (API keys, signing secrets), URL-safe.</summary>
    public static string NewSecret(int bytes = 32) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool IsCode(string? s) =>
        s is { Length: >= 6 and <= 32 } && s.All(c => CodeAlphabet.Contains(c, StringComparison.Ordinal));
}
