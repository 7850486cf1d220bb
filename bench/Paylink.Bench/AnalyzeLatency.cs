using System.Diagnostics;
using System.Globalization;
using Paylink.Assistant;
using Paylink.Assistant.Training;

namespace Paylink.Bench;

/// <summary>
/// Per-call latency of <see cref="MessageAnalyzer.Analyze"/> over every held-out message, after warm-up:
/// p50, p99, p99.9 and max of individual calls on one thread.
/// Run: dotnet run -c Release --project bench/Paylink.Bench -- latency [rounds] [SET]
/// where SET is a folder with messages.jsonl and catalogs/ (default: the synthetic test split).
/// </summary>
public static class AnalyzeLatency
{
    public static void Run(int rounds, string? set = null)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(LabelledSet.TimeZoneId);
        var data = set is null ? Path.Combine(FindRoot(), "src", "Paylink.Assistant", "Data") : Path.GetFullPath(set);
        var catalogs = LabelledSet.LoadCatalogs(Path.Combine(data, "catalogs"));
        var file = set is null ? "test.jsonl" : "messages.jsonl";
        var rows = LabelledSet.Load(Path.Combine(data, file)).Select(r => (r.Text, Catalog: catalogs[r.Catalog])).ToArray();
        var started = Stopwatch.GetTimestamp();
        var analyzer = MessageAnalyzer.CreateDefault();
        analyzer.Analyze("привет", rows[0].Catalog, LabelledSet.Now, tz);
        var firstCall = Stopwatch.GetElapsedTime(started);
        foreach (var (text, catalog) in rows) analyzer.Analyze(text, catalog, LabelledSet.Now, tz);

        var samples = new double[rows.Length * rounds];
        var k = 0;
        var wall = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
            foreach (var (text, catalog) in rows)
            {
                var t0 = Stopwatch.GetTimestamp();
                analyzer.Analyze(text, catalog, LabelledSet.Now, tz);
                samples[k++] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }
        wall.Stop();
        Array.Sort(samples);
        double P(double q) => samples[Math.Min(samples.Length - 1, (int)(q * samples.Length))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model load + first call: {firstCall.TotalMilliseconds:F0} ms; {samples.Length} calls over {rows.Length} held-out messages, one thread"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per call: p50 {P(0.50):F1} µs, p90 {P(0.90):F1} µs, p99 {P(0.99):F1} µs, p99.9 {P(0.999):F1} µs, max {samples[^1]:F1} µs; {samples.Length / wall.Elapsed.TotalSeconds:F0} messages/s"));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Paylink.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Paylink.slnx not found above " + AppContext.BaseDirectory);
    }
}
