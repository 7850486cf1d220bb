using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;
using Paylink.Core.Jobs;

namespace Paylink.Cli.Commands;

public static class JobsCommand
{
    public static Command Create()
    {
        var cmd = new Command("jobs", "Inspect and retry durable background jobs.");

        var state = new Option<string?>("--state") { Description = "pending, running, succeeded or dead" };
        var type = new Option<string?>("--type") { Description = "Job type, e.g. webhook.deliver" };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first (1–1000)", DefaultValueFactory = _ => 50 };
        var before = new Option<long?>("--before") { Description = "Only jobs with a smaller id (paging)" };
        var json = new Option<bool>("--json") { Description = "One JSON object per line" };
        var list = new Command("list", "List jobs, newest first, with attempts, next run and last error.") { state, type, limit, before, json };
        list.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            JobState? s = null;
            if (pr.GetValue(state) is { } raw)
            {
                if (!Enum.TryParse<JobState>(raw, ignoreCase: true, out var parsed) || int.TryParse(raw, out _))
                {
                    await CliApp.Err.WriteLineAsync($"error: --state must be one of {string.Join(", ", Enum.GetNames<JobState>().Select(n => n.ToLowerInvariant()))}.");
                    return CliApp.ExitUsage;
                }
                s = parsed;
            }
            var n = pr.GetValue(limit);
            if (n is < 1 or > 1000)
            {
                await CliApp.Err.WriteLineAsync("error: --limit must be between 1 and 1000.");
                return CliApp.ExitUsage;
            }
            var jobs = await sp.GetRequiredService<JobStore>().ListAsync(sp.GetRequiredService<AppDbContext>(), s, pr.GetValue(type), n, pr.GetValue(before), ct);
            foreach (var j in jobs)
            {
                if (pr.GetValue(json))
                    await CliRun.WriteJsonAsync(new
                    {
                        j.Id, j.Type, State = j.State.ToString().ToLowerInvariant(), j.Attempts, j.MaxAttempts, j.RunAt, j.CreatedAt,
                        j.CompletedAt, j.LockedBy, j.LockedUntil, j.DedupeKey, j.LastError, j.Payload,
                    });
                else
                    await CliApp.Out.WriteLineAsync(
                        $"{j.Id,8}  {j.Type,-20} {j.State.ToString().ToLowerInvariant(),-9} {j.Attempts}/{(j.RecurEverySeconds is null ? j.MaxAttempts.ToString() : "∞")}  " +
                        $"{(j.State == JobState.Running ? "lease " + j.LockedUntil?.ToString("u") : j.State == JobState.Pending ? "next " + j.RunAt.ToString("u") : "done " + j.CompletedAt?.ToString("u"))}" +
                        (j.LastError is null ? "" : "  error: " + OneLine(j.LastError)));
            }
            if (jobs.Count == n) await CliApp.Err.WriteLineAsync($"more: --before {jobs[^1].Id}");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(list);

        var id = new Argument<long>("id") { Description = "Job id" };
        var retry = new Command("retry", "Make a dead (or waiting) job due now with fresh attempts.") { id };
        retry.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var r = await sp.GetRequiredService<JobStore>().RetryAsync(sp.GetRequiredService<AppDbContext>(), pr.GetValue(id), ct);
            if (!r.IsSuccess) return await CliRun.FailAsync(r.Error!);
            await CliApp.Out.WriteLineAsync($"Job {r.Value.Id} ({r.Value.Type}) is due now.");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(retry);

        var stats = new Command("stats", "Counts per state and type, the due backlog and its oldest wait.") { json };
        stats.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var st = await sp.GetRequiredService<JobStore>().StatsAsync(sp.GetRequiredService<AppDbContext>(), ct);
            if (pr.GetValue(json))
            {
                await CliRun.WriteJsonAsync(new
                {
                    st.Pending, st.Due, st.Running, st.Succeeded, st.Dead, OldestDueSeconds = st.OldestDueAge?.TotalSeconds,
                    ByType = st.ByType.Select(t => new { t.Type, State = t.State.ToString().ToLowerInvariant(), t.Count }),
                });
                return CliApp.ExitOk;
            }
            await CliApp.Out.WriteLineAsync($"pending {st.Pending} (due {st.Due}), running {st.Running}, succeeded {st.Succeeded}, dead {st.Dead}");
            await CliApp.Out.WriteLineAsync(st.OldestDueAge is { } age ? $"oldest due job waiting {age:c}" : "no job waiting");
            foreach (var t in st.ByType)
                await CliApp.Out.WriteLineAsync($"  {t.Type,-22} {t.State.ToString().ToLowerInvariant(),-9} {t.Count}");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(stats);
        return cmd;
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");
}
