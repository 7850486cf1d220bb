using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Dashboard;
using Paylink.Core.Data;

namespace Paylink.Cli.Commands;

/// <summary><c>paylink users</c>: dashboard users (sign-in to /dashboard). Passwords are generated and shown once.</summary>
public static class UsersCommand
{
    public static Command Create()
    {
        var cmd = new Command("users", "Dashboard users: create, list, reset a password.");
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };

        var merchant = new Option<string>("--merchant") { Description = "Merchant id the user belongs to", Required = true };
        var email = new Option<string>("--email") { Description = "E-mail, used to sign in", Required = true };
        var role = new Option<string?>("--role") { Description = "owner (default) or staff" };
        var create = new Command("create", "Create a dashboard user; prints a generated password once.") { merchant, email, role, json };
        create.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var r = await sp.GetRequiredService<CreateDashboardUser>().HandleAsync(
                new CreateDashboardUserRequest(pr.GetValue(merchant)!, pr.GetValue(email)!, pr.GetValue(role)), ct);
            if (!r.IsSuccess) return await CliRun.FailAsync(r.Error!);
            await PrintAsync(r.Value, pr.GetValue(json), "created");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(create);

        var resetEmail = new Option<string>("--email") { Description = "E-mail of the user", Required = true };
        var reset = new Command("reset-password", "Set a new generated password (shown once), lift a lockout, end open sessions.") { resetEmail, json };
        reset.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var r = await sp.GetRequiredService<ResetDashboardPassword>().HandleAsync(pr.GetValue(resetEmail)!, ct);
            if (!r.IsSuccess) return await CliRun.FailAsync(r.Error!);
            await PrintAsync(r.Value, pr.GetValue(json), "password reset");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(reset);

        var listMerchant = new Option<string?>("--merchant") { Description = "Only this merchant's users" };
        var list = new Command("list", "List dashboard users.") { listMerchant, json };
        list.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var m = pr.GetValue(listMerchant);
            var q = sp.GetRequiredService<AppDbContext>().Users.AsNoTracking();
            if (m is not null) q = q.Where(u => u.MerchantId == m);
            var all = await q.OrderBy(u => u.Email).Select(u => new { u.Email, u.MerchantId, u.Role, u.TwoFactorEnabled }).ToListAsync(ct);
            if (pr.GetValue(json)) await CliRun.WriteJsonAsync(all);
            else foreach (var u in all) await CliApp.Out.WriteLineAsync($"{u.Email}  {u.MerchantId}  {u.Role}{(u.TwoFactorEnabled ? "  2FA" : "")}");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(list);
        return cmd;
    }

    private static async Task PrintAsync(CreatedDashboardUser r, bool json, string what)
    {
        if (json) await CliRun.WriteJsonAsync(new { email = r.User.Email, merchantId = r.User.MerchantId, role = r.User.Role, password = r.Password });
        else
        {
            await CliApp.Out.WriteLineAsync($"Dashboard user {r.User.Email} ({r.User.Role}, merchant {r.User.MerchantId}) {what}.");
            await CliApp.Out.WriteLineAsync($"Password (shown once, keep it safe): {r.Password}");
        }
    }
}
