using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Webhooks;

namespace Paylink.Cli.Commands;

public static class WebhooksCommand
{
    public static Command Create()
    {
        var cmd = new Command("webhooks", "Merchant webhook deliveries.");
        var id = new Argument<string>("id") { Description = "Delivery id (msg_…)" };
        var redeliver = new Command("redeliver", "Send a delivery again (same webhook-id and body) through the job table.") { id };
        redeliver.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var r = await sp.GetRequiredService<RedeliverWebhook>().HandleAsync(pr.GetValue(id)!, ct);
            if (!r.IsSuccess) return await CliRun.FailAsync(r.Error!);
            await CliApp.Out.WriteLineAsync($"Delivery {r.Value.Id} ({r.Value.EventType}) queued for redelivery.");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(redeliver);
        return cmd;
    }
}
