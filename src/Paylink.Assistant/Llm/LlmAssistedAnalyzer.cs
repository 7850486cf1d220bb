using System.ClientModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI;

namespace Paylink.Assistant.Llm;

/// <summary>
/// The rules first; a language model only when they are unsure. Below the confidence threshold the message
/// is sent, with personal data masked (<see cref="PiiMasker"/>), to any OpenAI-compatible chat endpoint
/// through Microsoft.Extensions.AI with a JSON schema for the answer. The answer is validated field by
/// field (known intent, a service id from the catalog, real date and time, a non-negative amount);
/// entities the rules found win over the model's. On a timeout, a transport or API error, or an answer
/// that fails validation, the rules' analysis is returned unchanged: the fallback can only add.
/// </summary>
public sealed class LlmAssistedAnalyzer(MessageAnalyzer rules, IChatClient chat, LlmFallbackOptions options, ILogger? logger = null) : IMessageUnderstanding
{
    private readonly ILogger _log = logger ?? NullLogger.Instance;

    /// <summary>A chat client for <paramref name="options"/>: OpenAI's SDK pointed at <c>BaseUrl</c>, no retries (the timeout bounds the call).</summary>
    public static IChatClient CreateChatClient(LlmFallbackOptions options, HttpClient? http = null)
    {
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = new Uri(options.BaseUrl!),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        };
        if (http is not null) clientOptions.Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(http);
        // Local servers often need no key; the SDK requires one, and sends it as a bearer token.
        var key = new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey);
        return new OpenAI.Chat.ChatClient(options.Model, key, clientOptions).AsIChatClient();
    }

    public async ValueTask<MessageAnalysis> UnderstandAsync(string? text, CatalogSnapshot catalog, DateTimeOffset now, TimeZoneInfo timeZone, CancellationToken ct) =>
        await UnderstandAsync(text, catalog, now, timeZone, knownNames: null, ct);

    /// <param name="knownNames">The customer's names on record, masked as well before sending.</param>
    public async Task<MessageAnalysis> UnderstandAsync(string? text, CatalogSnapshot catalog, DateTimeOffset now, TimeZoneInfo timeZone,
        IEnumerable<string>? knownNames, CancellationToken ct)
    {
        var analysis = rules.Analyze(text, catalog, now, timeZone);
        if (analysis.IsConfident || string.IsNullOrWhiteSpace(text) || !text.Any(char.IsLetterOrDigit)) return analysis;

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, timeZone).DateTime);
        var masked = PiiMasker.Mask(text.Length > rules.Options.MaxLength ? text[..rules.Options.MaxLength] : text, knownNames);
        var services = PromptCatalog(catalog, analysis);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        string answer;
        try
        {
            var response = await chat.GetResponseAsync(
                [new ChatMessage(ChatRole.System, SystemPrompt(services, today, catalog.Currency)), new ChatMessage(ChatRole.User, masked)],
                new ChatOptions { Temperature = 0, MaxOutputTokens = 300, ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema(services), "message_analysis") },
                cts.Token);
            answer = response.Text;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _log.LogWarning("Language-model fallback timed out after {Seconds} s; the rules' answer stands.", options.TimeoutSeconds);
            return analysis;
        }
        catch (Exception ex) when (ex is HttpRequestException or ClientResultException or InvalidOperationException or JsonException or NotSupportedException)
        {
            _log.LogWarning("Language-model fallback failed ({Error}); the rules' answer stands.", ex.GetType().Name);
            return analysis;
        }

        var parsed = LlmAnswer.Parse(answer, services, today);
        if (!parsed.IsSuccess)
        {
            _log.LogWarning("Language-model answer rejected: {Reason}; the rules' answer stands.", parsed.Error!.Message);
            return analysis;
        }
        var a = parsed.Value;
        _log.LogInformation("Language-model fallback: {RulesIntent} ({RulesConfidence:0.00}) → {Intent} ({Confidence:0.00}).",
            analysis.Intent.ToName(), analysis.Confidence, a.Intent.ToName(), a.Confidence);
        return analysis with
        {
            Intent = a.Intent,
            Confidence = Math.Round(a.Confidence, 4),
            IsConfident = a.Confidence >= rules.Options.ConfidenceThreshold,
            ServiceId = analysis.ServiceId ?? a.ServiceId,
            Date = analysis.Date ?? a.Date,
            Time = analysis.Time ?? a.Time,
            AmountMinor = analysis.AmountMinor ?? a.AmountMinor,
            Source = AnalysisSource.LanguageModel,
        };
    }

    /// <summary>The services the model may choose from: the rules' candidates first, then the rest of the catalog.</summary>
    private IReadOnlyList<Core.Catalog.CatalogEntry> PromptCatalog(CatalogSnapshot catalog, MessageAnalysis analysis)
    {
        var first = analysis.Candidates.Select(c => c.ServiceId).ToHashSet(StringComparer.Ordinal);
        return catalog.Entries.OrderBy(e => first.Contains(e.Id) ? 0 : 1).Take(options.MaxCatalogItems).ToList();
    }

    private static string SystemPrompt(IReadOnlyList<Core.Catalog.CatalogEntry> services, DateOnly today, string currency)
    {
        var sb = new StringBuilder();
        sb.AppendLine("You read one message a customer wrote to a small business (salon, clinic, trainer, consultant or shop), usually in Russian.");
        sb.AppendLine("Answer with JSON only, matching the schema. Fields:");
        sb.AppendLine("- intent: book (wants to book or buy), pay (wants to pay / a payment link / says they paid), price (asks the cost), reschedule, cancel, refund, confirm (agrees), decline (refuses), greeting (only hello/thanks), other.");
        sb.AppendLine("  If several apply, an action (book, reschedule, cancel, refund, pay) beats price, which beats confirm/decline/greeting.");
        sb.AppendLine("- serviceId: the id of the one catalog service the message is about, or null.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- date: YYYY-MM-DD or null. Today is {today:yyyy-MM-dd} ({today.DayOfWeek}); resolve relative dates from it.");
        sb.AppendLine("- time: HH:mm (24 h) or null.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- amountMinor: an amount of money the customer states, in minor units of {currency} (kopecks), or null.");
        sb.AppendLine("- confidence: your probability that the intent is right, 0..1.");
        sb.AppendLine("Words in square brackets such as [phone], [email], [name] replace personal data.");
        sb.AppendLine("Catalog (id: name; aliases):");
        foreach (var s in services)
            sb.AppendLine(CultureInfo.InvariantCulture, $"{s.Id}: {s.Name}{(s.Aliases is { Count: > 0 } al ? "; " + string.Join(", ", al) : "")}");
        return sb.ToString();
    }

    private static JsonElement Schema(IReadOnlyList<Core.Catalog.CatalogEntry> services)
    {
        var schema = new
        {
            type = "object",
            additionalProperties = false,
            required = new[] { "intent", "serviceId", "date", "time", "amountMinor", "confidence" },
            properties = new Dictionary<string, object>
            {
                ["intent"] = new { type = "string", @enum = IntentNames.All.Select(i => i.ToName()).ToArray() },
                ["serviceId"] = new { type = new[] { "string", "null" }, @enum = services.Select(s => (string?)s.Id).Append(null).ToArray() },
                ["date"] = new { type = new[] { "string", "null" }, pattern = @"^\d{4}-\d{2}-\d{2}$" },
                ["time"] = new { type = new[] { "string", "null" }, pattern = @"^\d{2}:\d{2}$" },
                ["amountMinor"] = new { type = new[] { "integer", "null" }, minimum = 0 },
                ["confidence"] = new { type = "number", minimum = 0, maximum = 1 },
            },
        };
        return JsonSerializer.SerializeToElement(schema);
    }
}
