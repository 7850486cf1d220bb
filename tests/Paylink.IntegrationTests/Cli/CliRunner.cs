extern alias cli;
using CliProgram = cli::Paylink.Cli;

namespace Paylink.IntegrationTests.Cli;

/// <summary>Runs `paylink …` in process against a test database, capturing stdout and stderr.
/// CliApp's writers are static, so CLI tests share one collection and never run in parallel.</summary>
public static class CliRunner
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(IDictionary<string, string?> settings, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        CliProgram.CliApp.Out = o;
        CliProgram.CliApp.Err = e;
        CliProgram.CliApp.Overrides = settings;
        try
        {
            var exit = await CliProgram.CliApp.InvokeAsync(CliProgram.CliApp.BuildRoot(), args);
            return (exit, o.ToString(), e.ToString());
        }
        finally
        {
            CliProgram.CliApp.Out = Console.Out;
            CliProgram.CliApp.Err = Console.Error;
            CliProgram.CliApp.Overrides = null;
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "cli";
}
