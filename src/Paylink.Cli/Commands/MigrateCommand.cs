using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;

namespace Paylink.Cli.Commands;

public static class MigrateCommand
{
    public static Command Create()
    {
        var cmd = new Command("migrate", "Create or upgrade the database (SQLite file or PostgreSQL) to the current schema.");
        cmd.SetAction((_, ct) => CliRun.InScopeAsync(async sp =>
        {
            IReadOnlyList<string> applied;
            try { applied = await sp.GetRequiredService<Migrator>().MigrateAsync(ct); }
            catch (UnknownMigrationsException ex)
            {
                await CliApp.Err.WriteLineAsync("error: " + ex.Message);
                return CliApp.ExitError;
            }
            await CliApp.Out.WriteLineAsync(applied.Count == 0 ? "Database is up to date." : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return CliApp.ExitOk;
        }));
        return cmd;
    }
}
