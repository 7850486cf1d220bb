using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Catalog;

namespace Paylink.Cli.Commands;

public static class CatalogCommand
{
    public static Command Create()
    {
        var cmd = new Command("catalog", "Manage a merchant's catalog of services.");
        var merchant = new Option<string>("--merchant") { Description = "Merchant id", Required = true };
        var file = new Argument<FileInfo>("file") { Description = "JSON array of {\"id\",\"name\",\"priceMinor\",\"currency\",\"aliases\"?,\"durationMinutes\"?,\"staff\"?}" };
        var import = new Command("import", "Create or update services from a JSON file; all entries or none.") { merchant, file };
        import.SetAction((pr, ct) => CliRun.InScopeAsync(async sp =>
        {
            var path = pr.GetValue(file)!;
            if (!path.Exists)
            {
                await CliApp.Err.WriteLineAsync($"error: catalog file '{path.FullName}' does not exist.");
                return CliApp.ExitUsage;
            }
            var parsed = ImportCatalog.Parse(await File.ReadAllTextAsync(path.FullName, ct));
            if (!parsed.IsSuccess) return await CliRun.FailAsync(parsed.Error!);
            var r = await sp.GetRequiredService<ImportCatalog>().HandleAsync(pr.GetValue(merchant)!, parsed.Value, ct);
            if (!r.IsSuccess) return await CliRun.FailAsync(r.Error!);
            await CliApp.Out.WriteLineAsync($"Imported {parsed.Value.Count} service(s): {r.Value.Created} created, {r.Value.Updated} updated.");
            return CliApp.ExitOk;
        }));
        cmd.Subcommands.Add(import);
        return cmd;
    }
}
