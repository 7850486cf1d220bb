using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Data.Generation;

namespace Paylink.Cli.Commands;

/// <summary><c>paylink generate-data</c>: fills the configured database (SQLite file or PostgreSQL) with a year of history
/// for growth benchmarks (docs/performance.md). Migrates first; refuses a database that already has merchants unless forced.</summary>
public static class GenerateDataCommand
{
    public static Command Create()
    {
        var merchants = new Option<int>("--merchants") { Description = "Merchants to create", DefaultValueFactory = _ => 50 };
        var links = new Option<int>("--links") { Description = "Payment links over all merchants", DefaultValueFactory = _ => 1_000_000 };
        var days = new Option<int>("--days") { Description = "Days of history, ending now", DefaultValueFactory = _ => 365 };
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice", DefaultValueFactory = _ => 1 };
        var busy = new Option<double>("--busy-share") { Description = "Share of the links that belong to the first (busy) merchant", DefaultValueFactory = _ => 0.1 };
        var paid = new Option<double>("--paid-share") { Description = "Share of links paid", DefaultValueFactory = _ => 0.7 };
        var chats = new Option<double>("--conversation-share") { Description = "Share of links sold in a web-chat conversation (with messages and a booking)", DefaultValueFactory = _ => 0.3 };
        var jobs = new Option<int>("--jobs-per-link") { Description = "Finished jobs of history per link", DefaultValueFactory = _ => 2 };
        var force = new Option<bool>("--force") { Description = "Add to a database that already has merchants" };
        var json = new Option<bool>("--json") { Description = "Print the merchants (id, API key, links) and row counts as JSON" };
        var cmd = new Command("generate-data", "Fill the database with a realistic year of merchants, links, payments, conversations, bookings and jobs (for benchmarks; never on production data).")
            { merchants, links, days, seed, busy, paid, chats, jobs, force, json };
        cmd.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var request = new GenerateDataRequest(pr.GetValue(merchants), pr.GetValue(links), pr.GetValue(days), pr.GetValue(seed), pr.GetValue(busy),
                pr.GetValue(paid), pr.GetValue(chats), pr.GetValue(jobs));
            var valid = GenerateData.Validate(request);
            if (!valid.IsSuccess) return await CliRun.FailAsync(valid.Error!);
            await sp.GetRequiredService<Migrator>().MigrateAsync(ct);
            var db = sp.GetRequiredService<AppDbContext>();
            if (!pr.GetValue(force) && await db.Merchants.AnyAsync(ct))
            {
                await CliApp.Err.WriteLineAsync("error: the database already has merchants; generate into an empty one or pass --force.");
                return CliApp.ExitUsage;
            }
            var quiet = pr.GetValue(json);
            var r = await sp.GetRequiredService<GenerateData>().HandleAsync(request, quiet ? null : line => CliApp.Err.WriteLine(line), ct);
            if (!r.IsSuccess) return await CliRun.FailAsync(r.Error!);
            if (quiet)
                await CliRun.WriteJsonAsync(new
                {
                    merchants = r.Value.Merchants.Select(m => new { id = m.Id, name = m.Name, apiKey = m.ApiKey, links = m.Links }),
                    rows = r.Value.Rows, seconds = Math.Round(r.Value.Elapsed.TotalSeconds, 1),
                });
            else
            {
                await CliApp.Out.WriteLineAsync($"Generated {r.Value.Rows.Values.Sum():N0} rows in {r.Value.Elapsed:hh\\:mm\\:ss}:");
                foreach (var (table, n) in r.Value.Rows) await CliApp.Out.WriteLineAsync($"  {table}: {n:N0}");
                var busiest = r.Value.Merchants[0];
                await CliApp.Out.WriteLineAsync($"Busy merchant {busiest.Id} ({busiest.Links:N0} links), API key (shown once): {busiest.ApiKey}");
            }
            return CliApp.ExitOk;
        }));
        return cmd;
    }
}
