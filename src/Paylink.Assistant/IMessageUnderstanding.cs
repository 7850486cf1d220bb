namespace Paylink.Assistant;

/// <summary>
/// Understands one customer message. <see cref="MessageAnalyzer"/> (rules and the trained model, in process)
/// is the default; <see cref="Llm.LlmAssistedAnalyzer"/> wraps it and asks a language model only when the
/// rules are unsure. Callers (the dialogue, <c>paylink analyze</c>) depend on this interface only.
/// </summary>
public interface IMessageUnderstanding
{
    ValueTask<MessageAnalysis> UnderstandAsync(string? text, CatalogSnapshot catalog, DateTimeOffset now, TimeZoneInfo timeZone, CancellationToken ct);
}

/// <summary>Which part of the pipeline decided the intent of a <see cref="MessageAnalysis"/>.</summary>
public enum AnalysisSource
{
    /// <summary>Rule extractors and the trained intent model.</summary>
    Rules = 0,
    /// <summary>The optional language-model fallback, used below the confidence threshold.</summary>
    LanguageModel,
}
