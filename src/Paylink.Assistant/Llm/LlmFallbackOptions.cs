using System.ComponentModel.DataAnnotations;

namespace Paylink.Assistant.Llm;

/// <summary>
/// Section <c>Assistant:Llm</c> (env <c>PAYLINK_Assistant__Llm__…</c>): the optional language-model fallback.
/// Off by default; when on, it is asked only about messages the rules are unsure of.
/// </summary>
public sealed class LlmFallbackOptions
{
    public const string Section = "Assistant:Llm";

    public bool Enabled { get; set; }

    /// <summary>Base address of an OpenAI-compatible API, including its version path, e.g. <c>http://127.0.0.1:11434/v1</c>.</summary>
    public string? BaseUrl { get; set; }

    public string? Model { get; set; }

    /// <summary>Bearer key; from the environment or a secret store, never from a file in the repository.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Whole-call limit; after it the rules' answer stands.</summary>
    [Range(0.1, 120)]
    public double TimeoutSeconds { get; set; } = 5;

    /// <summary>At most this many catalog services are listed in the prompt (the best rule matches first).</summary>
    [Range(1, 1000)]
    public int MaxCatalogItems { get; set; } = 100;

    /// <summary>Problems that make the fallback unusable, each naming its setting; empty when it is off or valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        if (!Enabled) return [];
        var errors = new List<string>();
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            errors.Add($"{Section}:BaseUrl must be an absolute http(s) URL of an OpenAI-compatible API (e.g. http://127.0.0.1:11434/v1).");
        if (string.IsNullOrWhiteSpace(Model)) errors.Add($"{Section}:Model is required when the fallback is enabled.");
        if (TimeoutSeconds is < 0.1 or > 120) errors.Add($"{Section}:TimeoutSeconds must be between 0.1 and 120.");
        if (MaxCatalogItems is < 1 or > 1000) errors.Add($"{Section}:MaxCatalogItems must be between 1 and 1000.");
        return errors;
    }
}
