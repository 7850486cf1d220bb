using Paylink.Assistant.Extraction;
using Paylink.Assistant.Intents;
using Paylink.Assistant.Text;

namespace Paylink.Assistant;

/// <summary>Settings of <see cref="MessageAnalyzer"/>.</summary>
/// <param name="ConfidenceThreshold">
/// Below this intent probability <see cref="MessageAnalysis.IsConfident"/> is false and the caller should ask
/// again or hand the chat to a person. 0.5 keeps wrong actions rare on the held-out set (docs/assistant.md).
/// </param>
/// <param name="MaxLength">Longer messages are cut to this many characters before analysis, which bounds the time per message.</param>
public sealed record MessageAnalyzerOptions(double ConfidenceThreshold = 0.5, int MaxLength = 1000);

/// <summary>
/// Understands one customer message: intent with a confidence, the catalog service, date and time in the
/// merchant's zone, amount, phone and e-mail. Pure and thread-safe: the same input always gives the same
/// output, and one instance serves any number of threads and merchants.
/// </summary>
/// <remarks>
/// Pipeline: <see cref="TextNormalizer"/> → contacts (e-mail, phone) → <see cref="DateTimeExtractor"/> →
/// <see cref="AmountExtractor"/> → <see cref="Matching.ServiceMatcher"/> → <see cref="IntentModel"/> over the
/// normalised text with each found entity replaced by a placeholder word.
/// </remarks>
public sealed class MessageAnalyzer(IntentModel model, MessageAnalyzerOptions? options = null) : IMessageUnderstanding
{
    private readonly MessageAnalyzerOptions _options = options ?? new MessageAnalyzerOptions();

    /// <summary>An analyzer over the intent model shipped in this assembly.</summary>
    public static MessageAnalyzer CreateDefault(MessageAnalyzerOptions? options = null) => new(IntentModel.Default, options);

    public MessageAnalyzerOptions Options => _options;

    /// <summary>
    /// Analyses one message. <paramref name="now"/> is the current instant (from a TimeProvider); relative dates
    /// ("завтра", "в пятницу") are resolved against its calendar day in <paramref name="timeZone"/>, the merchant's zone.
    /// Never throws for any text, including empty, binary or very long input.
    /// </summary>
    public MessageAnalysis Analyze(string? text, CatalogSnapshot catalog, DateTimeOffset now, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(timeZone);
        var (m, mention, amount, phone, email, match, staff) = Extract(text ?? "", catalog, now, timeZone);
        if (string.IsNullOrWhiteSpace(m.Text) || !m.Text.Any(char.IsLetterOrDigit))
            return new MessageAnalysis(Intent.Other, 1, true, null, [], null, null, TimeRelation.At, PartOfDay.None, null, null, null);
        var modelText = m.ToModelText();
        var (intent, confidence) = model.Predict(modelText);
        // The model leans to "greeting" for short text it has no words for ("фывапролд", "zzzz"): a greeting
        // without any greeting or thanks word is gibberish or off-topic, and the dialogue treats it as such.
        if (intent == Intent.Greeting && !IntentCues.HasGreetingCue(modelText)) intent = Intent.Other;
        return new MessageAnalysis(
            intent, Math.Round(confidence, 4), confidence >= _options.ConfidenceThreshold,
            match.ServiceId, match.Candidates,
            mention.Date, mention.Time, mention.Relation, mention.PartOfDay,
            amount is null ? null : (long)Math.Round(amount.Value * catalog.MinorPerMajor, MidpointRounding.AwayFromZero),
            phone, email) { Staff = staff, TimeIsTwelveHour = mention.TwelveHour };
    }

    public ValueTask<MessageAnalysis> UnderstandAsync(string? text, CatalogSnapshot catalog, DateTimeOffset now, TimeZoneInfo timeZone, CancellationToken ct) =>
        ValueTask.FromResult(Analyze(text, catalog, now, timeZone));

    /// <summary>The text the intent model sees for a message (used by the trainer, so training and serving agree).</summary>
    public static string ModelText(string text, CatalogSnapshot catalog, DateTimeOffset now, TimeZoneInfo timeZone, int maxLength = 1000) =>
        Extract(text, catalog, now, timeZone, maxLength).Message.ToModelText();

    private (MessageText Message, DateTimeMention Mention, decimal? Amount, string? Phone, string? Email, Matching.ServiceMatcher.MatchResult Match, string? Staff)
        Extract(string text, CatalogSnapshot catalog, DateTimeOffset now, TimeZoneInfo timeZone) => Extract(text, catalog, now, timeZone, _options.MaxLength);

    private static (MessageText Message, DateTimeMention Mention, decimal? Amount, string? Phone, string? Email, Matching.ServiceMatcher.MatchResult Match, string? Staff)
        Extract(string text, CatalogSnapshot catalog, DateTimeOffset now, TimeZoneInfo timeZone, int maxLength)
    {
        if (text.Length > maxLength) text = text[..maxLength];
        var m = new MessageText(text);
        var email = ContactExtractor.ExtractEmail(m);
        var phone = ContactExtractor.ExtractPhone(m);
        var mention = DateTimeExtractor.Extract(m, TimeZoneInfo.ConvertTime(now, timeZone).DateTime);
        var amount = AmountExtractor.Extract(m);
        var staff = catalog.StaffMatcher.Match(m);
        var match = catalog.Matcher.Match(m);
        return (m, mention, amount, phone, email, match, staff);
    }
}
