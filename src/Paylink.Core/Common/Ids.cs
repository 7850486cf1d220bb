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
    /// <summary>The last random part handed out per millisecond, for the few most recent milliseconds (several clocks
    /// may be in use at once: tests run hosts with their own fake clocks side by side).</summary>
    private static readonly Dictionary<long, byte[]> LastRandom = [];
    private const int RememberedMilliseconds = 256;

    /// <summary>
    /// A new id. Within one millisecond of a clock the random part counts up (monotonic ULID), so ids made one
    /// after another in a process sort in the order they were made: a reply and its invoice card queued in the
    /// same millisecond are shown in that order.
    /// </summary>
    public static string New(string prefix, TimeProvider clock)
    {
        Span<char> body = stackalloc char[26];
        var ms = clock.GetUtcNow().ToUnixTimeMilliseconds();
        Span<byte> rnd = stackalloc byte[16];
        lock (Gate)
        {
            if (!LastRandom.TryGetValue(ms, out var last) || !Increment(last))
            {
                if (LastRandom.Count >= RememberedMilliseconds) LastRandom.Clear();
                last = new byte[16];
                RandomNumberGenerator.Fill(last);
                for (var i = 0; i < 16; i++) last[i] &= 31;
                last[0] &= 15;   // headroom: the count can go up by 2^75 before it overflows
                LastRandom[ms] = last;
            }
            last.CopyTo(rnd);
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
