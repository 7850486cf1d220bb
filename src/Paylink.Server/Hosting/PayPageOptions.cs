using System.ComponentModel.DataAnnotations;

namespace Paylink.Server.Hosting;

/// <summary>Section <c>PayPage</c>.</summary>
public sealed class PayPageOptions
{
    public const string Section = "PayPage";

    /// <summary>Requests per minute one IP address may make to /p/… pages (GET and POST together);
    /// 0 turns the limit off (benchmarks, or a reverse proxy that limits instead).</summary>
    [Range(0, int.MaxValue)]
    public int RateLimitPerMinute { get; set; } = 120;
}
