using System.Text.RegularExpressions;
using Paylink.Assistant.Text;
using Paylink.Core.Customers;

namespace Paylink.Assistant.Extraction;

/// <summary>Finds an e-mail address and a phone number (any usual Russian notation, or + and a country code).</summary>
public static partial class ContactExtractor
{
    /// <summary>The first valid e-mail address, lowercased, or null.</summary>
    public static string? ExtractEmail(MessageText m)
    {
        foreach (Match match in EmailRegex().Matches(m.Text))
        {
            var email = match.Value.TrimEnd('.', '-');
            if (!ContactFormats.IsValidEmail(email)) continue;
            m.Claim(match.Index, match.Length, "zemail");
            return email;
        }
        return null;
    }

    /// <summary>The first phone that <see cref="ContactFormats.NormalizePhone"/> accepts, in E.164, or null.</summary>
    public static string? ExtractPhone(MessageText m)
    {
        foreach (Match match in PhoneRegex().Matches(m.Text))
        {
            if (!m.IsFree(match.Index, match.Length)) continue;
            var phone = ContactFormats.NormalizePhone(match.Value.Trim());
            if (phone is null) continue;
            m.Claim(match.Index, match.Length, "zphone");
            return phone;
        }
        return null;
    }

    [GeneratedRegex(@"[a-z0-9][a-z0-9._%+\-]*@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    // Russian numbers: optional +7/7/8, then 10 digits grouped by spaces, dashes, dots or brackets;
    // international ones: + and 8–15 digits. NormalizePhone has the last word on validity.
    [GeneratedRegex(@"(?<![\d+])(?:(?:\+\s?7|7|8)[\s\-.]*)?\(?\d{3}\)?[\s\-.]*\d{3}[\s\-.]*\d{2}[\s\-.]*\d{2}(?!\d)|(?<![\d+])\+\d[\d\s\-().]{6,20}\d(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneRegex();
}
