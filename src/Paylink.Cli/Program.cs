using System.CommandLine;
using Paylink.Cli;
using Paylink.Cli.Commands;

var root = new RootCommand("paylink: administer a Paylink installation (merchants, catalog, links, jobs, assistant).");
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(MerchantsCommand.Create());
root.Subcommands.Add(CatalogCommand.Create());
root.Subcommands.Add(LinksCommand.Create());
root.Subcommands.Add(ConfigCommand.Create());
root.Subcommands.Add(JobsCommand.Create());
root.Subcommands.Add(WebhooksCommand.Create());
return await CliApp.InvokeAsync(root, args);
