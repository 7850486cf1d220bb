using System.CommandLine;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Payments;

namespace Paylink.Cli.Commands;

public static class PaymentsCommand
{
    public static Command Create()
    {
        var cmd = new Command("payments", "Payments for accounting.");
        var merchant = new Option<string>("--merchant") { Description = "Merchant id", Required = true };
        var from = new Option<string>("--from") { Description = "First day (yyyy-MM-dd, merchant's zone) or ISO 8601 date-time", Required = true };
        var to = new Option<string>("--to") { Description = "Last day included (yyyy-MM-dd) or ISO 8601 date-time excluded", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the CSV to this file instead of standard output" };
        var export = new Command("export", "Payments, refunds and closing receipts as CSV (UTF-8 with BOM, ';', columns in docs/export.md).")
            { merchant, from, to, output };
        export.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var merchantId = pr.GetValue(merchant)!;
            var m = await sp.GetRequiredService<AppDbContext>().Merchants.AsNoTracking().FirstOrDefaultAsync(x => x.Id == merchantId, ct);
            if (m is null) return await CliRun.FailAsync(Error.NotFound($"Merchant '{merchantId}'"));
            var period = ExportPayments.ParsePeriod(pr.GetValue(from), pr.GetValue(to), "csv", m.Zone);
            if (!period.IsSuccess) return await CliRun.FailAsync(period.Error!);
            var csv = await sp.GetRequiredService<ExportPayments>().HandleAsync(merchantId, period.Value, ct);
            if (!csv.IsSuccess) return await CliRun.FailAsync(csv.Error!);
            if (pr.GetValue(output) is { } file)
            {
                // The BOM is already the first character of the text.
                await File.WriteAllTextAsync(file, csv.Value, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), ct);
                await CliApp.Err.WriteLineAsync($"Wrote {file}");
            }
            else await CliApp.Out.WriteAsync(csv.Value);
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(export);
        return cmd;
    }
}
