using System.ComponentModel.DataAnnotations;

namespace Paylink.Server.Dashboard;

/// <summary>Section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Sign-in attempts (password or second factor) per minute from one IP address, across all users
    /// (per-user lockout stops guessing one password; this slows trying one password on many users). 0 = off.</summary>
    [Range(0, int.MaxValue)]
    public int SignInRateLimitPerMinute { get; set; } = 20;
}
