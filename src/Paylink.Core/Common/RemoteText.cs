namespace Paylink.Core.Common;

/// <summary>
/// What of a remote system's answer may reach a merchant. A provider's free text (T-Bank Message/Details,
/// YooKassa description, Telegram description, an HTTP body, an SMTP reply) is written by whoever runs the
/// host the merchant pointed us at, so it can carry anything: internal addresses, another tenant's data,
/// text crafted to look like ours. Errors that reach the API, the dashboard or a stored failure reason
/// therefore quote only short code tokens and our own meaning of them; the full remote text goes to the
/// operator's log only.
/// </summary>
public static class RemoteText
{
    /// <summary>Longest token quoted.</summary>
    public const int MaxCodeLength = 40;

    /// <summary>The value when it is a short code token (≤ 40 characters of [A-Za-z0-9_.-]); otherwise null.</summary>
    public static string? Code(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxCodeLength) return null;
        foreach (var c in value)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')) return null;
        return value;
    }

    /// <summary>Like <see cref="Code"/>, but "?" instead of null, for quoting in a sentence.</summary>
    public static string CodeOrMark(string? value) => Code(value) ?? "?";
}
