using Microsoft.AspNetCore.Identity;

namespace Paylink.Core.Dashboard;

/// <summary>Roles of a dashboard user. Staff run the day (links, bookings, conversations) but cannot
/// touch API keys, connections, webhooks or policies.</summary>
public static class DashboardRoles
{
    public const string Owner = "owner";
    public const string Staff = "staff";

    public static bool IsKnown(string? role) => role is Owner or Staff;
}

/// <summary>
/// A person who signs in to the owner dashboard (ASP.NET Core Identity user). Each user belongs to
/// exactly one merchant and sees only its data; the role is a column rather than Identity role tables
/// because there are only two fixed roles.
/// </summary>
public sealed class DashboardUser : IdentityUser
{
    public string MerchantId { get; set; } = "";
    public string Role { get; set; } = DashboardRoles.Staff;
    public DateTimeOffset CreatedAt { get; set; }
}
