using Microsoft.Extensions.Options;

namespace Paylink.Core.Common;

/// <summary>Builds absolute public URLs (pay pages, webhooks) from the configured or detected base URL.</summary>
public sealed class PublicUrls(IOptions<PaylinkOptions> options)
{
    public const string FallbackBase = "http://localhost:5080";

    private string? _detected;

    public string Base => (options.Value.PublicBaseUrl ?? _detected ?? FallbackBase).TrimEnd('/');

    /// <summary>Called by the server once it knows the address it listens on.</summary>
    public void UseDetected(string baseUrl) => _detected ??= baseUrl.TrimEnd('/');

    public string PayPage(string code) => $"{Base}/p/{code}";
    /// <summary>The public text of a merchant's consent document version (sent in chat when consent is asked).</summary>
    public string ConsentPage(string merchantId, int version, string lang) =>
        $"{Base}/consent/{merchantId}?v={version.ToString(System.Globalization.CultureInfo.InvariantCulture)}{(lang == "en" ? "&lang=en" : "")}";
    public string Webhook(string provider, string accountId) => $"{Base}/webhooks/{provider}/{accountId}";
}
