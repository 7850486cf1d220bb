using Microsoft.AspNetCore.Identity;
using Paylink.Core.Common;

namespace Paylink.Core.Dashboard;

/// <summary>
/// Gives a dashboard user a new random password (CLI <c>paylink users reset-password</c>), lifts a
/// lockout and ends the user's open sessions (the security stamp changes with the password).
/// </summary>
public sealed class ResetDashboardPassword(UserManager<DashboardUser> users)
{
    public async Task<Result<CreatedDashboardUser>> HandleAsync(string email, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var user = await users.FindByEmailAsync(email.Trim().ToLowerInvariant());
        if (user is null) return Error.NotFound($"Dashboard user '{email}'");
        var password = CreateDashboardUser.NewPassword();
        if (await users.HasPasswordAsync(user)) Check(await users.RemovePasswordAsync(user));
        Check(await users.AddPasswordAsync(user, password));
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
        return new CreatedDashboardUser(user, password);
    }

    private static void Check(IdentityResult r)
    {
        if (!r.Succeeded) throw new InvalidOperationException("Identity refused: " + string.Join(" ", r.Errors.Select(e => e.Description)));
    }
}
