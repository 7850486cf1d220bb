using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Payments;

namespace Paylink.Cli.Commands;

/// <summary>
/// <c>paylink reconcile [--merchant ID]</c> asks gateways about stuck checkouts, holds and pending refunds and
/// applies their answers; <c>paylink reconcile report [--merchant ID] [--hours 24]</c> lists disagreements
/// between our records and the gateways'. Meant to be scheduled (daily report, reconcile every few minutes).
/// </summary>
public static class ReconcileCommand
{
    public static Command Create()
    {
        var merchant = new Option<string?>("--merchant") { Description = "Only this merchant (default: all)" };
        var cmd = new Command("reconcile", "Apply the gateways' state to payments whose notification never came.") { merchant };
        cmd.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var summary = await sp.GetRequiredService<ReconcilePayments>().RunAsync(pr.GetValue(merchant), ct);
            await CliRun.WriteJsonAsync(summary);
            return CliApp.ExitOk;
        }));

        var hours = new Option<int>("--hours") { Description = "Look back this many hours (default 24)", DefaultValueFactory = _ => 24 };
        var report = new Command("report", "List mismatches between our records and the gateways' (read-only), one JSON object per line.") { merchant, hours };
        report.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var lines = await sp.GetRequiredService<ReconciliationReport>().BuildAsync(pr.GetValue(merchant), TimeSpan.FromHours(pr.GetValue(hours)), ct);
            foreach (var l in lines) await CliRun.WriteJsonAsync(l);
            await CliApp.Err.WriteLineAsync($"{lines.Count} mismatch(es)");
            return lines.Count == 0 ? CliApp.ExitOk : CliApp.ExitError;
        }));
        cmd.Subcommands.Add(report);
        return cmd;
    }
}
