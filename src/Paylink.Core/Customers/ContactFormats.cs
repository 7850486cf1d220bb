using System.Net.Mail;

namespace Paylink.Core.Customers;

/// <summary>Validation and normalisation of phones and e-mail addresses.</summary>
public static class ContactFormats
{
    /// <summary>
    /// Normalises a phone to E.164. Russian numbers may come in any usual form ("8 (916) 123-45-67",
    /// "+7 916 1234567", "9161234567"); other countries must start with + and a country code.
    /// </summary>
    public static string? NormalizePhone(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var plus = raw.TrimStart().StartsWith('+');
        Span<char> digits = stackalloc char[20];
        var n = 0;
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c)) { if (n == 20) return null; digits[n++] = c; }
            else if (c is not (' ' or '-' or '(' or ')' or '.' or '+' or '\u00A0')) return null;
        }
        var d = new string(digits[..n]);
        if (!plus)
        {
            if (d.Length == 11 && (d[0] == '8' || d[0] == '7')) d = "7" + d[1..];
            else if (d.Length == 10 && d[0] == '9') d = "7" + d;
            else return null;
        }
        if (d.Length < 8 || d.Length > 15 || d[0] == '0') return null;
        if (d[0] == '7' && d.Length != 11) return null;
        return "+" + d;
    }

    public static bool IsValidEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 254) return false;
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email) return false;
        var at = email.LastIndexOf('@');
        return at > 0 && email.IndexOf('.', at) > at + 1 && !email.EndsWith('.');
    }
}
