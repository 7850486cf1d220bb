using System.ComponentModel.DataAnnotations;

namespace Paylink.Server.Hosting;

/// <summary>Section <c>PayPage</c>.</summary>
public sealed class PayPageOptions
{
    public const string Section = "PayPage";

    /// <summary>Requests per minute one IP address may make to /p/… pages (GET and POST together).</summary>
    [Range(1, 1_000_000)]
    public int RateLimitPerMinute { get; set; } = 120;
}
