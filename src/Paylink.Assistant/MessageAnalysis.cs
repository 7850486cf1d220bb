namespace Paylink.Assistant;

/// <summary>Whether the customer named an exact time or a bound ("после 18", "к половине пятого").</summary>
public enum TimeRelation
{
    At = 0,
    After,
    Before,
    By,
}

/// <summary>A vague part of the day ("утром", "вечером") when no exact time was given, or the one that fixed a bare hour.</summary>
public enum PartOfDay
{
    None = 0,
    Morning,
    Afternoon,
    Evening,
    Night,
}

/// <summary>A catalog service the message may refer to, with how well it matched (0..1).</summary>
public sealed record ServiceCandidate(string ServiceId, string Name, double Score);

/// <summary>
/// What one customer message says. Every field is optional except <see cref="Intent"/> and
/// <see cref="Confidence"/>; a field is null when the message does not state it.
/// </summary>
/// <param name="Intent">The most likely intent (see <see cref="Assistant.Intent"/> for how several intents are ranked).</param>
/// <param name="Confidence">The intent model's probability for <paramref name="Intent"/>, 0..1.</param>
/// <param name="IsConfident">True when <paramref name="Confidence"/> reaches the analyzer's threshold; below it the caller should ask again or hand over.</param>
/// <param name="ServiceId">The catalog id when exactly one service matches best; null when none or several do.</param>
/// <param name="Candidates">Best matches, best first; more than one with null <paramref name="ServiceId"/> means "ask which one".</param>
/// <param name="Date">The date in the merchant's time zone.</param>
/// <param name="Time">The local time of day in the merchant's time zone.</param>
/// <param name="TimeRelation">Whether <paramref name="Time"/> is exact or a bound.</param>
/// <param name="PartOfDay">A part of the day the customer named, if any.</param>
/// <param name="AmountMinor">An amount in minor units of the catalog's currency (kopecks for RUB).</param>
/// <param name="Phone">A phone number in E.164.</param>
/// <param name="Email">An e-mail address, lowercased.</param>
public sealed record MessageAnalysis(
    Intent Intent,
    double Confidence,
    bool IsConfident,
    string? ServiceId,
    IReadOnlyList<ServiceCandidate> Candidates,
    DateOnly? Date,
    TimeOnly? Time,
    TimeRelation TimeRelation,
    PartOfDay PartOfDay,
    long? AmountMinor,
    string? Phone,
    string? Email)
{
    /// <summary>The staff member the client asked for ("к Анне"), as the catalog spells the name; null when none.</summary>
    public string? Staff { get; init; }

    /// <summary>
    /// <see cref="Time"/> came from a bare hour read on the 12-hour rule ("в 5" → 17:00): the dialogue may take
    /// the other half of the day when only that one is within the merchant's hours.
    /// </summary>
    public bool TimeIsTwelveHour { get; init; }

    /// <summary>Whether the rules or the language-model fallback decided <see cref="Intent"/>.</summary>
    public AnalysisSource Source { get; init; }
}
