using System.Text.Json;

namespace Paylink.IntegrationTests.Cli;

/// <summary>
/// `paylink simulate` runs the real server on its own SQLite file (the simulation is SQLite-only by design:
/// it is a local what-if tool, not a database test): a short run completes, its figures hold together, the
/// same seed gives the same report, and bad arguments are refused.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class SimulateTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("paylink-simtest-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    /// <param name="viaDataDir">No --out: the files go to &lt;data directory&gt;/simulations (never the current folder).</param>
    private async Task<(string Json, string Out)> RunAsync(int seed, string name, bool viaDataDir = false)
    {
        var root = Path.Combine(_dir.FullName, name);
        var outDir = viaDataDir ? Path.Combine(root, "simulations") : root;
        Directory.CreateDirectory(root);
        string[] args = ["simulate", "--scenarios", "8", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", Path.Combine(root, "sim.db")];
        var (exit, stdout, stderr) = await CliRunner.RunAsync(new Dictionary<string, string?> { ["DATA_DIR"] = viaDataDir ? root : null },
            viaDataDir ? args : [.. args, "--out", outDir]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("8/8", stderr);   // the progress bar reached the end
        Assert.True(File.Exists(Path.Combine(outDir, $"simulation-{seed}.svg")));
        return (await File.ReadAllTextAsync(Path.Combine(outDir, $"simulation-{seed}.json")), stdout);
    }

    [Fact]
    public async Task SameSeed_SameReport_FiguresHoldTogether()
    {
        var (first, table) = await RunAsync(7, "a");
        var (second, _) = await RunAsync(7, "b", viaDataDir: true);
        Assert.Equal(first, second);
        Assert.Contains("conversion request→payment", table);
        Assert.Contains("net (paid − refunded), ₽", table);
        Assert.Contains("«net» = paid − refunded", table);

        var report = JsonDocument.Parse(first).RootElement;
        var policies = report.GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(["paylink", "baseline"], policies.Select(p => p.GetProperty("policy").GetString()!));
        foreach (var p in policies)
        {
            var outcomes = p.GetProperty("outcomes").EnumerateArray().ToList();
            Assert.Equal(8, outcomes.Count);
            Assert.Equal(outcomes.Count(o => o.GetProperty("paid").GetBoolean()), p.GetProperty("paid").GetInt32());
            Assert.True(p.GetProperty("booked").GetInt32() >= 6, "the assistant should book nearly every scripted client");
            Assert.True(p.GetProperty("paid").GetInt32() > 0);
        }
        Assert.True(policies[0].GetProperty("remindersSent").GetInt32() > 0);       // Paylink reminds
        Assert.Equal(0, policies[1].GetProperty("remindersSent").GetInt32());        // the baseline does not
        Assert.Equal(0, policies[1].GetProperty("outcomes").EnumerateArray()
            .Count(o => o.GetProperty("kind").GetString() == "PaysAfterReminder" && o.GetProperty("paid").GetBoolean()));
        Assert.StartsWith("<svg", await File.ReadAllTextAsync(Path.Combine(_dir.FullName, "a", "simulation-7.svg")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadArguments_ClearErrors()
    {
        var (exit, _, err) = await CliRunner.RunAsync(new Dictionary<string, string?>(), "simulate", "--scenarios", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--scenarios", err);
        var existing = Path.Combine(_dir.FullName, "exists.db");
        await File.WriteAllTextAsync(existing, "x");
        (exit, _, err) = await CliRunner.RunAsync(new Dictionary<string, string?>(), "simulate", "--db", existing);
        Assert.Equal(2, exit);
        Assert.Contains("--db", err);
    }
}
