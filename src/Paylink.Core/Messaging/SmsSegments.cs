namespace Paylink.Core.Messaging;

public enum SmsEncoding { Gsm7, Ucs2 }

/// <param name="Encoding">GSM-7 when every character is in the GSM 03.38 default alphabet or its extension table, else UCS-2.</param>
/// <param name="Characters">Billable characters: GSM-7 septets (extension characters count 2) or UTF-16 code units (emoji count 2).</param>
/// <param name="Segments">SMS parts the text is sent as; 0 for an empty text.</param>
/// <param name="PerSegment">Capacity of one part for this text (160/153 GSM-7, 70/67 UCS-2).</param>
public sealed record SmsCount(SmsEncoding Encoding, int Characters, int Segments, int PerSegment);

/// <summary>
/// How an SMS text is billed: GSM-7 fits 160 characters in one part or 153 per part of a concatenated
/// message (the user data header takes 7); UCS-2 fits 70, or 67 per part. Parts never split a GSM-7 escape
/// pair or a UTF-16 surrogate pair, as phones and SMSCs do, so a long text can need one part more than a
/// plain division says.
/// </summary>
public static class SmsSegments
{
    public const int Gsm7Single = 160, Gsm7Multi = 153, Ucs2Single = 70, Ucs2Multi = 67;

    // GSM 03.38 default alphabet (ESC 0x1B excluded: it only introduces the extension table).
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Extension = "\f^{}\\[~]|€";

    private static readonly HashSet<char> BasicSet = [.. Basic];
    private static readonly HashSet<char> ExtensionSet = [.. Extension];

    public static SmsCount Count(string? text)
    {
        text ??= "";
        var gsm = true;
        var septets = 0;
        foreach (var c in text)
        {
            if (BasicSet.Contains(c)) septets += 1;
            else if (ExtensionSet.Contains(c)) septets += 2;
            else { gsm = false; break; }
        }
        return gsm ? Pack(text, SmsEncoding.Gsm7, septets, Gsm7Single, Gsm7Multi) : Pack(text, SmsEncoding.Ucs2, text.Length, Ucs2Single, Ucs2Multi);
    }

    private static SmsCount Pack(string text, SmsEncoding encoding, int total, int single, int multi)
    {
        if (total == 0) return new SmsCount(encoding, 0, 0, single);
        if (total <= single) return new SmsCount(encoding, total, 1, single);
        var segments = 1;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            // The unit that must stay whole: an escape pair (GSM-7) or a surrogate pair (UCS-2).
            int size;
            if (encoding == SmsEncoding.Gsm7) size = ExtensionSet.Contains(text[i]) ? 2 : 1;
            else if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { size = 2; i++; }
            else size = 1;
            if (used + size > multi) { segments++; used = 0; }
            used += size;
        }
        return new SmsCount(encoding, total, segments, multi);
    }
}
