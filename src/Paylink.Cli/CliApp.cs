using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paylink.Cli.Commands;
using Paylink.Core;
using Paylink.Providers;

namespace Paylink.Cli;

/// <summary>The CLI's composition root: configuration from appsettings.json, PAYLINK_* variables and
/// the environment, the same Core and Providers registrations as the server.</summary>
public static class CliApp
{
    public const int ExitOk = 0;
    public const int ExitError = 1;
    public const int ExitUsage = 2;

    /// <summary>Standard output and error; tests replace them to capture output.</summary>
    public static TextWriter Out { get; set; } = Console.Out;
    public static TextWriter Err { get; set; } = Console.Error;

    /// <summary>Extra configuration (tests point the CLI at their database this way).</summary>
    public static IDictionary<string, string?>? Overrides { get; set; }

    /// <summary>Every command of the tool. New commands are added here.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("paylink: administer a Paylink installation (merchants, catalog, links, jobs, assistant).");
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(MerchantsCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(CatalogCommand.Create());
        root.Subcommands.Add(LinksCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(WebhooksCommand.Create());
        root.Subcommands.Add(ReconcileCommand.Create());
        root.Subcommands.Add(PaymentsCommand.Create());
        root.Subcommands.Add(AnalyzeCommand.Create());
        root.Subcommands.Add(AnalyzeEvalCommand.Create());
        root.Subcommands.Add(ConverseEvalCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(GenerateDataCommand.Create());
        return root;
    }

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var config = new InvocationConfiguration { Output = Out, Error = Err };
        return await root.Parse(args).InvokeAsync(config);
    }

    public static IConfiguration BuildConfiguration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables("PAYLINK_")
        .AddInMemoryCollection(Overrides ?? new Dictionary<string, string?>())
        .Build();

    public static ServiceProvider BuildServices()
    {
        var config = BuildConfiguration();
        var services = new ServiceCollection();
        services.AddSingleton(config);
        services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddPaylinkCore(config);
        services.AddPaylinkProviders();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }
}
