using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Common;

namespace Paylink.Cli;

/// <summary>Runs a command body in a DI scope and turns errors into a clear message and exit code.</summary>
public static class CliRun
{
    public static readonly JsonSerializerOptions Json = PaylinkJson.Output;

    public static async Task<int> InScopeAsync(Func<IServiceProvider, Task<int>> body)
    {
        try
        {
            await using var services = CliApp.BuildServices();
            await using var scope = services.CreateAsyncScope();
            return await body(scope.ServiceProvider);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await CliApp.Err.WriteLineAsync("Configuration error: " + string.Join("; ", ex.Failures));
            return CliApp.ExitUsage;
        }
    }

    public static async Task<int> FailAsync(Error error)
    {
        await CliApp.Err.WriteLineAsync($"error: {error.Message}");
        if (error.Fields is { Count: > 1 })
            foreach (var (field, messages) in error.Fields)
                await CliApp.Err.WriteLineAsync($"  {field}: {string.Join("; ", messages)}");
        return error.Kind == ErrorKind.Validation ? CliApp.ExitUsage : CliApp.ExitError;
    }

    public static Task WriteJsonAsync(object value) => CliApp.Out.WriteLineAsync(JsonSerializer.Serialize(value, Json));

    /// <summary>Rows under a header, columns padded to their widest cell, for people (scripts take <c>--json</c>).</summary>
    public static async Task WriteTableAsync(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
            await CliApp.Out.WriteLineAsync(string.Join("  ", row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
    }
}
