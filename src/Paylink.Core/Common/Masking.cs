namespace Paylink.Core.Common;

/// <summary>Masks personal data before it reaches a log line or a non-owner.</summary>
public static class Masking
{
    /// <summary>"+79161234567" → "+7916***4567".</summary>
    public static string Phone(string? e164) =>
        string.IsNullOrEmpty(e164) ? "" : e164.Length <= 8 ? "***" : string.Concat(e164.AsSpan(0, 5), "***", e164.AsSpan(e164.Length - 4));

    public static string Email(string? email)
    {
        if (string.IsNullOrEmpty(email)) return "";
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 1 ? "***" + email[Math.Max(at, 0)..] : string.Concat(email.AsSpan(0, 1), "***", email.AsSpan(at));
    }

    public static string Secret(string? secret) =>
        string.IsNullOrEmpty(secret) ? "" : secret.Length <= 8 ? "****" : string.Concat("****", secret.AsSpan(secret.Length - 4));
}
