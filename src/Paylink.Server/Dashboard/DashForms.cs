using System.Text;
using System.Text.Json;
using Paylink.Core.Common;
using Paylink.Server.Api;

namespace Paylink.Server.Dashboard;

/// <summary>
/// Form plumbing shared by the pages: a per-render nonce that becomes the Idempotency key (a double
/// submit replays the first answer instead of acting twice), and problem answers turned into messages.
/// </summary>
public static class DashForms
{
    public const string NonceField = "nonce";

    public static string NewNonce() => Ids.NewSecret(18);

    /// <summary>The idempotency key of a dashboard form (namespaced so it never meets an API client's key), or null without a nonce.</summary>
    public static string? KeyOf(IFormCollection form)
    {
        var n = form[NonceField].ToString();
        return n.Length is > 0 and <= 64 && n.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? "dash:" + n : null;
    }

    /// <summary>The submitted fields (without the antiforgery token) as bytes, so a replay with other values is a conflict.</summary>
    public static byte[] Canonical(IFormCollection form) =>
        Encoding.UTF8.GetBytes(string.Join('&', form.Where(f => f.Key != DashboardSetup.CsrfField).OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value.ToString()))));

    /// <summary>The message of a problem answer (detail), with per-field messages.</summary>
    public static string Message(Idempotency.Answer answer)
    {
        using var doc = JsonDocument.Parse(answer.Json);
        var root = doc.RootElement;
        return root.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : answer.Json;
    }

    /// <summary>A sum typed by a person ("1500", "1 500,50") in minor units; null when empty or not a number.</summary>
    public static long? Amount(string? s, string currency)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        var clean = s.Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal).Replace(',', '.');
        if (!decimal.TryParse(clean, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var major)) return null;
        var minor = major * Currencies.MinorPerMajor(currency);
        return minor == decimal.Truncate(minor) && minor <= long.MaxValue ? (long)minor : null;
    }

    public static string Major(long minor, string currency) =>
        Currencies.ToMajor(minor, currency).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    public static string? Opt(IFormCollection form, string name)
    {
        var v = form[name].ToString().Trim();
        return v.Length == 0 ? null : v;
    }
}
