using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Data;

namespace Paylink.Core.Dashboard;

public sealed record CreateDashboardUserRequest(string MerchantId, string Email, string? Role = null);

/// <summary>The new user and the generated password, shown once (CLI, demo banner).</summary>
public sealed record CreatedDashboardUser(DashboardUser User, string Password);

/// <summary>
/// Creates a dashboard user for a merchant with a random password (never a fixed one): the CLI's
/// <c>paylink users create</c> and the demo seeding use it.
/// </summary>
public sealed class CreateDashboardUser(AppDbContext db, UserManager<DashboardUser> users, TimeProvider clock)
{
    private const string PasswordAlphabet = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

    public async Task<Result<CreatedDashboardUser>> HandleAsync(CreateDashboardUserRequest request, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var role = request.Role ?? DashboardRoles.Owner;
        if (!DashboardRoles.IsKnown(role)) errors.Add("role", "role must be owner or staff.");
        var email = request.Email?.Trim().ToLowerInvariant();
        if (!ContactFormats.IsValidEmail(email)) errors.Add("email", "email must be an e-mail address (name@example.com).");
        if (errors.Any) return errors.ToError();
        if (!await db.Merchants.AnyAsync(m => m.Id == request.MerchantId, ct)) return Error.NotFound($"Merchant '{request.MerchantId}'");
        if (await users.FindByEmailAsync(email!) is not null)
            return Error.Conflict("user_exists", $"A dashboard user with e-mail {email} already exists.");

        var user = new DashboardUser
        {
            UserName = email, Email = email, EmailConfirmed = true, MerchantId = request.MerchantId, Role = role,
            CreatedAt = clock.GetUtcNow(), LockoutEnabled = true,
        };
        var password = NewPassword();
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return Error.Validation("email", string.Join(" ", created.Errors.Select(e => e.Description)));
        return new CreatedDashboardUser(user, password);
    }

    /// <summary>Four groups of five characters from an unambiguous alphabet (~115 bits), e.g. <c>k3Jm9-…</c>.</summary>
    public static string NewPassword() => string.Join('-', Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetString(PasswordAlphabet, 5)));
}
