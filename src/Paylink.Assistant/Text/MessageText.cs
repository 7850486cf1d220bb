namespace Paylink.Assistant.Text;

/// <summary>
/// A normalised message being analysed: the extractors run in a fixed order (e-mail, phone, date,
/// time, amount, service) and each one claims the characters it used, so a later one cannot read
/// them again (the digits of a phone are not an amount, "20.11" is not a time). Claimed spans become
/// placeholder words in <see cref="ToModelText"/>, which is what the intent model sees.
/// </summary>
public sealed class MessageText
{
    private readonly bool[] _claimed;
    private readonly List<(int Start, int Length, string Placeholder)> _spans = [];

    public MessageText(string original)
    {
        Text = TextNormalizer.Normalize(original);
        _claimed = new bool[Text.Length];
    }

    /// <summary>The normalised text (same length as the NFC form of the input).</summary>
    public string Text { get; }

    /// <summary>True when no character of the span has been claimed yet.</summary>
    public bool IsFree(int start, int length)
    {
        for (var i = start; i < start + length; i++)
            if (_claimed[i]) return false;
        return true;
    }

    /// <summary>Marks a span as used by an extractor; <paramref name="placeholder"/> replaces it for the intent model.</summary>
    public void Claim(int start, int length, string placeholder)
    {
        for (var i = start; i < start + length; i++) _claimed[i] = true;
        _spans.Add((start, length, placeholder));
    }

    /// <summary>
    /// The text the intent model reads: normalised, each claimed span replaced by its placeholder word
    /// (<c>zdate</c>, <c>ztime</c>, <c>zamount</c>, <c>zphone</c>, <c>zemail</c>, <c>zsvc</c>), so the model learns
    /// "оплатила zamount" rather than particular numbers, dates or service names.
    /// </summary>
    /// <remarks>Ends with the intent cue tokens of <see cref="Intents.IntentCues"/>.</remarks>
    public string ToModelText()
    {
        _spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        var sb = new System.Text.StringBuilder(Text.Length + 64);
        var pos = 0;
        foreach (var (start, length, placeholder) in _spans)
        {
            if (start < pos) continue;
            sb.Append(Text, pos, start - pos).Append(' ').Append(placeholder).Append(' ');
            pos = start + length;
        }
        sb.Append(Text, pos, Text.Length - pos);
        Intents.IntentCues.Append(Text, sb);
        return sb.ToString();
    }
}
