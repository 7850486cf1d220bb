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

    private static readonly Lock Gate = new();
    private static long _lastMs = -1;
    private static readonly byte[] LastRandom = new byte[16];

    /// <summary>
    /// A new id. Within one millisecond of the same clock the random part counts up (monotonic ULID), so ids
    /// made one after another in a process sort in the order they were made: a reply and its invoice card
    /// queued in the same millisecond are shown in that order.
    /// </summary>
    public static string New(string prefix, TimeProvider clock)
    {
        Span<char> body = stackalloc char[26];
        var ms = clock.GetUtcNow().ToUnixTimeMilliseconds();
        Span<byte> rnd = stackalloc byte[16];
        lock (Gate)
        {
            if (ms != _lastMs || !Increment(LastRandom))
            {
                RandomNumberGenerator.Fill(LastRandom);
                for (var i = 0; i < 16; i++) LastRandom[i] &= 31;
                LastRandom[0] &= 15;   // headroom: the count can go up by 2^75 before it overflows
                _lastMs = ms;
            }
            LastRandom.CopyTo(rnd);
        }
        for (var i = 9; i >= 0; i--) { body[i] = Crockford[(int)(ms & 31)]; ms >>= 5; }
        for (var i = 10; i < 26; i++) body[i] = Crockford[rnd[i - 10]];
        return string.Concat(prefix, "_", body);
    }

    /// <summary>Adds one to a number of 16 base-32 digits; false on overflow.</summary>
    private static bool Increment(byte[] digits)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            if (digits[i] < 31) { digits[i]++; return true; }
            digits[i] = 0;
        }
        return false;
    }

    /// <summary>A short public code for URLs (/p/{code}): 10 characters from an unambiguous alphabet (~58 bits).</summary>
    public static string NewCode(int length = 10) => RandomNumberGenerator.GetString(CodeAlphabet, length);

    /// <summary>A high-entropy secret (API keys, signing secrets), URL-safe.</summary>
    public static string NewSecret(int bytes = 32) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool IsCode(string? s) =>
        s is { Length: >= 6 and <= 32 } && s.All(c => CodeAlphabet.Contains(c, StringComparison.Ordinal));
}
