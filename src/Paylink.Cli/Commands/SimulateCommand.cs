using System.CommandLine;
using System.Text.Json;
using Paylink.Cli.Simulation;
using Paylink.Core.Common;

namespace Paylink.Cli.Commands;

/// <summary>
/// <c>paylink simulate --scenarios 50 [--seed N] [--db FILE] [--out DIR]</c>: scripted clients through the whole loop
/// (web chat → assistant → booking → invoice → sandbox payment → reminders → visit) on the real server in accelerated
/// time, under Paylink's policy (reminders, 30 % prepayment) and a baseline without reminders or prepayment.
/// Prints the comparison and writes it as JSON and an SVG chart. The same seed gives the same figures.
/// </summary>
public static class SimulateCommand
{
    public const int MaxScenarios = 1000;
    /// <summary>Simulated time starts on a Monday morning, Moscow time.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    public static Command Create()
    {
        var scenarios = new Option<int>("--scenarios") { Description = $"Number of scripted clients (1–{MaxScenarios}).", DefaultValueFactory = _ => 50 };
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice; the same seed gives the same result.", DefaultValueFactory = _ => 1 };
        var db = new Option<FileInfo?>("--db") { Description = "SQLite file to run in (kept afterwards for inspection); default: a temporary file, deleted." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where to write simulation-<seed>.json and .svg (default: <data directory>/simulations, PAYLINK_DATA_DIR or ./data)." };
        var cmd = new Command("simulate", "Run scripted clients through chat, booking, payment and reminders; compare with a baseline policy.") { scenarios, seed, db, output };
        cmd.SetAction(async (pr, ct) =>
        {
            var count = pr.GetValue(scenarios);
            if (count is < 1 or > MaxScenarios)
            {
                await CliApp.Err.WriteLineAsync($"error: --scenarios must be 1–{MaxScenarios}.");
                return CliApp.ExitUsage;
            }
            var dbFile = pr.GetValue(db);
            if (dbFile is { Exists: true })
            {
                await CliApp.Err.WriteLineAsync($"error: --db: '{dbFile.FullName}' exists; the simulation needs a new file.");
                return CliApp.ExitUsage;
            }
            // Under the data directory by default, like the database itself: a run from a clone must not litter the repository.
            var outDir = pr.GetValue(output) ?? new DirectoryInfo(DefaultOutputDirectory(CliApp.BuildConfiguration()));
            outDir.Create();
            var temp = dbFile is null ? Directory.CreateTempSubdirectory("paylink-sim-") : null;
            var path = dbFile?.FullName ?? Path.Combine(temp!.FullName, "simulation.db");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                var report = await RunAsync(count, pr.GetValue(seed), path, ct);
                var name = Path.Combine(outDir.FullName, $"simulation-{report.Seed}");
                await File.WriteAllTextAsync(name + ".json", JsonSerializer.Serialize(report, PaylinkJson.Output), ct);
                await File.WriteAllTextAsync(name + ".svg", report.ToSvg(), ct);
                await CliApp.Out.WriteAsync(report.ToTable());
                await CliApp.Out.WriteLineAsync(SimulationReport.MoneyNote);
                await CliApp.Out.WriteLineAsync($"Written: {name}.json, {name}.svg" + (dbFile is null ? "" : $"; database kept in {path}"));
                return CliApp.ExitOk;
            }
            finally
            {
                if (temp is not null) { Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); temp.Delete(recursive: true); }
            }
        });
        return cmd;
    }

    /// <summary>&lt;data directory&gt;/simulations: PAYLINK_DATA_DIR (or DataDir) as the server reads it, ./data by default.</summary>
    public static string DefaultOutputDirectory(Microsoft.Extensions.Configuration.IConfiguration config) =>
        Path.GetFullPath(Path.Combine(config["DATA_DIR"] ?? config["DataDir"] ?? "./data", "simulations"));

    public static async Task<SimulationReport> RunAsync(int count, int seed, string dbFile, CancellationToken ct)
    {
        await using var host = await SimulationHost.StartAsync(dbFile, Start, ct);
        var scenarios = Simulator.Generate(count, seed);
        var simulator = new Simulator(host);
        var results = new List<PolicyResult>();
        var policies = new[] { Simulator.Paylink, Simulator.Baseline };
        for (var i = 0; i < policies.Length; i++)
        {
            var from = host.Clock.GetUtcNow();
            var label = policies[i].Name;
            var (merchantId, api, outcomes) = await simulator.RunAsync(policies[i], scenarios, done => Progress(label, done, count), ct);
            await CliApp.Err.WriteLineAsync();
            results.Add(await SimulationReport.MeasureAsync(host, policies[i], merchantId, from, outcomes, ct));
            api.Dispose();
        }
        return new SimulationReport(seed, count, Start, host.Clock.GetUtcNow(), results, SimulationReport.Compare(results[0], results[1]));
    }

    private static void Progress(string label, int done, int total)
    {
        const int width = 30;
        var filled = width * done / total;
        CliApp.Err.Write($"\r{label,-9} [{new string('#', filled)}{new string('.', width - filled)}] {done}/{total}");
    }
}
