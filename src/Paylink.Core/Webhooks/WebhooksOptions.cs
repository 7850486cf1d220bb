using System.ComponentModel.DataAnnotations;

namespace Paylink.Core.Webhooks;

/// <summary>Section <c>Webhooks</c>: outgoing merchant webhooks.</summary>
public sealed class WebhooksOptions
{
    public const string Section = "Webhooks";

    /// <summary>Allow endpoints on loopback, private, link-local and other non-public addresses. Off in
    /// production (SSRF: a merchant must not make Paylink call into its own network); tests turn it on.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Allow plain-http endpoint URLs (tests, local development). Default: https only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Time allowed for one delivery attempt (connect, send, answer headers, first 1 KB of body).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Endpoints one merchant may register.</summary>
    [Range(1, 1000)]
    public int MaxEndpointsPerMerchant { get; set; } = 20;
}
