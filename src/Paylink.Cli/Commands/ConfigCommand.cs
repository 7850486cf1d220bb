using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Cli.Commands;

public static class ConfigCommand
{
    public static Command Create()
    {
        var cmd = new Command("config", "Inspect configuration.");
        var connect = new Option<bool>("--connect") { Description = "Also open a connection to the database" };
        var check = new Command("check", "Validate every option without starting the server; exit 0 when all are valid.") { connect };
        check.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var failures = new List<string>();
            void Validate<T>() where T : class
            {
                try { _ = sp.GetRequiredService<IOptions<T>>().Value; }
                catch (OptionsValidationException ex) { failures.AddRange(ex.Failures); }
            }
            Validate<PaylinkOptions>();
            Validate<DatabaseOptions>();
            Validate<LinkOptions>();
            Validate<Paylink.Core.Jobs.JobsOptions>();
            Validate<Paylink.Core.Webhooks.WebhooksOptions>();
            if (failures.Count == 0 && pr.GetValue(connect))
            {
                try
                {
                    if (!await sp.GetRequiredService<AppDbContext>().Database.CanConnectAsync(ct)) failures.Add("Database: cannot connect.");
                }
                catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
                {
                    failures.Add("Database: " + ex.Message);
                }
            }
            foreach (var f in failures) await CliApp.Err.WriteLineAsync("invalid: " + f);
            if (failures.Count > 0) return CliApp.ExitUsage;
            var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            await CliApp.Out.WriteLineAsync($"Configuration is valid (database: {db.EffectiveProvider}).");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(check);
        return cmd;
    }
}
